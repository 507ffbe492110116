// A log sink for tests: keeps every single-line JSON record a logger writes, and reads them back parsed.
// The connection, authorizer and stack tests each pass `sink` to their logger.

export interface LogCapture {
  /** Give this to the logger under test. */
  readonly sink: (line: string) => void;
  /** The raw lines, in order. */
  readonly lines: readonly string[];
  /** Every line parsed; a line that is not a JSON object fails the test that reads it. */
  records(): Record<string, unknown>[];
  /** The `reason` of every record, in order. */
  reasons(): string[];
}

export function captureLog(): LogCapture {
  const lines: string[] = [];
  const records = (): Record<string, unknown>[] =>
    lines.map((line, index) => {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error(`log line ${index + 1} is not a JSON object: ${line}`);
      return parsed as Record<string, unknown>;
    });
  return {
    sink: (line) => lines.push(line),
    lines,
    records,
    reasons: () => records().map((record) => String(record['reason'])),
  };
}
