// The JWKS cache: the only cache in this design (API Gateway does not cache WebSocket authorizer results).
// - fetched by the first refresh() (index.ts calls it at cold start); concurrent callers share one in-flight fetch;
// - an unknown kid refetches at most once per cooldown, so random kids cannot drive traffic to the JWKS;
// - a failed fetch keeps the keys already held; after one immediate retry, attempts back off exponentially;
// - keys older than `refreshAfterMs` are refreshed in the background; past `maxAgeMs` a lookup waits for the
//   refresh (bounded by the fetch timeout), so a key removed from the JWKS stops verifying.
// The warm path (`peek`) is a Map lookup: no network, no key parsing, no promise.
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../log.ts';
import { fetchJwks, DEFAULT_FETCH_LIMITS, JwksFetchError, type FetchLimits } from './jwks-fetch.ts';
import type { HttpGet } from './http-request.ts';
import { keysFromJwks } from './jwks-keys.ts';

export interface JwksCacheOptions {
  readonly jwksUri: string;
  /** The HTTP transport (node:http in production, injectable in tests). */
  readonly get: HttpGet;
  /** Milliseconds since the epoch; injectable so tests control cooldowns and ages. */
  readonly now: () => number;
  readonly log: Logger;
  readonly limits?: FetchLimits;
  readonly unknownKidCooldownMs?: number;
  readonly maxAgeMs?: number;
  readonly refreshAfterMs?: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
}

export type KeyLookup =
  | { readonly ok: true; readonly key: KeyObject }
  | { readonly ok: false; readonly reason: 'unknown_kid' | 'jwks_unavailable' };

export interface KeySource {
  /** The key for `kid` when it is held and fresh; undefined means "ask `resolve`". */
  peek(kid: string): KeyObject | undefined;
  /** The key for `kid`, fetching the JWKS if the rules allow. Never rejects. */
  resolve(kid: string): Promise<KeyLookup>;
}

export interface JwksCache extends KeySource {
  /** Starts (or joins) a fetch; resolves true when it succeeded. Never rejects. */
  refresh(): Promise<boolean>;
}

export const DEFAULT_CACHE_TIMINGS = {
  unknownKidCooldownMs: 10_000,
  maxAgeMs: 60 * 60 * 1000,
  refreshAfterMs: 55 * 60 * 1000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
} as const;

export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const limits = options.limits ?? DEFAULT_FETCH_LIMITS;
  const cooldownMs = options.unknownKidCooldownMs ?? DEFAULT_CACHE_TIMINGS.unknownKidCooldownMs;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_CACHE_TIMINGS.maxAgeMs;
  const refreshAfterMs = Math.min(options.refreshAfterMs ?? DEFAULT_CACHE_TIMINGS.refreshAfterMs, maxAgeMs);
  const backoffInitialMs = options.backoffInitialMs ?? DEFAULT_CACHE_TIMINGS.backoffInitialMs;
  const backoffMaxMs = options.backoffMaxMs ?? DEFAULT_CACHE_TIMINGS.backoffMaxMs;
  const { now, log } = options;

  let keys: ReadonlyMap<string, KeyObject> | undefined;
  let fetchedAt = 0;
  // When the last fetch started (for the unknown-kid cooldown) and when back-off allows the next one.
  let lastAttemptAt: number | undefined;
  let retryAt = 0;
  let failures = 0;
  let inFlight: Promise<boolean> | undefined;

  async function fetchOnce(): Promise<boolean> {
    const started = now();
    lastAttemptAt = started;
    try {
      const doc = await fetchJwks(options.get, options.jwksUri, limits);
      const parsed = keysFromJwks(doc);
      keys = parsed.keys;
      fetchedAt = now();
      failures = 0;
      retryAt = 0;
      for (const skip of parsed.skipped)
        log('warn', 'jwks_key_skipped', { kid: skip.kid.slice(0, 64), skip: skip.reason });
      log(parsed.keys.size > 0 ? 'info' : 'warn', parsed.keys.size > 0 ? 'jwks_refreshed' : 'jwks_no_usable_keys', {
        keys: parsed.keys.size,
        ms: now() - started,
      });
      return true;
    } catch (err) {
      failures += 1;
      // The first failure allows one immediate retry: a fetch started at init can be frozen with the sandbox
      // (provisioned concurrency) and time out on thaw, and the first request should not pay for that.
      const delay = failures === 1 ? 0 : Math.min(backoffMaxMs, backoffInitialMs * 2 ** Math.min(failures - 2, 30));
      retryAt = now() + delay;
      log('warn', 'jwks_fetch_failed', {
        kind: err instanceof JwksFetchError ? err.kind : 'invalid_jwks',
        error: err instanceof Error ? err.message.slice(0, 200) : 'unknown',
        failures,
        retryInMs: delay,
        keysHeld: keys?.size ?? 0,
      });
      return false;
    }
  }

  function refresh(): Promise<boolean> {
    if (!inFlight) {
      inFlight = fetchOnce().finally(() => {
        inFlight = undefined;
      });
    }
    return inFlight;
  }

  const inBackoff = (t: number): boolean => t < retryAt;
  const age = (t: number): number => t - fetchedAt;

  function lookup(kid: string, fetchFailed: boolean): KeyLookup {
    const key = keys?.get(kid);
    if (key) return { ok: true, key };
    return { ok: false, reason: keys === undefined || fetchFailed ? 'jwks_unavailable' : 'unknown_kid' };
  }

  return {
    peek(kid) {
      if (keys === undefined || age(now()) >= refreshAfterMs) return undefined;
      return keys.get(kid);
    },

    async resolve(kid) {
      const t = now();
      const held = keys?.get(kid);
      const stale = keys !== undefined && age(t) >= refreshAfterMs;
      const expired = keys !== undefined && age(t) >= maxAgeMs;
      if (held && !stale) return { ok: true, key: held };
      if (held && !expired) {
        // Refresh ahead of the maximum age without making this request wait.
        if (!inBackoff(t)) void refresh();
        return { ok: true, key: held };
      }
      // From here: the kid is not held, or the held keys are past their maximum age.
      if (inFlight) return lookup(kid, !(await inFlight));
      // Past the maximum age the held set may still contain a removed key: wait for the fresh set.
      if (expired && !inBackoff(t)) return lookup(kid, !(await refresh()));
      // The JWKS is failing: keep serving what we hold until a retry succeeds.
      if (held) return { ok: true, key: held };
      if (inBackoff(t)) return lookup(kid, keys === undefined);
      if (keys !== undefined && lastAttemptAt !== undefined && t - lastAttemptAt < cooldownMs)
        return lookup(kid, false);
      return lookup(kid, !(await refresh()));
    },

    refresh,
  };
}
