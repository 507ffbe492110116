// POST /oauth2/token and POST /oauth2/revoke: grant validation with Cognito's error codes. No I/O here: the
// caller parses the body and writes the response, so every branch is testable with a plain form.
import type { ResolvedClient } from './clients.ts';
import { CODE_VERIFIER, verifierMatches } from './pkce.ts';
import type { TokenIssuer, TokenResponse } from './token-issuer.ts';
import { subjectOf, type UserStore } from './users.ts';
import type { TokenSubject } from './claims.ts';
import type { ClaimValue } from './user-claims.ts';

export type OAuthError =
  'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'unsupported_token_type';

export type TokenOutcome =
  | { ok: true; body: TokenResponse; reason: string; clientId: string; sub: string }
  | { ok: false; error: OAuthError; reason: string };

export interface TokenEndpointDeps {
  findClient: (clientId: string) => ResolvedClient | undefined;
  tokens: TokenIssuer;
  users: UserStore;
  /** Extra claims for a user's tokens (LOCAL_USER_CLAIMS). */
  claimsFor?: (username: string) => Record<string, ClaimValue>;
}

const MAX_PARAM = 4096;

function fail(error: OAuthError, reason: string): TokenOutcome & { ok: false } {
  return { ok: false, error, reason };
}

/** One value per parameter: repeated or oversize parameters are refused rather than guessed at. */
function param(form: URLSearchParams, name: string): string | undefined | false {
  const values = form.getAll(name);
  if (values.length > 1) return false;
  const value = values[0];
  if (value === undefined || value === '') return undefined;
  return value.length > MAX_PARAM ? false : value;
}

/** The client id from the body or from HTTP Basic; public clients have no secret, so none is accepted. */
export function clientIdOf(
  form: URLSearchParams,
  authorization: string | undefined,
): { clientId: string } | { error: OAuthError; reason: string } {
  const fromBody = param(form, 'client_id');
  if (fromBody === false) return { error: 'invalid_request', reason: 'bad_client_id' };
  let fromHeader: string | undefined;
  if (authorization !== undefined) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
    if (!match?.[1]) return { error: 'invalid_client', reason: 'bad_authorization_header' };
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { error: 'invalid_client', reason: 'bad_authorization_header' };
    if (decoded.slice(colon + 1) !== '') return { error: 'invalid_client', reason: 'secret_for_public_client' };
    try {
      fromHeader = decodeURIComponent(decoded.slice(0, colon));
    } catch {
      return { error: 'invalid_client', reason: 'bad_authorization_header' };
    }
  }
  if (fromBody !== undefined && fromHeader !== undefined && fromBody !== fromHeader)
    return { error: 'invalid_request', reason: 'client_id_conflict' };
  const clientId = fromBody ?? fromHeader;
  if (clientId === undefined) return { error: 'invalid_request', reason: 'missing_client_id' };
  return { clientId };
}

/** The user as they are now (groups, claims), or why no tokens may be issued for them. */
function currentSubject(deps: TokenEndpointDeps, sub: string): TokenSubject | 'user_gone' | 'user_disabled' {
  const user = deps.users.findBySub(sub);
  if (!user) return 'user_gone';
  if (!user.enabled) return 'user_disabled';
  return subjectOf(user, deps.claimsFor?.(user.username) ?? {});
}

export function handleTokenRequest(
  form: URLSearchParams,
  authorization: string | undefined,
  deps: TokenEndpointDeps,
): TokenOutcome {
  const grantType = param(form, 'grant_type');
  if (grantType === false || grantType === undefined) return fail('invalid_request', 'missing_grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token')
    return fail('unsupported_grant_type', 'unsupported_grant_type');

  const client = clientIdOf(form, authorization);
  if ('error' in client) return fail(client.error, client.reason);
  if (!deps.findClient(client.clientId)) return fail('invalid_client', 'unknown_client');
  const clientId = client.clientId;

  if (grantType === 'authorization_code') {
    const code = param(form, 'code');
    const redirectUri = param(form, 'redirect_uri');
    const verifier = param(form, 'code_verifier');
    if (code === false || code === undefined) return fail('invalid_request', 'missing_code');
    if (redirectUri === false || redirectUri === undefined) return fail('invalid_request', 'missing_redirect_uri');
    if (verifier === false || verifier === undefined) return fail('invalid_request', 'missing_code_verifier');
    if (!CODE_VERIFIER.test(verifier)) return fail('invalid_request', 'malformed_code_verifier');
    const expired = deps.tokens.codes.hasExpired(code);
    // Taken before any other check: whatever happens next, a code is presented once (RFC 6749 4.1.2).
    const grant = deps.tokens.takeCode(code);
    if (!grant) {
      // RFC 9700 4.2.4: a code presented again means it leaked; revoke what its first redemption issued.
      if (deps.tokens.detectCodeReuse(code)) return fail('invalid_grant', 'code_reused_tokens_revoked');
      return fail('invalid_grant', expired ? 'expired_code' : 'unknown_or_used_code');
    }
    if (grant.auth.clientId !== clientId) return fail('invalid_grant', 'code_client_mismatch');
    if (grant.redirectUri !== redirectUri) return fail('invalid_grant', 'redirect_uri_mismatch');
    if (!verifierMatches(verifier, grant.codeChallenge)) return fail('invalid_grant', 'pkce_mismatch');
    const subject = currentSubject(deps, grant.auth.subject.sub);
    if (typeof subject === 'string') return fail('invalid_grant', subject);
    const body = deps.tokens.issueTokens({ ...grant.auth, subject }, true);
    deps.tokens.recordRedemption(code, grant.auth.originJti);
    return { ok: true, body, reason: 'code_redeemed', clientId, sub: subject.sub };
  }

  const refreshToken = param(form, 'refresh_token');
  if (refreshToken === false || refreshToken === undefined) return fail('invalid_request', 'missing_refresh_token');
  const grant = deps.tokens.refreshGrant(refreshToken);
  if (!grant) return fail('invalid_grant', 'unknown_revoked_or_expired_refresh_token');
  if (grant.auth.clientId !== clientId) return fail('invalid_grant', 'refresh_client_mismatch');
  const subject = currentSubject(deps, grant.auth.subject.sub);
  if (typeof subject === 'string') return fail('invalid_grant', subject);
  // As Cognito: new access and ID tokens for the same sign-in (auth_time, origin_jti kept), no new refresh token.
  return {
    ok: true,
    body: deps.tokens.issueTokens({ ...grant.auth, subject }, false),
    reason: 'refreshed',
    clientId,
    sub: subject.sub,
  };
}

export type RevokeOutcome = { ok: true; reason: string } | { ok: false; error: OAuthError; reason: string };

/** RFC 7009: an unknown token is not an error (200), so a client cannot probe which tokens exist. */
export function handleRevokeRequest(
  form: URLSearchParams,
  authorization: string | undefined,
  deps: TokenEndpointDeps,
): RevokeOutcome {
  const token = param(form, 'token');
  if (token === false || token === undefined) return fail('invalid_request', 'missing_token');
  const client = clientIdOf(form, authorization);
  if ('error' in client) return fail(client.error, client.reason);
  if (!deps.findClient(client.clientId)) return fail('invalid_client', 'unknown_client');
  if (token.split('.').length === 3) return fail('unsupported_token_type', 'access_token_revoke');
  const outcome = deps.tokens.revokeRefreshToken(token, client.clientId);
  return { ok: true, reason: outcome === 'revoked' ? 'revoked' : `revoke_${outcome}` };
}
