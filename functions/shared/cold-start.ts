// What every entry point does at module load: validate configuration, and on failure log a `config_error`
// line and rethrow, so the cold start fails with a message naming the variable.
import { createLogger, describeError, loadLogConfig, type FunctionLogger, type Logger } from './log.ts';

export function loadAtColdStart<T>(log: Logger, load: () => T): T {
  try {
    return load();
  } catch (err) {
    log('error', 'config_error', { error: describeError(err) });
    throw err;
  }
}

/** The function's logger, its level and namespace validated (a bad LOG_LEVEL fails the cold start). */
export function startLogger(fn: string): FunctionLogger {
  const boot = createLogger(fn);
  return createLogger(
    fn,
    loadAtColdStart(boot, () => loadLogConfig(process.env)),
  );
}
