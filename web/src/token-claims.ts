// Reads the claims the page shows (who is signed in, when the token expires). Display only: the authorizer
// verifies the signature; nothing here grants anything. Decoding never throws on a malformed token.

export interface TokenClaims {
  sub: string;
  username: string;
  exp: number;
  iat: number;
  groups: string[];
  scope: string;
}

const MAX_TOKEN = 16 * 1024;

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  try {
    const binary = atob(base64);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** The payload of a compact JWS as a plain object, or undefined. */
export function decodePayload(token: string): Record<string, unknown> | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  const payload = decodeSegment(parts[1]);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  return payload as Record<string, unknown>;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function epochSeconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/**
 * Claims of an access token, with the ID token as a fallback for the name (`cognito:username`).
 * Undefined when the access token has no usable `exp`: the page cannot schedule anything around it.
 */
export function readClaims(accessToken: string, idToken?: string): TokenClaims | undefined {
  const access = decodePayload(accessToken);
  if (!access) return undefined;
  const exp = epochSeconds(access['exp']);
  if (exp === undefined) return undefined;
  const id = idToken ? decodePayload(idToken) : undefined;
  const sub = str(access['sub']);
  const username = str(access['username']) || str(id?.['cognito:username']) || sub;
  const groupsRaw = access['cognito:groups'];
  const groups = Array.isArray(groupsRaw) ? groupsRaw.filter((g): g is string => typeof g === 'string') : [];
  return { sub, username, exp, iat: epochSeconds(access['iat']) ?? exp - 3600, groups, scope: str(access['scope']) };
}

/** "59:07", "1:02:03", or "expired": the time left before `exp`. */
export function formatRemaining(expSeconds: number, nowMs: number): string {
  const left = Math.floor(expSeconds - nowMs / 1000);
  if (left <= 0) return 'expired';
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/**
 * When to renew: a minute before expiry, so a renewal that fails can be retried while the token still works;
 * for tokens too short-lived for that, at 80% of the lifetime. Never negative.
 */
export function refreshDelayMs(claims: Pick<TokenClaims, 'iat' | 'exp'>, nowMs: number): number {
  const lifetime = Math.max(0, claims.exp - claims.iat);
  const at = Math.max(claims.exp - 60, claims.iat + lifetime * 0.8);
  return Math.max(0, Math.round(at * 1000 - nowMs));
}
