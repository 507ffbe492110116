// Shared helpers for the issuer's integration tests: start an issuer on a free port, drive the hosted UI by hand.
import { createPkce } from '../../../shared/pkce.ts';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { LocalCredentials } from '../../../local/aws-auth/index.ts';
import { startIssuer, type IssuerOptions, type RunningIssuer } from '../../../local/issuer/index.ts';

export const CLIENT_ID = 'localwebclient';
export const OTHER_CLIENT_ID = 'otherclient';
export const REDIRECT_URI = 'http://localhost:3000/';
export const LOGOUT_URI = 'http://localhost:3000/signed-out';
export const DEMO = { username: 'demo', password: 'Demo-passw0rd!' };

/** A controllable clock: tests move time without waiting. */
export class TestClock {
  ms = Date.now();
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface TestIssuer extends RunningIssuer {
  logs: string[];
  clock: TestClock;
}

export async function startTestIssuer(overrides: Partial<IssuerOptions> = {}): Promise<TestIssuer> {
  const logs: string[] = [];
  const clock = new TestClock();
  const issuer = await startIssuer({
    port: 0,
    clients: [
      { clientId: CLIENT_ID, callbackUrls: [REDIRECT_URI], logoutUrls: [LOGOUT_URI] },
      {
        clientId: OTHER_CLIENT_ID,
        callbackUrls: ['http://127.0.0.1:4000/cb'],
        logoutUrls: [],
        allowedScopes: ['openid', 'email'],
      },
    ],
    now: clock.now,
    log: (line) => logs.push(line),
    ...overrides,
  });
  return Object.assign(issuer, { logs, clock });
}

export async function authorizeParams(overrides: Record<string, string | undefined> = {}): Promise<{
  params: URLSearchParams;
  verifier: string;
}> {
  const pkce = await createPkce(globalThis.crypto);
  const values: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    state: 'state-123',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, value);
  return { params, verifier: pkce.verifier };
}

export function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    const index = pair.indexOf('=');
    cookies.set(pair.slice(0, index), pair.slice(index + 1));
  }
  return cookies;
}

export function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

export function requestIdOf(html: string): string {
  const match = /name="request_id" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('page has no request_id field');
  return match[1];
}

export async function get(url: string, cookie?: string): Promise<{ response: Response; html: string }> {
  const response = await fetch(url, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
  return { response, html: await response.text() };
}

export async function postForm(
  url: string,
  form: Record<string, string>,
  cookie?: string,
): Promise<{ response: Response; html: string }> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return { response, html: await response.text() };
}

export interface CodeResult {
  code: string;
  verifier: string;
  location: URL;
  cookies: Map<string, string>;
}

/** Authorize + login by hand; returns the code from the redirect, plus the browser's cookies. */
export async function obtainCode(
  issuer: RunningIssuer,
  overrides: Record<string, string | undefined> = {},
  credentials = DEMO,
): Promise<CodeResult> {
  const { params, verifier } = await authorizeParams(overrides);
  const page = await get(`${issuer.authorizeUrl}?${params}`);
  if (page.response.status !== 200) throw new Error(`authorize answered ${page.response.status}`);
  const cookies = cookiesOf(page.response);
  const login = await postForm(
    `${issuer.url}/login`,
    { request_id: requestIdOf(page.html), ...credentials },
    cookieHeader(cookies),
  );
  const location = login.response.headers.get('location');
  if (login.response.status !== 302 || !location) throw new Error(`login answered ${login.response.status}`);
  for (const [k, v] of cookiesOf(login.response)) cookies.set(k, v);
  const url = new URL(location);
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`redirect has no code: ${location}`);
  return { code, verifier, location: url, cookies };
}

export async function postToken(
  issuer: RunningIssuer,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ response: Response; body: Record<string, unknown> }> {
  const response = await fetch(issuer.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

export function redeem(issuer: RunningIssuer, result: CodeResult, overrides: Record<string, string> = {}) {
  return postToken(issuer, {
    grant_type: 'authorization_code',
    client_id: CLIENT_ID,
    code: result.code,
    redirect_uri: REDIRECT_URI,
    code_verifier: result.verifier,
    ...overrides,
  });
}

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>,
  };
}

/** The real SDK client pointed at the issuer's Cognito JSON API, signing with `credentials`; one attempt. */
export function cognitoClient(issuer: RunningIssuer, credentials: LocalCredentials): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: issuer.cognitoEndpoint,
    region: issuer.region,
    credentials,
    maxAttempts: 1,
  });
}
