// The app's settings, shared by the browser (which fetches /config.json) and the Node servers (which produce it).
// One validator for both, so a bad value is refused where it enters rather than failing later in a redirect.
import { CLIENT_ID, isLoopbackHost, QUERY_PARAMETER_NAME, SCOPE } from '../../shared/formats.ts';

export interface WebConfig {
  /** Hosted UI base URL, e.g. https://prefix.auth.us-east-1.amazoncognito.com (no path). */
  hostedUiUrl: string;
  clientId: string;
  /** wss://<api>.execute-api.<region>.amazonaws.com/<stage>, or ws:// on loopback. */
  websocketUrl: string;
  /** A registered callback URL of the app client: where the hosted UI sends the code. */
  redirectUri: string;
  /** A registered sign-out URL of the app client. */
  logoutUri: string;
  scopes: string[];
  /** Optional extension (not in the architecture contract yet): the authorizer's TOKEN_QUERY_PARAM, default `token`. */
  tokenQueryParam?: string;
}

export class WebConfigError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`web config ${field} ${problem}`);
    this.name = 'WebConfigError';
  }
}

const MAX_URL = 2048;

function url(field: string, value: unknown, secure: string, plain: string): URL {
  if (typeof value !== 'string' || value === '') throw new WebConfigError(field, 'is required');
  if (value.length > MAX_URL) throw new WebConfigError(field, `is longer than ${MAX_URL} characters`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new WebConfigError(field, 'is not a URL');
  }
  if (parsed.username !== '' || parsed.password !== '') throw new WebConfigError(field, 'must not carry credentials');
  if (parsed.hash !== '') throw new WebConfigError(field, 'must not have a #fragment');
  // Plain http/ws only on loopback: anything else would carry codes and tokens in clear text.
  if (parsed.protocol === plain && !isLoopbackHost(parsed.hostname))
    throw new WebConfigError(field, `must use ${secure}// unless on localhost`);
  if (parsed.protocol !== secure && parsed.protocol !== plain)
    throw new WebConfigError(field, `must be a ${secure}// URL`);
  return parsed;
}

/** Validates an untrusted value (JSON from /config.json or from Terraform) into a WebConfig. */
export function parseWebConfig(input: unknown): WebConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new WebConfigError('', 'must be a JSON object');
  const raw = input as Record<string, unknown>;
  const hosted = url('hostedUiUrl', raw['hostedUiUrl'], 'https:', 'http:');
  if (hosted.search !== '') throw new WebConfigError('hostedUiUrl', 'must not have a query string');
  url('websocketUrl', raw['websocketUrl'], 'wss:', 'ws:');
  url('redirectUri', raw['redirectUri'], 'https:', 'http:');
  url('logoutUri', raw['logoutUri'], 'https:', 'http:');
  const clientId = raw['clientId'];
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId))
    throw new WebConfigError('clientId', 'must be an app client id (letters, digits, _ and +)');
  const scopes = raw['scopes'];
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.length > 50)
    throw new WebConfigError('scopes', 'must be a list of 1 to 50 scopes');
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE.test(scope))
      throw new WebConfigError('scopes', `has an invalid scope ${JSON.stringify(scope)}`);
  }
  const tokenQueryParam = raw['tokenQueryParam'];
  if (
    tokenQueryParam !== undefined &&
    (typeof tokenQueryParam !== 'string' || !QUERY_PARAMETER_NAME.test(tokenQueryParam))
  ) {
    throw new WebConfigError('tokenQueryParam', 'must be 1 to 64 letters, digits, _ . ~ or -');
  }
  const config: WebConfig = {
    // The base without a trailing slash, so paths can be appended.
    hostedUiUrl: hosted.href.replace(/\/+$/, ''),
    clientId,
    // Kept exactly as given: Cognito compares callback and sign-out URLs as exact strings.
    websocketUrl: String(raw['websocketUrl']),
    redirectUri: String(raw['redirectUri']),
    logoutUri: String(raw['logoutUri']),
    scopes: [...new Set(scopes as string[])],
  };
  if (tokenQueryParam !== undefined) config.tokenQueryParam = tokenQueryParam;
  return config;
}
