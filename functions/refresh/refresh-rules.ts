// What a verified refresh does to a stored connection. Pure: the stored state, the new token's sub and exp and
// the time in, a plan out. The plan's update is applied by one conditional UpdateItem that also re-checks the
// state it was planned from, so concurrent refreshes cannot both pass the rate limit.

export interface StoredConnection {
  readonly sub: string;
  /** Epoch seconds: the expiry of record (the authorizer context's `exp` cannot change). */
  readonly tokenExp: number;
  /** DynamoDB TTL, epoch seconds. */
  readonly ttl: number;
  /** Epoch milliseconds. */
  readonly connectedAt: number;
  /** Refreshes counted in the current window; absent before the first refresh. */
  readonly refreshCount: number | undefined;
  /** Epoch seconds at which the current window started; absent before the first refresh. */
  readonly refreshWindowStart: number | undefined;
}

export interface RefreshUpdate {
  readonly tokenExp: number;
  readonly ttl: number;
  readonly refreshCount: number;
  readonly refreshWindowStart: number;
}

export type RefreshRejection = 'sub_mismatch' | 'not_newer' | 'rate_limited';

export type RefreshPlan =
  { readonly ok: true; readonly update: RefreshUpdate } | { readonly ok: false; readonly reason: RefreshRejection };

export const REFRESH_LIMIT = 10;
export const REFRESH_WINDOW_SECONDS = 60;
/** API Gateway closes every connection after 2 hours. */
export const MAX_CONNECTION_SECONDS = 7200;
export const TTL_MARGIN_SECONDS = 60;

/**
 * The item outlives the latest moment the connection can still be open (the new expiry, but never past API
 * Gateway's 2-hour limit) plus a margin; a TTL already later is kept.
 */
export function refreshedTtl(stored: Pick<StoredConnection, 'ttl' | 'connectedAt'>, newExp: number): number {
  const lastOpen = Math.min(newExp, Math.floor(stored.connectedAt / 1000) + MAX_CONNECTION_SECONDS);
  return Math.max(stored.ttl, lastOpen + TTL_MARGIN_SECONDS);
}

export function planRefresh(
  stored: StoredConnection,
  token: { readonly sub: string; readonly exp: number },
  nowMs: number,
): RefreshPlan {
  if (token.sub !== stored.sub) return { ok: false, reason: 'sub_mismatch' };
  if (token.exp <= stored.tokenExp) return { ok: false, reason: 'not_newer' };
  const nowS = Math.floor(nowMs / 1000);
  const windowStart = stored.refreshWindowStart;
  // A window started by a container whose clock runs slightly ahead still counts as the current one.
  const inWindow = windowStart !== undefined && nowS - windowStart < REFRESH_WINDOW_SECONDS;
  const count = inWindow ? (stored.refreshCount ?? 0) : 0;
  if (count >= REFRESH_LIMIT) return { ok: false, reason: 'rate_limited' };
  return {
    ok: true,
    update: {
      tokenExp: token.exp,
      ttl: refreshedTtl(stored, token.exp),
      refreshCount: count + 1,
      refreshWindowStart: inWindow ? windowStart : nowS,
    },
  };
}
