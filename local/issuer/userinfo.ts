// GET|POST /oauth2/userInfo: the signed-in user's attributes for a valid access token, shaped as Cognito's
// (email_verified is the string "true"/"false" there, unlike the boolean in the ID token).
import { verifyOwnJwt } from './jwt.ts';
import type { KeyRing } from './keys.ts';
import type { TokenIssuer } from './token-issuer.ts';
import type { UserStore } from './users.ts';

export interface UserInfoDeps {
  keys: KeyRing;
  issuer: string;
  tokens: TokenIssuer;
  users: UserStore;
  now: () => number;
}

export type UserInfoOutcome =
  | { status: 200; body: Record<string, string>; reason: 'userinfo' }
  | { status: 400 | 401 | 403; body: { error: string; error_description: string }; reason: string };

const INVALID = 'Access token is expired, disabled, or deleted, or the user has globally signed out.';

function refuse(reason: string): UserInfoOutcome {
  return { status: 401, body: { error: 'invalid_token', error_description: INVALID }, reason };
}

export function userInfo(authorization: string | undefined, deps: UserInfoDeps): UserInfoOutcome {
  if (authorization === undefined) {
    return {
      status: 401,
      body: {
        error: 'invalid_request',
        error_description: 'Authorization header with a Bearer access token is required.',
      },
      reason: 'missing_token',
    };
  }
  const match = /^Bearer +([A-Za-z0-9_.-]+)$/i.exec(authorization.trim());
  if (!match?.[1]) return refuse('malformed_authorization');
  const verified = verifyOwnJwt(match[1], deps.keys, deps.issuer, Math.floor(deps.now() / 1000));
  if (!verified.ok) return refuse(verified.reason);
  const claims = verified.claims;
  if (claims.token_use !== 'access') return refuse('not_access_token');
  if (typeof claims.sub !== 'string' || typeof claims.scope !== 'string' || typeof claims.origin_jti !== 'string')
    return refuse('malformed_claims');
  if (deps.tokens.revokedOrigins.get(claims.origin_jti)) return refuse('revoked');
  const scopes = claims.scope.split(' ');
  if (!scopes.includes('openid')) {
    return {
      status: 403,
      body: { error: 'insufficient_scope', error_description: 'The access token needs the openid scope.' },
      reason: 'insufficient_scope',
    };
  }
  const user = deps.users.findBySub(claims.sub);
  if (!user) return refuse('user_gone');
  const body: Record<string, string> = { sub: user.sub };
  if (user.email !== undefined && (scopes.includes('email') || scopes.includes('profile'))) {
    body.email_verified = String(user.emailVerified);
    body.email = user.email;
  }
  body.username = user.username;
  return { status: 200, body, reason: 'userinfo' };
}
