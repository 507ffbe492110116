// A headless client of the hosted UI: the real authorization-code + PKCE flow over plain HTTP, the way a browser
// would do it, for scripts, integration tests and the load test. fetch and shared/pkce.ts only.
import { createPkce, randomToken } from '../../shared/pkce.ts';
import type { TokenSet as SharedTokenSet } from '../../shared/token-set.ts';

export interface HostedUiSignIn {
  hostedUiUrl: string; // e.g. http://127.0.0.1:9229 (or https://<prefix>.auth.<region>.amazoncognito.com)
  clientId: string;
  redirectUri: string;
  username: string;
  password: string;
  scopes?: string[]; // default: the client's allowed scopes (none sent)
  timeoutMs?: number; // per HTTP request, default 10 s
}

/** The shared token set; this client refuses a token answer without an id token, so it always has one. */
export interface TokenSet extends SharedTokenSet {
  idToken: string;
}

export interface RefreshOptions {
  hostedUiUrl: string;
  clientId: string;
  refreshToken: string;
  timeoutMs?: number;
}

/** Which step failed, and the HTTP status when there was one, so callers and tests can tell failures apart. */
export class SignInError extends Error {
  constructor(
    readonly step: 'authorize' | 'login' | 'redirect' | 'token',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#') && name !== '#39') return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const match of tag.matchAll(/([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const [, name, doubleQuoted, singleQuoted] = match;
    if (name) attrs.set(name.toLowerCase(), decodeEntities(doubleQuoted ?? singleQuoted ?? ''));
  }
  return attrs;
}

export interface LoginForm {
  action: string;
  hidden: Array<[string, string]>;
}

/** Finds the form that has a password field and returns its action and hidden fields. */
export function parseLoginForm(html: string): LoginForm | undefined {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, formAttrs = '', body = ''] = match;
    const inputs = [...body.matchAll(/<input\b[^>]*>/gi)].map((m) => attributes(m[0]));
    if (!inputs.some((input) => input.get('name') === 'password')) continue;
    const hidden: Array<[string, string]> = [];
    for (const input of inputs) {
      const name = input.get('name');
      if (input.get('type')?.toLowerCase() === 'hidden' && name) hidden.push([name, input.get('value') ?? '']);
    }
    return { action: attributes(`<form ${formAttrs}>`).get('action') ?? '', hidden };
  }
  return undefined;
}

