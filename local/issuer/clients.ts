// App clients: public clients (no secret), like a Cognito app client used from a browser with PKCE.
export interface IssuerClient {
  clientId: string;
  callbackUrls: string[];
  logoutUrls: string[];
  allowedScopes?: string[]; // default ['openid', 'email', 'profile']
}

export interface ResolvedClient {
  clientId: string;
  callbackUrls: string[];
  logoutUrls: string[];
  allowedScopes: string[];
}

export const DEFAULT_SCOPES = ['openid', 'email', 'profile'];
const CLIENT_ID = /^[\w+]{1,128}$/; // Cognito's ClientId pattern
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/; // RFC 6749 scope-token

function assertUrl(clientId: string, kind: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`client ${clientId}: ${kind} must be strings`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`client ${clientId}: ${kind} entry ${JSON.stringify(value)} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`client ${clientId}: ${kind} entry ${JSON.stringify(value)} must be http or https`);
  }
  if (url.hash) throw new Error(`client ${clientId}: ${kind} entry ${JSON.stringify(value)} must not have a fragment`);
  return value;
}

/** Validates clients at start, so a typo fails loudly instead of as a puzzling redirect error later. */
export function resolveClients(clients: IssuerClient[]): Map<string, ResolvedClient> {
  if (!Array.isArray(clients) || clients.length === 0) throw new Error('Issuer needs at least one client');
  const resolved = new Map<string, ResolvedClient>();
  for (const client of clients) {
    if (typeof client.clientId !== 'string' || !CLIENT_ID.test(client.clientId)) {
      throw new Error(`clientId ${JSON.stringify(client.clientId)} must be 1 to 128 letters, digits, _ or +`);
    }
    if (resolved.has(client.clientId)) throw new Error(`client ${client.clientId} is configured twice`);
    if (!Array.isArray(client.callbackUrls) || client.callbackUrls.length === 0) {
      throw new Error(`client ${client.clientId}: callbackUrls must list at least one URL`);
    }
    const logoutUrls = client.logoutUrls ?? [];
    if (!Array.isArray(logoutUrls)) throw new Error(`client ${client.clientId}: logoutUrls must be an array`);
    const allowedScopes = client.allowedScopes ?? DEFAULT_SCOPES;
    if (
      !Array.isArray(allowedScopes) ||
      allowedScopes.length === 0 ||
      allowedScopes.some((s) => typeof s !== 'string' || !SCOPE.test(s))
    ) {
      throw new Error(`client ${client.clientId}: allowedScopes must be a non-empty list of scope names`);
    }
    resolved.set(client.clientId, {
      clientId: client.clientId,
      callbackUrls: client.callbackUrls.map((url) => assertUrl(client.clientId, 'callbackUrls', url)),
      logoutUrls: logoutUrls.map((url) => assertUrl(client.clientId, 'logoutUrls', url)),
      allowedScopes: [...new Set(allowedScopes)],
    });
  }
  return resolved;
}

/** Origins of every registered callback URL: the browser origins allowed to call the token endpoint. */
export function callbackOrigins(clients: Iterable<ResolvedClient>): Set<string> {
  const origins = new Set<string>();
  for (const client of clients) for (const url of client.callbackUrls) origins.add(new URL(url).origin);
  return origins;
}
