// Sign-in against a deployed hosted UI from a terminal: the authorization code + PKCE flow with a real browser,
// the redirect caught on a localhost listener at the registered callback URL, the code exchanged for tokens.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createPkce, randomToken } from '../../shared/pkce.ts';
import type { TokenSet } from '../../shared/token-set.ts';

export interface BrowserSignInOptions {
  hostedUiUrl: string;
  clientId: string;
  redirectUri: string;
  scopes?: string[];
  /** Shows the URL to the user (stderr) and tries to open a browser. */
  announce: (authorizeUrl: string) => void;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export class BrowserSignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserSignInError';
  }
}

/** The listener can only catch a redirect to this machine over plain http (what Cognito allows for localhost). */
export function callbackListenAddress(redirectUri: string): { host: string; port: number; path: string } {
  const url = new URL(redirectUri);
  if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new BrowserSignInError(
      `redirect URI ${redirectUri} is not http://localhost:<port>/...: register one in callback_urls to sign in from a terminal`,
    );
  }
  const port = Number(url.port || '80');
  return {
    host: url.hostname === '[::1]' ? '::1' : url.hostname === 'localhost' ? '127.0.0.1' : url.hostname,
    port,
    path: url.pathname,
  };
}

export function buildAuthorizeUrl(o: {
  hostedUiUrl: string;
  clientId: string;
  redirectUri: string;
  scopes?: string[];
  state: string;
  challenge: string;
}): string {
  const url = new URL(`${o.hostedUiUrl.replace(/\/+$/, '')}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    state: o.state,
    code_challenge: o.challenge,
    code_challenge_method: 'S256',
    ...(o.scopes && o.scopes.length > 0 ? { scope: o.scopes.join(' ') } : {}),
  }).toString();
  return url.toString();
}

/** Tries xdg-open (Linux) or open (macOS); silently does nothing when neither exists. */
export function tryOpenBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the printed URL is enough.
  }
}

const DONE_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Signed in</title><p>Signed in. You can close this tab.</p>';
const FAIL_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Sign-in failed</title><p>Sign-in failed. See the terminal.</p>';

async function exchange(o: BrowserSignInOptions, code: string, verifier: string): Promise<TokenSet> {
  const fetchImpl = o.fetchImpl ?? fetch;
  const response = await fetchImpl(`${o.hostedUiUrl.replace(/\/+$/, '')}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: o.clientId,
      code,
      redirect_uri: o.redirectUri,
      code_verifier: verifier,
    }).toString(),
    signal: AbortSignal.timeout(10_000),
  }).catch((err: unknown) => {
    throw new BrowserSignInError(`token endpoint unreachable: ${err instanceof Error ? err.message : String(err)}`);
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok)
    throw new BrowserSignInError(
      `token endpoint refused the code: ${typeof body.error === 'string' ? body.error : response.status}`,
    );
  if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
    throw new BrowserSignInError('token response lacks access_token or expires_in');
  }
  return {
    accessToken: body.access_token,
    ...(typeof body.id_token === 'string' ? { idToken: body.id_token } : {}),
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    expiresIn: body.expires_in,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
  };
}

export async function signInWithBrowser(o: BrowserSignInOptions): Promise<TokenSet> {
  const listen = callbackListenAddress(o.redirectUri);
  const { verifier, challenge } = await createPkce(globalThis.crypto);
  const state = randomToken(globalThis.crypto);

  let settle: (r: { code: string } | { error: string }) => void = () => {};
  const outcome = new Promise<{ code: string } | { error: string }>((r) => (settle = r));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    if (url.pathname !== listen.path) {
      res.writeHead(404).end();
      return;
    }
    // Another tab or a replayed URL must not complete the sign-in: the state ties the redirect to this run.
    if (url.searchParams.get('state') !== state) {
      res.writeHead(400, { 'Content-Type': 'text/html' }).end(FAIL_PAGE);
      return;
    }
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    res
      .writeHead(error || !code ? 400 : 200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' })
      .end(error || !code ? FAIL_PAGE : DONE_PAGE);
    settle(error || !code ? { error: error ?? 'no code in the redirect' } : { code });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new BrowserSignInError(
          err.code === 'EADDRINUSE'
            ? `port ${listen.port} of the redirect URI is in use: stop what listens there (the web app?)`
            : err.message,
        ),
      ),
    );
    server.listen(listen.port, listen.host, () => resolve());
  });
  const timer = setTimeout(() => settle({ error: 'timed out waiting for the browser' }), o.timeoutMs ?? 300_000);
  try {
    o.announce(buildAuthorizeUrl({ ...o, state, challenge }));
    const result = await outcome;
    if ('error' in result) throw new BrowserSignInError(`sign-in failed: ${result.error}`);
    return await exchange(o, result.code, verifier);
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
