// Token claims in exactly Cognito's shape and order (see /work/shared/reference/cognito-tokens.md). Pure:
// every id and time is passed in, so tests can compare whole payloads.
import { createHash } from 'node:crypto';
import type { ClaimValue } from './user-claims.ts';

export interface TokenSubject {
  sub: string;
  username: string;
  email?: string;
  emailVerified: boolean;
  groups: string[];
  /** Extra claims (LOCAL_USER_CLAIMS), standing in for custom attributes and a pre-token-generation trigger. */
  claims?: Record<string, ClaimValue>;
}

/** Adds the configured extra claims last; a name the token already has is never overwritten. */
function withExtraClaims(claims: Record<string, unknown>, subject: TokenSubject): Record<string, unknown> {
  for (const [name, value] of Object.entries(subject.claims ?? {}))
    if (!Object.hasOwn(claims, name)) claims[name] = value;
  return claims;
}

/** One sign-in. Refreshes reuse it: Cognito keeps auth_time, origin_jti and event_id across refreshes. */
export interface Authentication {
  subject: TokenSubject;
  clientId: string;
  scopes: string[];
  authTime: number; // epoch seconds
  originJti: string;
  eventId: string;
  nonce?: string;
}

export interface Issuance {
  issuer: string;
  nowSeconds: number;
  ttlSeconds: number;
  jti: string;
}

export function accessTokenClaims(auth: Authentication, issuance: Issuance): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: auth.subject.sub };
  if (auth.subject.groups.length > 0) claims['cognito:groups'] = [...auth.subject.groups];
  Object.assign(claims, {
    iss: issuance.issuer,
    version: 2,
    client_id: auth.clientId,
    origin_jti: auth.originJti,
    event_id: auth.eventId,
    token_use: 'access',
    scope: auth.scopes.join(' '),
    auth_time: auth.authTime,
    exp: issuance.nowSeconds + issuance.ttlSeconds,
    iat: issuance.nowSeconds,
    jti: issuance.jti,
    username: auth.subject.username,
  });
  return withExtraClaims(claims, auth.subject);
}

/** OIDC at_hash for RS256: base64url of the left half of SHA-256 over the access token's ASCII. */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

export function idTokenClaims(auth: Authentication, issuance: Issuance, accessToken: string): Record<string, unknown> {
  const claims: Record<string, unknown> = { at_hash: atHash(accessToken), sub: auth.subject.sub };
  if (auth.subject.groups.length > 0) claims['cognito:groups'] = [...auth.subject.groups];
  if (auth.subject.email !== undefined) claims.email_verified = auth.subject.emailVerified;
  claims.iss = issuance.issuer;
  claims['cognito:username'] = auth.subject.username;
  if (auth.nonce !== undefined) claims.nonce = auth.nonce;
  Object.assign(claims, {
    origin_jti: auth.originJti,
    aud: auth.clientId,
    event_id: auth.eventId,
    token_use: 'id',
    auth_time: auth.authTime,
    exp: issuance.nowSeconds + issuance.ttlSeconds,
    iat: issuance.nowSeconds,
    jti: issuance.jti,
  });
  if (auth.subject.email !== undefined) claims.email = auth.subject.email;
  return withExtraClaims(claims, auth.subject);
}
