// Extra claims for a user's tokens, standing in for custom attributes and a pre-token-generation trigger
// (LOCAL_USER_CLAIMS='{"demo":{"custom:tenant":"acme"}}'). Validated once, at start: a claim the pool itself
// sets is refused, so a configuration cannot forge identity, expiry or scope.

export type ClaimValue = string | number | boolean;
/** username (as configured) → claim name → value */
export type UserClaims = Record<string, Record<string, ClaimValue>>;

export const DEFAULT_USER_CLAIMS: UserClaims = { demo: { 'custom:tenant': 'acme' } };

/** Claims the pool sets itself, in access or ID tokens; none may be overridden. */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'auth_time',
  'jti',
  'origin_jti',
  'event_id',
  'token_use',
  'scope',
  'client_id',
  'username',
  'version',
  'at_hash',
  'nonce',
  'email',
  'email_verified',
  'identities',
  'cognito:username',
  'cognito:groups',
  'cognito:roles',
  'cognito:preferred_role',
]);

const CLAIM_NAME = /^[\x21-\x7E]{1,128}$/; // printable ASCII, no spaces: usable in a context key and a header
const MAX_VALUE_LENGTH = 2048;
const MAX_USERS = 1000;
const MAX_CLAIMS_PER_USER = 50;
// Names that would reach an object's prototype if ever used as a plain key: refused outright.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type UserClaimsResult = { ok: true; claims: UserClaims } | { ok: false; reason: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Validates an already-parsed value (the issuer option). */
export function validateUserClaims(value: unknown, source = 'userClaims'): UserClaimsResult {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      reason: `${source} must be a JSON object of usernames, e.g. {"demo":{"custom:tenant":"acme"}}`,
    };
  }
  const usernames = Object.keys(value);
  if (usernames.length > MAX_USERS) return { ok: false, reason: `${source} names more than ${MAX_USERS} users` };
  const claims = Object.create(null) as UserClaims;
  for (const username of usernames) {
    const userClaims = value[username];
    if (username.length === 0 || username.length > 128 || FORBIDDEN_KEYS.has(username.toLowerCase())) {
      return { ok: false, reason: `${source}: username ${JSON.stringify(username)} must be 1 to 128 characters` };
    }
    if (!isPlainObject(userClaims)) {
      return { ok: false, reason: `${source}.${username} must be an object of claim names to values` };
    }
    const names = Object.keys(userClaims);
    if (names.length > MAX_CLAIMS_PER_USER) {
      return { ok: false, reason: `${source}.${username} has more than ${MAX_CLAIMS_PER_USER} claims` };
    }
    const resolved: Record<string, ClaimValue> = Object.create(null) as Record<string, ClaimValue>;
    for (const name of names) {
      const claim = userClaims[name];
      if (!CLAIM_NAME.test(name) || FORBIDDEN_KEYS.has(name)) {
        return {
          ok: false,
          reason: `${source}.${username}: claim name ${JSON.stringify(name)} must be 1 to 128 printable characters without spaces`,
        };
      }
      if (RESERVED_CLAIMS.has(name)) {
        return {
          ok: false,
          reason: `${source}.${username}: claim ${name} is set by the pool itself and cannot be overridden`,
        };
      }
      if (typeof claim === 'string') {
        if (claim.length > MAX_VALUE_LENGTH) {
          return { ok: false, reason: `${source}.${username}.${name} must be at most ${MAX_VALUE_LENGTH} characters` };
        }
      } else if (typeof claim === 'number') {
        if (!Number.isFinite(claim))
          return { ok: false, reason: `${source}.${username}.${name} must be a finite number` };
      } else if (typeof claim !== 'boolean') {
        return { ok: false, reason: `${source}.${username}.${name} must be a string, a number or a boolean` };
      }
      resolved[name] = claim;
    }
    if (Object.hasOwn(claims, username.toLowerCase())) {
      return { ok: false, reason: `${source} names user ${username} twice (usernames are case-insensitive)` };
    }
    claims[username.toLowerCase()] = resolved;
  }
  return { ok: true, claims };
}

/** Parses the LOCAL_USER_CLAIMS text: JSON first, then the same validation as the option. */
export function parseUserClaims(text: string, source = 'LOCAL_USER_CLAIMS'): UserClaimsResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `${source} is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  return validateUserClaims(value, source);
}

/** The claims configured for a username (usernames match case-insensitively, as the pool's do). */
export function claimsFor(claims: UserClaims, username: string): Record<string, ClaimValue> {
  return Object.hasOwn(claims, username.toLowerCase()) ? (claims[username.toLowerCase()] ?? {}) : {};
}
