// Reconnect back-off: exponential with "equal jitter" (half fixed, half random), so many tabs dropped by the
// same outage do not come back in lockstep, yet no retry is ever immediate.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Attempts after which the client gives up and asks the user. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000, maxAttempts: 8 };

/**
 * Delay before reconnect attempt `attempt` (1-based), or undefined once attempts are exhausted.
 * `random` returns [0, 1) and is injected so the schedule is testable.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number | undefined {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > options.maxAttempts) return undefined;
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
