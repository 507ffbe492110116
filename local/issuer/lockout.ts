// Cognito's lockout for failed passwords: after n >= 5 failures a user is locked out for 2^(n-5) seconds, up to
// about 15 minutes. Attempts during a lock are refused without checking the password and do not count. A
// successful sign-in after a lock, or 15 minutes without an attempt, resets the count. Keyed by the lower-cased
// username whether or not the user exists, so a lock does not reveal which usernames exist.

export const FREE_ATTEMPTS = 5;
export const MAX_LOCK_MS = 15 * 60 * 1000;
const RESET_AFTER_MS = 15 * 60 * 1000;

interface Attempts {
  failures: number;
  lockedUntil: number; // epoch ms, 0 when not locked
  lastAttempt: number;
}

export type LockCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface SignInLockoutOptions {
  now: () => number;
  maxEntries?: number; // default 100,000 usernames
}

/** The lock that follows the n-th failure, in ms (0 below the threshold). */
export function lockDurationMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(2 ** (failures - FREE_ATTEMPTS) * 1000, MAX_LOCK_MS);
}

export class SignInLockout {
  private readonly attempts = new Map<string, Attempts>();
  private readonly maxEntries: number;

  constructor(private readonly options: SignInLockoutOptions) {
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  /** Whether a password may be checked for this username now. */
  check(username: string): LockCheck {
    const entry = this.current(username.toLowerCase());
    const now = this.options.now();
    if (entry && entry.lockedUntil > now) {
      return { ok: false, retryAfterSeconds: Math.ceil((entry.lockedUntil - now) / 1000) };
    }
    return { ok: true };
  }

  recordFailure(username: string): void {
    const key = username.toLowerCase();
    const now = this.options.now();
    const entry = this.current(key) ?? { failures: 0, lockedUntil: 0, lastAttempt: now };
    entry.failures++;
    entry.lastAttempt = now;
    const lock = lockDurationMs(entry.failures);
    entry.lockedUntil = lock > 0 ? now + lock : 0;
    this.attempts.delete(key); // re-insert: the map stays in order of last attempt, for eviction
    this.attempts.set(key, entry);
    for (const [oldest] of this.attempts) {
      if (this.attempts.size <= this.maxEntries) break;
      this.attempts.delete(oldest);
    }
  }

  recordSuccess(username: string): void {
    this.attempts.delete(username.toLowerCase());
  }

  private current(key: string): Attempts | undefined {
    const entry = this.attempts.get(key);
    if (entry && entry.lockedUntil <= this.options.now() && this.options.now() - entry.lastAttempt >= RESET_AFTER_MS) {
      this.attempts.delete(key);
      return undefined;
    }
    return entry;
  }
}
