// The one check of an access token presented to the pool's own APIs (/oauth2/userInfo, GetUser, GlobalSignOut):
// signature, issuer and expiry, then what only the pool knows: is its token family still live, does the user
// still exist, is the user enabled. userInfo and the JSON API map the reasons to their own error shapes.
import { verifyOwnJwt } from './jwt.ts';
import type { KeyRing } from './keys.ts';
import type { FamilyStatus } from './token-families.ts';

export type AccessTokenFailure =
  | 'malformed'
  | 'bad_header'
  | 'unknown_kid'
  | 'bad_signature'
  | 'expired'
  | 'wrong_issuer'
  | 'not_access_token'
  | 'malformed_claims'
  | 'revoked'
  | 'user_gone'
  | 'user_disabled';

export interface AccessTokenSubject {
  sub: string;
  username: string;
  scopes: string[];
  originJti: string;
  clientId: string;
}

export type AccessTokenCheck = { ok: true; token: AccessTokenSubject } | { ok: false; reason: AccessTokenFailure };

export interface AccessTokenCheckDeps {
  keys: KeyRing;
  issuer: string;
  now: () => number;
  familyStatus: (originJti: string) => FamilyStatus;
  userState: (sub: string) => 'enabled' | 'disabled' | undefined;
}

export function checkAccessToken(token: string, deps: AccessTokenCheckDeps): AccessTokenCheck {
  const verified = verifyOwnJwt(token, deps.keys, deps.issuer, Math.floor(deps.now() / 1000));
  if (!verified.ok) return verified;
  const claims = verified.claims;
  if (claims.token_use !== 'access') return { ok: false, reason: 'not_access_token' };
  const { sub, username, scope, origin_jti: originJti, client_id: clientId } = claims;
  if (
    typeof sub !== 'string' ||
    typeof username !== 'string' ||
    typeof scope !== 'string' ||
    typeof originJti !== 'string' ||
    typeof clientId !== 'string'
  ) {
    return { ok: false, reason: 'malformed_claims' };
  }
  // Unknown counts as revoked: the pool issued every valid token, so it can only have forgotten a family.
  if (deps.familyStatus(originJti) !== 'live') return { ok: false, reason: 'revoked' };
  const state = deps.userState(sub);
  if (state === undefined) return { ok: false, reason: 'user_gone' };
  if (state === 'disabled') return { ok: false, reason: 'user_disabled' };
  return {
    ok: true,
    token: { sub, username, scopes: scope.split(' ').filter((s) => s !== ''), originJti, clientId },
  };
}
