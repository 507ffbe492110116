// Flag parsing for the command-line tools: known flags only, values checked, errors as ArgsError.
export class ArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgsError';
  }
}

export interface FlagSpec {
  /** Flags without a value. */
  booleans: readonly string[];
  /** Flags that take a value (`--name value` or `--name=value`). */
  values: readonly string[];
}

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ArgsError(`unexpected argument ${JSON.stringify(arg.slice(0, 40))}`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (spec.booleans.includes(name)) {
      if (eq > 0) throw new ArgsError(`--${name} takes no value`);
      flags.add(name);
    } else if (spec.values.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value.length === 0) throw new ArgsError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw new ArgsError(`unknown option --${name.slice(0, 40)}`);
    }
  }
  return { flags, values };
}

/** At most one of `names` may be given. */
export function exclusive(parsed: ParsedArgs, names: readonly string[]): string | undefined {
  const given = names.filter((n) => parsed.flags.has(n));
  if (given.length > 1) throw new ArgsError(`choose one of ${names.map((n) => `--${n}`).join(', ')}`);
  return given[0];
}

export function positiveInt(parsed: ParsedArgs, name: string, fallback: number, max: number): number {
  const raw = parsed.values.get(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw new ArgsError(`--${name} must be a whole number from 1 to ${max}`);
  return Number(raw);
}
