// The stage's throttling, as API Gateway applies it: one token bucket of `burst` tokens refilled at `rate` per
// second, one token per request (handshake or message). Off unless configured.
export interface ThrottleSettings {
  /** Bucket size (THROTTLING_BURST_LIMIT). */
  burst: number;
  /** Steady-state requests per second (THROTTLING_RATE_LIMIT). */
  rate: number;
}

export interface Throttle {
  /** Takes a token; false when the request is to be throttled. */
  take(): boolean;
}

export function createThrottle(settings: ThrottleSettings | undefined, now: () => number): Throttle {
  if (settings === undefined) return { take: () => true };
  let tokens = settings.burst;
  let last = now();
  return {
    take: () => {
      const t = now();
      tokens = Math.min(settings.burst, tokens + ((t - last) / 1000) * settings.rate);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
