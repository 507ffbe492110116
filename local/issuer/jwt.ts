// Signing and verifying the pool's own JWTs. Signing is done here rather than with jsonwebtoken because
// jsonwebtoken always adds `typ: "JWT"` to the header and Cognito's header is exactly `{kid, alg}`.
import { sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { base64url } from './base64url.ts';
import type { KeyRing, SigningKey } from './keys.ts';

export type Claims = Record<string, unknown>;

export function signJwt(claims: Claims, key: SigningKey): string {
  const header = base64url(JSON.stringify({ kid: key.kid, alg: 'RS256' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = rsaSign('sha256', Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

export type VerifyFailure = 'malformed' | 'bad_header' | 'unknown_kid' | 'bad_signature' | 'expired' | 'wrong_issuer';

function parseObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies a token this pool issued: RS256 only, a key from our ring only, issuer and expiry checked. */
export function verifyOwnJwt(
  token: string,
  keys: KeyRing,
  issuer: string,
  nowSeconds: number,
): { ok: true; claims: Claims } | { ok: false; reason: VerifyFailure } {
  if (token.length > 8192) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part)))
    return { ok: false, reason: 'malformed' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseObject(headerPart);
  if (!header || header.alg !== 'RS256' || typeof header.kid !== 'string') return { ok: false, reason: 'bad_header' };
  const key = keys.find(header.kid);
  if (!key) return { ok: false, reason: 'unknown_kid' };
  const valid = rsaVerify(
    'sha256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    key.publicKey,
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!valid) return { ok: false, reason: 'bad_signature' };
  const claims = parseObject(payloadPart);
  if (!claims) return { ok: false, reason: 'malformed' };
  if (claims.iss !== issuer) return { ok: false, reason: 'wrong_issuer' };
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