/** The text of the page's error message, if any (the hosted UI's #error-message). */
export function parseErrorMessage(html: string): string | undefined {
  const match = /<[^>]*\bid="error-message"[^>]*>([\s\S]*?)<\/div>/i.exec(html);
  if (!match?.[1]) return undefined;
  return decodeEntities(match[1].replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function cookieHeader(response: Response, jar: Map<string, string>): string {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    const index = pair.indexOf('=');
    if (index > 0) jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

async function tokenRequest(
  tokenUrl: string,
  form: URLSearchParams,
  timeoutMs: number,
  fetchImpl: typeof fetch,
): Promise<TokenSet> {
  let response: Response;
  try {
    response = await fetchImpl(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new SignInError('token', `token endpoint unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SignInError(
      'token',
      `token endpoint answered ${response.status} with a body that is not JSON`,
      response.status,
    );
  }
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (!response.ok) {
    const error = typeof record.error === 'string' ? record.error : 'unknown_error';
    throw new SignInError('token', `token endpoint refused the request: ${error}`, response.status);
  }
  const {
    access_token: accessToken,
    id_token: idToken,
    refresh_token: refreshToken,
    expires_in: expiresIn,
    token_type: tokenType,
  } = record;
  if (typeof accessToken !== 'string' || typeof expiresIn !== 'number' || typeof tokenType !== 'string') {
    throw new SignInError('token', 'token response lacks access_token, expires_in or token_type', response.status);
  }
  if (typeof idToken !== 'string') {
    throw new SignInError('token', 'token response has no id_token: request the openid scope', response.status);
  }
  if (refreshToken !== undefined && typeof refreshToken !== 'string') {
    throw new SignInError('token', 'token response has a refresh_token that is not a string', response.status);
  }
  const set: TokenSet = { accessToken, idToken, expiresIn, tokenType };
  if (typeof refreshToken === 'string') set.refreshToken = refreshToken;
  return set;
}

function base(hostedUiUrl: string): string {
  return hostedUiUrl.replace(/\/+$/, '');
}

/** Signs in through the hosted UI and exchanges the code: authorize → login form → code redirect → token. */
export async function signInWithHostedUi(options: HostedUiSignIn, fetchImpl: typeof fetch = fetch): Promise<TokenSet> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pkce = await createPkce(globalThis.crypto);
  const state = randomToken(globalThis.crypto);
  const authorize = new URL(`${base(options.hostedUiUrl)}/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    ...(options.scopes ? { scope: options.scopes.join(' ') } : {}),
  }).toString();

  const jar = new Map<string, string>();
  const call = async (step: SignInError['step'], url: URL, init: RequestInit): Promise<Response> => {
    try {
      return await fetchImpl(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new SignInError(
        step,
        `${url.origin}${url.pathname} unreachable: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };

  const page = await call('authorize', authorize, { method: 'GET' });
  const html = await page.text();
  if (page.status !== 200) {
    const message =
      parseErrorMessage(html) ?? (page.headers.get('location') ? 'redirected without a login form' : 'no login form');
    throw new SignInError(
      'authorize',
      `hosted UI refused the authorize request (${page.status}): ${message}`,
      page.status,
    );
  }
  const form = parseLoginForm(html);
  if (!form) throw new SignInError('authorize', 'hosted UI page has no login form');
  const cookies = cookieHeader(page, jar);

  const body = new URLSearchParams(form.hidden);
  body.set('username', options.username);
  body.set('password', options.password);
  const loginUrl = new URL(form.action || authorize.pathname, authorize);
  if (loginUrl.origin !== authorize.origin) throw new SignInError('login', 'login form posts to another origin');
  const login = await call('login', loginUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookies ? { Cookie: cookies } : {}) },
    body: body.toString(),
  });
  const location = login.headers.get('location');
  if (login.status !== 302 && login.status !== 303) {
    const message = parseErrorMessage(await login.text()) ?? 'no redirect';
    throw new SignInError('login', `sign-in failed (${login.status}): ${message}`, login.status);
  }
  await login.arrayBuffer().catch(() => undefined);
  if (!location) throw new SignInError('login', 'sign-in redirect has no Location', login.status);

  const back = new URL(location, loginUrl);
  const expected = new URL(options.redirectUri);
  if (back.origin !== expected.origin || back.pathname !== expected.pathname) {
    throw new SignInError('redirect', 'sign-in redirected somewhere other than the redirect URI');
  }
  const error = back.searchParams.get('error');
  if (error)
    throw new SignInError(
      'redirect',
      `hosted UI returned ${error}: ${back.searchParams.get('error_description') ?? ''}`.trim(),
    );
  if (back.searchParams.get('state') !== state)
    throw new SignInError('redirect', 'state in the redirect does not match the one sent');
  const code = back.searchParams.get('code');
  if (!code) throw new SignInError('redirect', 'redirect has no code');

  return tokenRequest(
    `${base(options.hostedUiUrl)}/oauth2/token`,
    new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: options.clientId,
      code,
      redirect_uri: options.redirectUri,
      code_verifier: pkce.verifier,
    }),
    timeoutMs,
    fetchImpl,
  );
}

/** New access and ID tokens for a refresh token. As Cognito, no new refresh token comes back: keep the old one. */
export function refreshTokens(options: RefreshOptions, fetchImpl: typeof fetch = fetch): Promise<TokenSet> {
  return tokenRequest(
    `${base(options.hostedUiUrl)}/oauth2/token`,
    new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: options.clientId,
      refresh_token: options.refreshToken,
    }),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    fetchImpl,
  );
}
