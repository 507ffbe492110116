// Reconnect back-off: exponential with "equal jitter" (half fixed, half random), so many tabs dropped by the
// same outage do not come back in lockstep, yet no retry is ever immediate. The defaults and the planned
// reconnect come from the reconnect-storm simulation (docs/scale.md): a 30 s cap and 8 attempts left about half
// of 100,000 clients dropped together disconnected for good behind the 500/s new-connection quota.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Attempts after which the client gives up and asks the user. */
  maxAttempts: number;
}

/** 1 s doubling to 60 s, 12 attempts: about 5 minutes of retries before giving up. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000, maxAttempts: 12 };

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

export interface PlannedReconnectOptions {
  /** API Gateway closes every connection at this age (1001). */
  maxConnectionMs: number;
  /** The replacement opens at a uniform point of the last `windowMs` before the cut… */
  windowMs: number;
  /** …and no later than `marginMs` before it, so its handshake is done in time. */
  marginMs: number;
}

export const DEFAULT_PLANNED_RECONNECT: PlannedReconnectOptions = {
  maxConnectionMs: 2 * 60 * 60 * 1000,
  windowMs: 10 * 60 * 1000,
  marginMs: 30 * 1000,
};

/**
 * When to open a connection's replacement, in ms after it opened (make-before-break: close the old one once
 * the new one is open). Clients that connected together, after a deploy or an outage, would otherwise all be
 * cut by the 2-hour limit in the same second and storm the new-connection quota; a uniform point of the last
 * ten minutes spreads them, and the spread survives every later cycle.
 */
export function plannedReconnectDelay(
  random: () => number,
  options: PlannedReconnectOptions = DEFAULT_PLANNED_RECONNECT,
): number {
  const earliest = Math.max(0, options.maxConnectionMs - options.windowMs);
  const latest = Math.max(earliest, options.maxConnectionMs - options.marginMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(earliest + (latest - earliest) * r);
}
