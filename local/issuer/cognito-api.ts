// Cognito's JSON API (AWSCognitoIdentityProviderService.<Op>) for the operations the project uses: GetUser,
// GlobalSignOut and RevokeToken, authenticated by the token in the body as on AWS, and the admin operations
// AdminGetUser, AdminUserGlobalSignOut, AdminDisableUser, AdminEnableUser and AdminDeleteUser, which the HTTP
// layer (cognito-http.ts) lets through only with a valid SigV4 signature. Pure: the pool is injected.
import type { AccessTokenCheck, AccessTokenFailure } from './access-token-check.ts';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const ADMIN_OPERATIONS: ReadonlySet<string> = new Set([
  'AdminGetUser',
  'AdminUserGlobalSignOut',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminDeleteUser',
]);
export const TOKEN_OPERATIONS: ReadonlySet<string> = new Set(['GetUser', 'GlobalSignOut', 'RevokeToken']);
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

export interface CognitoError {
  status: number;
  type: string; // Cognito's exception name, sent as __type
  message: string;
  reason: string; // our log reason code
}

export type ApiOutcome =
  { ok: true; body: Record<string, unknown>; reason: string } | { ok: false; error: CognitoError };

export interface UserView {
  username: string;
  sub: string;
  enabled: boolean;
  email?: string;
  emailVerified: boolean;
  createdAt: number; // epoch ms
  modifiedAt: number; // epoch ms
  attributes: Record<string, string>; // custom:* attributes
}

export type RefreshRevocation = 'revoked' | 'unknown_token' | 'unknown_client';

/** What the API needs from the pool; index.ts implements it over the user store and the token families. */
export interface CognitoPool {
  poolId: string;
  checkAccessToken(token: string): AccessTokenCheck;
  findUser(username: string): UserView | undefined;
  /** Revokes every token family of the user. */
  globalSignOut(sub: string): void;
  /** Disabling also revokes every token of the user, as Cognito does. false: no such user. */
  setEnabled(username: string, enabled: boolean): boolean;
  deleteUser(username: string): boolean;
  revokeRefreshToken(token: string, clientId: string): RefreshRevocation;
}

const MESSAGES: Record<AccessTokenFailure, [string, string]> = {
  malformed: ['NotAuthorizedException', 'Invalid Access Token'],
  bad_header: ['NotAuthorizedException', 'Invalid Access Token'],
  unknown_kid: ['NotAuthorizedException', 'Invalid Access Token'],
  bad_signature: ['NotAuthorizedException', 'Invalid Access Token'],
  wrong_issuer: ['NotAuthorizedException', 'Invalid Access Token'],
  not_access_token: ['NotAuthorizedException', 'Invalid Access Token'],
  malformed_claims: ['NotAuthorizedException', 'Invalid Access Token'],
  expired: ['NotAuthorizedException', 'Access Token has expired'],
  revoked: ['NotAuthorizedException', 'Access Token has been revoked'],
  user_disabled: ['NotAuthorizedException', 'User is disabled.'],
  user_gone: ['UserNotFoundException', 'User does not exist.'],
};

export function apiError(
  type: string,
  message: string,
  reason: string,
  status = 400,
): { ok: false; error: CognitoError } {
  return { ok: false, error: { status, type, message, reason } };
}

function invalidParameter(message: string, reason = 'invalid_parameter') {
  return apiError('InvalidParameterException', message, reason);
}

