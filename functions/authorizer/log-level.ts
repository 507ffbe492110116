// Drops log lines below a minimum level. LOG_LEVEL=warn skips the per-decision info lines (the benchmark uses
// it so logging does not dominate what it measures).
import type { Logger, LogLevel } from '../shared/log.ts';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function withMinLevel(logger: Logger, min: LogLevel): Logger {
  const floor = RANK[min];
  return (level, reason, fields) => {
    if (RANK[level] >= floor) logger(level, reason, fields);
  };
}
