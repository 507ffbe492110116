// Counts checks and keeps every failure, so one run reports all that is wrong instead of the first thing.
export class Checks {
  passed = 0;
  readonly failures: string[] = [];

  constructor(private readonly onFailure: (line: string) => void = () => {}) {}

  /** Records one check; `detail` says what was found when it fails. */
  check(name: string, ok: boolean, detail?: string): boolean {
    if (ok) {
      this.passed += 1;
    } else {
      const line = detail === undefined ? name : `${name}: ${detail}`;
      this.failures.push(line);
      this.onFailure(line);
    }
    return ok;
  }

  /** Adds another run's results (each configuration counts its own, side by side). */
  merge(other: Checks): void {
    this.passed += other.passed;
    this.failures.push(...other.failures);
  }

  /** Records one check that two JSON-like values are equal, showing both when they differ. */
  equal(name: string, actual: unknown, expected: unknown): boolean {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    return this.check(name, a === e, `expected ${e}, got ${a}`);
  }
}
