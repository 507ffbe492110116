// Signature and claim checks of the shared checklist (docs: cognito-tokens.md §4-8). Pure apart from the
// crypto: the caller supplies the decoded token, the key and the current time.
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { own, vetPayload, type JsonObject } from './decode-jwt.ts';
import type { TokenUse } from './verifier-config.ts';

export interface VerifyOptions {
  readonly issuer: string;
  readonly tokenUse: TokenUse;
  readonly clientIds: ReadonlySet<string>;
  readonly clockToleranceSeconds: number;
}

export interface VerifiedClaims {
  readonly sub: string;
  readonly username: string;
  readonly clientId: string;
  readonly scope: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  readonly tokenUse: TokenUse;
  readonly exp: number;
  readonly authTime: number;
}

export type HeaderFailure = 'bad_alg' | 'malformed_token' | 'crit_unsupported';
export type VerifyFailure =
  | HeaderFailure
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'iat_in_future'
  | 'bad_issuer'
  | 'bad_token_use'
  | 'bad_client'
  | 'missing_claim'
  | 'invalid_claim'
  | 'verify_failed';

export type HeaderCheck =
  { readonly ok: true; readonly kid: string } | { readonly ok: false; readonly reason: HeaderFailure };
export type Verification =
  | { readonly ok: true; readonly claims: VerifiedClaims; readonly payload: JsonObject }
  | { readonly ok: false; readonly reason: VerifyFailure; readonly claim?: string };

const KID = /^[\x21-\x7E]{1,256}$/;
const MAX_SUB_LENGTH = 256;

/**
 * `alg` must be exactly RS256 and `kid` a short printable string. A `crit` member is refused whatever it lists
 * (RFC 7515 §4.1.11: we implement no extension, so none may be required). Anything else in the header (`jku`,
 * `jwk`, `x5u`, `x5c`, ...) is ignored on purpose: keys come only from the configured JWKS.
 */
export function checkHeader(header: JsonObject): HeaderCheck {
  if (own(header, 'alg') !== 'RS256') return { ok: false, reason: 'bad_alg' };
  if (Object.hasOwn(header, 'crit')) return { ok: false, reason: 'crit_unsupported' };
  const kid = own(header, 'kid');
  if (typeof kid !== 'string' || !KID.test(kid)) return { ok: false, reason: 'malformed_token' };
  return { ok: true, kid };
}

function mapJwtError(err: unknown): VerifyFailure {
  if (err instanceof jwt.TokenExpiredError) return 'expired';
  if (err instanceof jwt.NotBeforeError) return 'not_yet_valid';
  const message = err instanceof Error ? err.message : '';
  if (message === 'invalid signature' || message === 'jwt signature is required') return 'bad_signature';
  if (message.startsWith('jwt issuer invalid')) return 'bad_issuer';
  if (message === 'invalid algorithm' || message.startsWith('"alg" parameter')) return 'bad_alg';
  if (message === 'invalid nbf value' || message === 'invalid exp value') return 'invalid_claim';
  if (message === 'jwt malformed' || message === 'invalid token') return 'malformed_token';
  return 'verify_failed';
}

/** Latest date claim accepted: 9999-12-31T23:59:59Z. Beyond it no real token goes, and every store can hold it. */
export const MAX_EPOCH_SECONDS = 253_402_300_799;
/** A NumericDate we accept: a whole number of seconds between the epoch and year 9999 (no 1.5, no 1e308). */
const isEpochSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_EPOCH_SECONDS;

type Fail = { ok: false; reason: VerifyFailure; claim: string };
const fail = (reason: VerifyFailure, claim: string): Fail => ({ ok: false, reason, claim });

/** A required date claim, or the failure naming it. */
function dateClaim(payload: JsonObject, name: string): number | Fail {
  const value = own(payload, name);
  if (value === undefined) return fail('missing_claim', name);
  return isEpochSeconds(value) ? value : fail('invalid_claim', name);
}

/** An optional string claim: absent is `""`, any other type is refused. */
function optionalStringClaim(payload: JsonObject, name: string): string | Fail {
  const value = own(payload, name);
  if (value === undefined) return '';
  return typeof value === 'string' ? value : fail('invalid_claim', name);
}

