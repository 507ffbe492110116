// Validation of the authorize request (GET /oauth2/authorize, /login and /signup share it). Pure.
// The order matters for safety: until client_id and redirect_uri are known good, nothing may redirect,
// so those failures are an error page; later failures go back to the registered redirect URI (RFC 6749 4.1.2.1).
import type { ResolvedClient } from './clients.ts';
import { S256_CHALLENGE } from './pkce.ts';

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  state?: string;
  nonce?: string;
  prompt?: 'login' | 'none';
}

export type AuthorizeValidation =
  | { kind: 'ok'; request: AuthorizeRequest }
  | { kind: 'page-error'; reason: string; message: string }
  | { kind: 'redirect-error'; reason: string; redirectUri: string; error: string; description: string; state?: string };

const MAX_STATE = 2048;
const MAX_NONCE = 2048;
const KNOWN = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
];

export function validateAuthorize(
  params: URLSearchParams,
  findClient: (id: string) => ResolvedClient | undefined,
): AuthorizeValidation {
  const single = (name: string): string | undefined | null => {
    const values = params.getAll(name);
    if (values.length > 1) return null; // duplicated: ambiguous, so refused
    return values[0];
  };

  const clientId = single('client_id');
  if (clientId === null)
    return { kind: 'page-error', reason: 'duplicate_client_id', message: 'client_id was given more than once.' };
  if (!clientId) return { kind: 'page-error', reason: 'missing_client_id', message: 'client_id is required.' };
  const client = findClient(clientId);
  if (!client)
    return {
      kind: 'page-error',
      reason: 'unknown_client',
      message: 'The client_id is not an app client of this user pool.',
    };

  const redirectUri = single('redirect_uri');
  if (redirectUri === null)
    return { kind: 'page-error', reason: 'duplicate_redirect_uri', message: 'redirect_uri was given more than once.' };
  if (!redirectUri) return { kind: 'page-error', reason: 'missing_redirect_uri', message: 'redirect_uri is required.' };
  // Exact string match, as Cognito: no prefix, no normalisation, so nothing close-but-different is redirected to.
  if (!client.callbackUrls.includes(redirectUri)) {
    return {
      kind: 'page-error',
      reason: 'unregistered_redirect_uri',
      message: 'redirect_uri is not a callback URL of this app client.',
    };
  }

  // From here on the redirect URI is trusted. `state` is echoed only if it is itself acceptable.
  const rawState = single('state');
  const state =
    typeof rawState === 'string' && rawState.length > 0 && rawState.length <= MAX_STATE ? rawState : undefined;
  const fail = (reason: string, error: string, description: string): AuthorizeValidation => {
    const failure: AuthorizeValidation = { kind: 'redirect-error', reason, redirectUri, error, description };
    if (state !== undefined) failure.state = state;
    return failure;
  };

  for (const name of KNOWN) {
    if (params.getAll(name).length > 1)
      return fail('duplicate_parameter', 'invalid_request', `${name} was given more than once`);
  }
  if (rawState !== undefined && rawState !== null && rawState.length > MAX_STATE) {
    return fail('state_too_long', 'invalid_request', `state must be at most ${MAX_STATE} characters`);
  }

  const responseType = single('response_type');
  if (!responseType) return fail('missing_response_type', 'invalid_request', 'response_type is required');
  if (responseType !== 'code')
    return fail('unsupported_response_type', 'unsupported_response_type', 'only response_type=code is supported');

  const challenge = single('code_challenge');
  const method = single('code_challenge_method');
  if (!challenge) return fail('missing_pkce', 'invalid_request', 'code_challenge is required (PKCE)');
  if (method !== 'S256') return fail('pkce_method', 'invalid_request', 'code_challenge_method must be S256');
  if (!S256_CHALLENGE.test(challenge))
    return fail('bad_code_challenge', 'invalid_request', 'code_challenge must be a 43-character base64url S256 digest');

  const scopeParam = single('scope');
  let scopes: string[];
  if (scopeParam === undefined || scopeParam === null || scopeParam.trim() === '') {
    scopes = [...client.allowedScopes]; // Cognito grants every allowed scope when none is asked for
  } else {
    scopes = [...new Set(scopeParam.split(' ').filter((s) => s.length > 0))];
    const refused = scopes.filter((s) => !client.allowedScopes.includes(s));
    if (refused.length > 0)
      return fail('invalid_scope', 'invalid_scope', 'a requested scope is not allowed for this client');
  }

  const request: AuthorizeRequest = { clientId, redirectUri, scopes, codeChallenge: challenge };
  if (state !== undefined) request.state = state;

  const nonce = single('nonce');
  if (typeof nonce === 'string' && nonce.length > 0) {
    if (nonce.length > MAX_NONCE)
      return fail('nonce_too_long', 'invalid_request', `nonce must be at most ${MAX_NONCE} characters`);
    request.nonce = nonce;
  }

  const prompt = single('prompt');
  if (typeof prompt === 'string' && prompt.length > 0) {
    if (prompt !== 'login' && prompt !== 'none')
      return fail('bad_prompt', 'invalid_request', 'prompt must be login or none');
    request.prompt = prompt;
  }
  return { kind: 'ok', request };
}

/** The query string that reproduces a validated request (links between the login and sign-up pages). */
export function authorizeQuery(request: AuthorizeRequest): string {
  const params = new URLSearchParams({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scopes.join(' '),
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  });
  if (request.state !== undefined) params.set('state', request.state);
  if (request.nonce !== undefined) params.set('nonce', request.nonce);
  return params.toString();
}

/** The registered redirect URI with OAuth response parameters added (code or error, then state). */
export function redirectWith(redirectUri: string, values: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(values)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}
