// The stack's log: single-line JSON with a component and a reason code, filtered by level. Lines the
// functions and the issuer write are forwarded with their component name added.
export type StackLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
type Level = Exclude<StackLogLevel, 'silent'>;
type Fields = Record<string, string | number | boolean | null | undefined>;

const rank: Record<StackLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface StackLog {
  emit(level: Level, component: string, reason: string, fields: Fields): void;
  /** Forwards a line written by a component: JSON objects keep their fields, other text is wrapped. */
  forward(component: string, line: string): void;
}

export function createStackLog(
  minLevel: StackLogLevel,
  sink: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): StackLog {
  const enabled = (level: string): boolean => (rank[level as Level] ?? rank.info) >= rank[minLevel];
  return {
    emit(level, component, reason, fields) {
      if (!enabled(level)) return;
      const record: Record<string, unknown> = { time: new Date().toISOString(), level, component, reason };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined && !(k in record)) record[k] = v;
      sink(JSON.stringify(record));
    },
    forward(component, line) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const record = parsed as Record<string, unknown>;
        const level = typeof record.level === 'string' ? record.level : 'info';
        if (!enabled(level)) return;
        sink(JSON.stringify({ time: new Date().toISOString(), component, ...record }));
        return;
      }
      if (!enabled('info')) return;
      sink(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'info',
          component,
          reason: 'output',
          text: line.slice(0, 2000),
        }),
      );
    },
  };
}
