// What every entry point does at module load: validate configuration, and on failure log a `config_error`
// line and rethrow, so the cold start fails with a message naming the variable.
import { describeError, type Logger } from './log.ts';

export function loadAtColdStart<T>(log: Logger, load: () => T): T {
  try {
    return load();
  } catch (err) {
    log('error', 'config_error', { error: describeError(err) });
    throw err;
  }
}