/** A required string field of the request body, or an error naming it. */
function field(
  body: Record<string, unknown>,
  name: string,
  pattern: RegExp,
  maxLength: number,
): { ok: true; value: string } | { ok: false; error: CognitoError } {
  const value = body[name];
  if (value === undefined || value === null) {
    return invalidParameter(
      `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
      `missing_${name}`,
    );
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !pattern.test(value)) {
    return invalidParameter(
      `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must satisfy its pattern and length`,
      `bad_${name}`,
    );
  }
  return { ok: true, value };
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const TOKEN = /^[A-Za-z0-9\-_=.]+$/;
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]+$/;

function userAttributes(user: UserView): Array<{ Name: string; Value: string }> {
  const attributes = [{ Name: 'sub', Value: user.sub }];
  if (user.email !== undefined) {
    attributes.push(
      { Name: 'email_verified', Value: String(user.emailVerified) },
      { Name: 'email', Value: user.email },
    );
  }
  for (const [name, value] of Object.entries(user.attributes)) attributes.push({ Name: name, Value: value });
  return attributes;
}

function authenticated(
  body: Record<string, unknown>,
  pool: CognitoPool,
): { ok: true; sub: string; username: string } | { ok: false; error: CognitoError } {
  const token = field(body, 'AccessToken', TOKEN, 16_384);
  if (!token.ok) return token;
  const check = pool.checkAccessToken(token.value);
  if (!check.ok) {
    const [type, message] = MESSAGES[check.reason];
    return apiError(type, message, `access_token_${check.reason}`);
  }
  // As on AWS: the user APIs accept only tokens granted the admin scope.
  if (!check.token.scopes.includes(ADMIN_SCOPE)) {
    return apiError('NotAuthorizedException', 'Access Token does not have required scopes', 'insufficient_scope');
  }
  return { ok: true, sub: check.token.sub, username: check.token.username };
}

function adminUser(
  body: Record<string, unknown>,
  pool: CognitoPool,
): { ok: true; username: string } | { ok: false; error: CognitoError } {
  const poolId = field(body, 'UserPoolId', POOL_ID, 55);
  if (!poolId.ok) return poolId;
  if (poolId.value !== pool.poolId) {
    return apiError('ResourceNotFoundException', `User pool ${poolId.value} does not exist.`, 'unknown_pool');
  }
  const username = field(body, 'Username', USERNAME, 128);
  if (!username.ok) return username;
  return { ok: true, username: username.value };
}

const userNotFound = () => apiError('UserNotFoundException', 'User does not exist.', 'user_not_found');

/** Runs one operation. `operation` is the part after the target prefix, already known to be supported. */
export function runOperation(operation: string, body: Record<string, unknown>, pool: CognitoPool): ApiOutcome {
  switch (operation) {
    case 'GetUser': {
      const auth = authenticated(body, pool);
      if (!auth.ok) return auth;
      const user = pool.findUser(auth.username);
      if (!user || user.sub !== auth.sub) return userNotFound();
      return { ok: true, body: { UserAttributes: userAttributes(user), Username: user.username }, reason: 'get_user' };
    }
    case 'GlobalSignOut': {
      const auth = authenticated(body, pool);
      if (!auth.ok) return auth;
      pool.globalSignOut(auth.sub);
      return { ok: true, body: {}, reason: 'global_sign_out' };
    }
    case 'RevokeToken': {
      const token = field(body, 'Token', TOKEN, 16_384);
      if (!token.ok) return token;
      const clientId = field(body, 'ClientId', CLIENT_ID, 128);
      if (!clientId.ok) return clientId;
      if (body.ClientSecret !== undefined) {
        return apiError('NotAuthorizedException', 'Client has no secret.', 'secret_for_public_client');
      }
      if (token.value.split('.').length === 3) {
        return apiError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.', 'access_token_revoke');
      }
      const outcome = pool.revokeRefreshToken(token.value, clientId.value);
      if (outcome === 'unknown_client') {
        return apiError('UnauthorizedException', 'The app client does not exist.', 'unknown_client');
      }
      // An unknown token is not an error, so a caller cannot probe which refresh tokens exist (RFC 7009).
      return { ok: true, body: {}, reason: outcome === 'revoked' ? 'revoke_token' : 'revoke_unknown_token' };
    }
    case 'AdminGetUser': {
      const target = adminUser(body, pool);
      if (!target.ok) return target;
      const user = pool.findUser(target.username);
      if (!user) return userNotFound();
      return {
        ok: true,
        body: {
          Enabled: user.enabled,
          UserAttributes: userAttributes(user),
          UserCreateDate: user.createdAt / 1000,
          UserLastModifiedDate: user.modifiedAt / 1000,
          UserStatus: 'CONFIRMED',
          Username: user.username,
        },
        reason: 'admin_get_user',
      };
    }
    case 'AdminUserGlobalSignOut': {
      const target = adminUser(body, pool);
      if (!target.ok) return target;
      const user = pool.findUser(target.username);
      if (!user) return userNotFound();
      pool.globalSignOut(user.sub);
      return { ok: true, body: {}, reason: 'admin_global_sign_out' };
    }
    case 'AdminDisableUser':
    case 'AdminEnableUser': {
      const target = adminUser(body, pool);
      if (!target.ok) return target;
      const enable = operation === 'AdminEnableUser';
      if (!pool.setEnabled(target.username, enable)) return userNotFound();
      return { ok: true, body: {}, reason: enable ? 'admin_enable_user' : 'admin_disable_user' };
    }
    case 'AdminDeleteUser': {
      const target = adminUser(body, pool);
      if (!target.ok) return target;
      if (!pool.deleteUser(target.username)) return userNotFound();
      return { ok: true, body: {}, reason: 'admin_delete_user' };
    }
    default:
      return apiError('UnknownOperationException', `Operation ${operation} is not supported.`, 'unknown_operation');
  }
}
