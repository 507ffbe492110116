// Single-line JSON logs with a reason code. Callers pass only primitives they chose to log:
// never a token, never a raw event.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogSink = (line: string) => void;

export interface Logger {
  (level: LogLevel, reason: string, fields?: LogFields): void;
}

const defaultSink: LogSink = (line) => console.log(line);

/** Builds a logger for one function; `sink` is injectable so tests can capture lines. */
export function createLogger(fn: string, sink: LogSink = defaultSink): Logger {
  return (level, reason, fields = {}) => {
    const record: Record<string, unknown> = { level, fn, reason };
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && !(key in record)) record[key] = value;
    }
    sink(JSON.stringify(record));
  };
}

/** A short, safe description of a caught value: its class and message, capped. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}
