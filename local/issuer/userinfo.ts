// GET|POST /oauth2/userInfo: the signed-in user's attributes for a valid access token, shaped as Cognito's
// (email_verified is the string "true"/"false" there, unlike the boolean in the ID token). A revoked token, or
// one of a disabled or deleted user, is refused as Cognito refuses it.
import type { AccessTokenCheck } from './access-token-check.ts';
import type { ClaimValue } from './user-claims.ts';
import type { UserStore } from './users.ts';

export interface UserInfoDeps {
  checkAccessToken: (token: string) => AccessTokenCheck;
  users: UserStore;
  /** Configured extra claims; the custom:* ones are custom attributes, which userInfo returns. */
  claimsFor?: (username: string) => Record<string, ClaimValue>;
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
  const checked = deps.checkAccessToken(match[1]);
  if (!checked.ok) return refuse(checked.reason);
  const { scopes, sub } = checked.token;
  if (!scopes.includes('openid')) {
    return {
      status: 403,
      body: { error: 'insufficient_scope', error_description: 'The access token needs the openid scope.' },
      reason: 'insufficient_scope',
    };
  }
  const user = deps.users.findBySub(sub);
  if (!user) return refuse('user_gone');
  const body: Record<string, string> = { sub: user.sub };
  for (const [name, value] of Object.entries(deps.claimsFor?.(user.username) ?? {})) {
    if (name.startsWith('custom:')) body[name] = String(value);
  }
  if (user.email !== undefined && (scopes.includes('email') || scopes.includes('profile'))) {
    body.email_verified = String(user.emailVerified);
    body.email = user.email;
  }
  body.username = user.username;
  return { status: 200, body, reason: 'userinfo' };
}
