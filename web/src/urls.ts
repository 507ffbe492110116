// Every URL and request body the app sends to the hosted UI and the WebSocket API. Pure: values in, strings out.
import type { WebConfig } from './config.ts';

export function authorizeUrl(config: WebConfig, state: string, challenge: string): string {
  const url = new URL(`${config.hostedUiUrl}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

export interface FormRequest {
  url: string;
  body: URLSearchParams;
}

export function tokenUrl(config: WebConfig): string {
  return `${config.hostedUiUrl}/oauth2/token`;
}

export function codeExchangeRequest(config: WebConfig, code: string, verifier: string): FormRequest {
  return {
    url: tokenUrl(config),
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: verifier,
    }),
  };
}

export function refreshRequest(config: WebConfig, refreshToken: string): FormRequest {
  return {
    url: tokenUrl(config),
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken }),
  };
}

export function revokeRequest(config: WebConfig, refreshToken: string): FormRequest {
  return {
    url: `${config.hostedUiUrl}/oauth2/revoke`,
    body: new URLSearchParams({ token: refreshToken, client_id: config.clientId }),
  };
}

export function logoutUrl(config: WebConfig): string {
  const url = new URL(`${config.hostedUiUrl}/logout`);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri }).toString();
  return url.href;
}

export type TokenTransport = 'query' | 'subprotocol';

export interface SocketTarget {
  url: string;
  protocols: string[];
}

/**
 * Browsers cannot set headers on a WebSocket handshake, so the token travels in the query string (`token`,
 * the authorizer's default TOKEN_QUERY_PARAM) or as the second subprotocol after `bearer`.
 */
export function socketTarget(
  websocketUrl: string,
  token: string,
  transport: TokenTransport,
  queryParam = 'token',
): SocketTarget {
  if (transport === 'subprotocol') return { url: websocketUrl, protocols: ['bearer', token] };
  const url = new URL(websocketUrl);
  url.searchParams.set(queryParam, token);
  return { url: url.href, protocols: [] };
}

/** The origin of a URL for the Content-Security-Policy connect-src list. */
export function originOf(href: string): string {
  const url = new URL(href);
  return `${url.protocol}//${url.host}`;
}