/** Checks the claims of an already signature-verified payload. */
export function checkClaims(payload: JsonObject, options: VerifyOptions, nowSeconds: number): Verification {
  const tol = options.clockToleranceSeconds;
  const iss = own(payload, 'iss');
  if (iss === undefined) return fail('missing_claim', 'iss');
  if (iss !== options.issuer) return fail('bad_issuer', 'iss');

  const tokenUse = own(payload, 'token_use');
  if (tokenUse === undefined) return fail('missing_claim', 'token_use');
  if (tokenUse !== options.tokenUse) return fail('bad_token_use', 'token_use');

  // Access tokens name the app client in client_id (they have no aud); ID tokens in aud.
  const clientClaim = options.tokenUse === 'access' ? 'client_id' : 'aud';
  const clientId = own(payload, clientClaim);
  if (clientId === undefined) return fail('missing_claim', clientClaim);
  if (typeof clientId !== 'string') return fail('invalid_claim', clientClaim);
  if (!options.clientIds.has(clientId)) return fail('bad_client', clientClaim);

  const sub = own(payload, 'sub');
  if (sub === undefined || sub === '') return fail('missing_claim', 'sub');
  if (typeof sub !== 'string' || sub.length > MAX_SUB_LENGTH) return fail('invalid_claim', 'sub');

  const exp = dateClaim(payload, 'exp');
  if (typeof exp !== 'number') return exp;
  if (nowSeconds >= exp + tol) return fail('expired', 'exp');

  const iat = dateClaim(payload, 'iat');
  if (typeof iat !== 'number') return iat;
  if (iat > nowSeconds + tol) return fail('iat_in_future', 'iat');

  const nbf = own(payload, 'nbf');
  if (nbf !== undefined) {
    if (!isEpochSeconds(nbf)) return fail('invalid_claim', 'nbf');
    if (nbf > nowSeconds + tol) return fail('not_yet_valid', 'nbf');
  }

  const authTimeRaw = own(payload, 'auth_time');
  if (authTimeRaw !== undefined && !isEpochSeconds(authTimeRaw)) return fail('invalid_claim', 'auth_time');
  // Every Cognito token carries auth_time; should one not, the issue time is the closest honest value.
  const authTime = authTimeRaw ?? iat;

  const username = optionalStringClaim(payload, options.tokenUse === 'access' ? 'username' : 'cognito:username');
  if (typeof username !== 'string') return username;

  const scope = options.tokenUse === 'access' ? optionalStringClaim(payload, 'scope') : '';
  if (typeof scope !== 'string') return scope;

  const groupsRaw = own(payload, 'cognito:groups');
  let groups: string[] = [];
  if (groupsRaw !== undefined) {
    if (!Array.isArray(groupsRaw) || !groupsRaw.every((g): g is string => typeof g === 'string')) {
      return fail('invalid_claim', 'cognito:groups');
    }
    groups = groupsRaw;
  }

  return {
    ok: true,
    payload,
    claims: {
      sub,
      username,
      clientId,
      scope,
      scopes: scope === '' ? [] : scope.split(' ').filter((s) => s !== ''),
      groups,
      tokenUse: options.tokenUse,
      exp,
      authTime,
    },
  };
}

/**
 * Verifies the signature with jsonwebtoken (RS256 pinned, issuer and clock enforced there too) using a cached
 * KeyObject, then vets the payload it parsed and runs our own claim checks: jsonwebtoken does not require exp,
 * iat or sub, and can return a string payload.
 */
export function verifyToken(token: string, key: KeyObject, options: VerifyOptions, nowSeconds: number): Verification {
  let verified: unknown;
  try {
    verified = jwt.verify(token, key, {
      algorithms: ['RS256'],
      issuer: options.issuer,
      clockTolerance: options.clockToleranceSeconds,
      clockTimestamp: nowSeconds,
    });
  } catch (err) {
    return { ok: false, reason: mapJwtError(err) };
  }
  const payload = vetPayload(verified);
  if (!payload) return { ok: false, reason: 'malformed_token' };
  return checkClaims(payload, options, nowSeconds);
}
