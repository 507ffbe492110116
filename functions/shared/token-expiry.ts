// The token is checked only at $connect, but a connection may last 2 hours: every message re-checks `exp`.

/**
 * True when any known expiry (epoch seconds) is at or before `nowMs` (RFC 7519: the token is valid only
 * *before* exp). Unknown expiries (undefined) are skipped; with none known the answer is false.
 */
export function isTokenExpired(expiries: readonly (number | undefined)[], nowMs: number): boolean {
  return expiries.some((exp) => exp !== undefined && exp * 1000 <= nowMs);
}
