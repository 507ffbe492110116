// The token is checked only at $connect, but a connection may last 2 hours: every message re-checks `exp`.

/** True when the expiry (epoch seconds) is at or before `nowMs` (RFC 7519: the token is valid only *before* exp). */
export function isTokenExpired(exp: number, nowMs: number): boolean {
  return exp * 1000 <= nowMs;
}
