// $disconnect's DeleteItem, retried while the invocation has time for another whole attempt. Each SDK call
// is itself bounded (two attempts of 1.5 s); this adds rounds with a pause between them, so a DynamoDB blip of
// a few seconds still leaves no orphan. When time runs out the caller logs `orphan_left` and TTL remains the
// backstop.

export interface Budget {
  /** Milliseconds left in the invocation, or undefined when unknown (then `maxRounds` alone bounds it). */
  readonly remainingMs: () => number | undefined;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface RetryOptions {
  readonly maxRounds: number;
  /** Pause before each round after the first. */
  readonly pauseMs: number;
  /** A round is started only with at least this much time left: one call's worst case plus a margin. */
  readonly roundMs: number;
}

export const DISCONNECT_RETRY: RetryOptions = { maxRounds: 3, pauseMs: 250, roundMs: 3500 };

export type DeleteOutcome =
  | { readonly ok: true; readonly rounds: number }
  | { readonly ok: false; readonly rounds: number; readonly error: unknown };

export async function deleteWithinBudget(
  del: () => Promise<void>,
  budget: Budget,
  options: RetryOptions = DISCONNECT_RETRY,
): Promise<DeleteOutcome> {
  let error: unknown;
  let rounds = 0;
  while (rounds < options.maxRounds) {
    if (rounds > 0) {
      const left = budget.remainingMs();
      if (left !== undefined && left < options.pauseMs + options.roundMs) break;
      await budget.sleep(options.pauseMs);
    }
    rounds += 1;
    try {
      await del();
      return { ok: true, rounds };
    } catch (err) {
      error = err;
    }
  }
  return { ok: false, rounds, error };
}
