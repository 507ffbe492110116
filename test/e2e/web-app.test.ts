// The web app end to end in headless Chromium against the real local stack (issuer, gateway, Lambda bundles,
// dynalite): hosted UI sign-in with PKCE and state, WebSocket connect with the token in the query string and as
// a subprotocol, the echo carrying the username, sign-out, the wrong-origin warning, what a failed handshake is
// found to be (refused, server unreachable), and token renewal on the open connection.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Browser, BrowserContext, Locator, Page, Request } from 'playwright-core';
import { startStack, type RunningStack, type StackOptions } from '../../local/stack.ts';
import { launchChromium, root, screenshot } from './browser.ts';

const FREE_PORTS = { web: 0, gateway: 0, issuer: 0, dynamodb: 0 };
const STEP_MS = 15_000;

interface Watch {
  authorizeUrls: URL[];
  tokenRequests: Request[];
  consoleErrors: string[];
}

function watch(page: Page): Watch {
  const seen: Watch = { authorizeUrls: [], tokenRequests: [], consoleErrors: [] };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/oauth2/token') seen.tokenRequests.push(request);
    if (url.pathname === '/oauth2/authorize') seen.authorizeUrls.push(url);
  });
  page.on('console', (message) => {
    // The hosted UI pages have no icon; the browser's request for one is the only expected failure.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
      seen.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (err) => seen.consoleErrors.push(`pageerror: ${err.message}`));
  return seen;
}

/** Waits for a log line containing `text`; fails with the log so far when it does not come. */
async function logLine(
  page: Page,
  text: string | RegExp,
  direction?: 'sent' | 'received' | 'push' | 'info' | 'error',
): Promise<Locator> {
  const line = page.locator(direction ? `#log li[data-direction="${direction}"]` : '#log li', { hasText: text }).last();
  try {
    await line.waitFor({ timeout: STEP_MS });
  } catch {
    const log = await page.locator('#log').innerText();
    throw new Error(`no log line matching ${String(text)}; the log shows:\n${log}`);
  }
  return line;
}

async function connectionState(page: Page, state: string): Promise<void> {
  try {
    await page.locator(`#status[data-state="${state}"]`).waitFor({ timeout: STEP_MS });
  } catch {
    const detail = await page.locator('#status-detail').textContent();
    const log = await page.locator('#log').innerText();
    throw new Error(`connection never reached "${state}" (detail: ${detail}); log:\n${log}`);
  }
}

async function signInThroughHostedUi(
  page: Page,
  stack: RunningStack,
  username: string,
  password: string,
): Promise<void> {
  await page.locator('#sign-in').click();
  await page.waitForURL((url) => url.origin === new URL(stack.config.hostedUiUrl).origin, { timeout: STEP_MS });
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.origin === new URL(stack.config.webUrl).origin, { timeout: STEP_MS });
}

async function signedInAs(page: Page, username: string): Promise<void> {
  await page.locator(`#who[data-username="${username}"]`).waitFor({ timeout: STEP_MS });
}

async function startBrowserAndStack(
  options: StackOptions,
  log: string[],
): Promise<{ browser: Browser; stack: RunningStack }> {
  const browser = await launchChromium();
  try {
    const stack = await startStack({
      ports: FREE_PORTS,
      logLevel: 'info',
      logSink: (line) => log.push(line),
      ...options,
    });
    return { browser, stack };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

describe('web app in headless Chromium against the local stack', function () {
  this.timeout(120_000);
  let stack: RunningStack;
  let browser: Browser;
  const stackLog: string[] = [];

  before(async function () {
    this.timeout(90_000);
    ({ browser, stack } = await startBrowserAndStack({}, stackLog));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  // One page through the whole session. Each step needs the ones before it, so after a failure the rest are
  // skipped: the first failing step names what broke.
  describe('the demo user signs in, echoes over both token transports and signs out', function () {
    let context: BrowserContext;
    let page: Page;
    let seen: Watch;
    let webUrl: string;
    let tokenResponse: Record<string, string>;
    let broken = false;

    before(async () => {
      context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      page = await context.newPage();
      seen = watch(page);
      webUrl = stack.config.webUrl;
    });

    after(async () => {
      await context?.close();
    });

    beforeEach(function () {
      if (broken) this.skip();
    });

    afterEach(function () {
      if (this.currentTest?.state === 'failed') broken = true;
    });

    it('shows the signed-out page with Connect disabled', async () => {
      await page.goto(webUrl);
      await page.locator('#sign-in').waitFor({ state: 'visible' });
      expect(await page.locator('#who').textContent()).to.equal('Not signed in.');
      expect(await page.locator('#connect').isDisabled(), 'Connect is enabled while signed out').to.equal(true);
      await screenshot(page, '01-signed-out');
    });

    it('leaves for /oauth2/authorize with PKCE S256, a random state and the configured scopes', async () => {
      await page.locator('#sign-in').click();
      await page.locator('input[name="username"]').waitFor({ timeout: STEP_MS });
      await screenshot(page, '02-hosted-ui-login');
      const authorize = seen.authorizeUrls[0];
      expect(authorize, 'no /oauth2/authorize request').to.not.equal(undefined);
      const query = (authorize as URL).searchParams;
      expect(query.get('response_type')).to.equal('code');
      expect(query.get('client_id')).to.equal(stack.config.clientId);
      expect(query.get('redirect_uri')).to.equal(webUrl);
      expect(query.get('code_challenge_method')).to.equal('S256');
      expect(query.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(query.get('state')).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(query.get('scope')).to.equal('openid email profile');
    });

    it('signs in with exactly one code exchange carrying the verifier, and clears the code from the address bar', async () => {
      await page.locator('input[name="username"]').fill(stack.demoUser.username);
      await page.locator('input[name="password"]').fill(stack.demoUser.password);
      await page.locator('button[type="submit"]').click();
      await signedInAs(page, stack.demoUser.username);
      expect(seen.tokenRequests).to.have.length(1);
      const exchange = new URLSearchParams((seen.tokenRequests[0] as Request).postData() ?? '');
      expect(exchange.get('grant_type')).to.equal('authorization_code');
      expect(exchange.get('code_verifier')).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(page.url(), 'the authorization code stayed in the address bar').to.equal(webUrl);
      tokenResponse = (await (await (seen.tokenRequests[0] as Request).response())?.json()) as Record<string, string>;
      expect(tokenResponse.refresh_token, 'the token endpoint returned no refresh token').to.be.a('string');
    });

    it('keeps every token out of storage and off the page, and shows the expiry', async () => {
      const stored = await page.evaluate(() =>
        JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage } }),
      );
      expect(stored).to.equal('{"session":{},"local":{}}');
      const html = await page.content();
      expect(html.includes(tokenResponse.refresh_token as string), 'the refresh token is on the page').to.equal(false);
      expect(html.includes(tokenResponse.access_token as string), 'the access token is on the page').to.equal(false);
      expect(await page.locator('#expiry').textContent()).to.match(/^\d+:\d{2}(:\d{2})?$/);
      await screenshot(page, '03-signed-in');
    });

    it('connects with the token as subprotocol and echoes JSON with the username and no token', async () => {
      // The default transport: "bearer, <token>", answered with "bearer"; JSON sent with the keyboard.
      await page.locator('#connect').click();
      await connectionState(page, 'connected');
      await logLine(page, 'subprotocol bearer');
      await screenshot(page, '04-connected');
      await page.locator('#message').fill('{"hello": "from the browser"}');
      await page.locator('#message').press('Control+Enter');
      await logLine(page, '{"hello":"from the browser"}', 'sent');
      const echo = await logLine(page, `echo for ${stack.demoUser.username}`);
      expect(await echo.textContent()).to.contain('"hello":"from the browser"');
      expect(await echo.getAttribute('data-direction')).to.equal('received');
      // The echoed connection data, on demand: who the authorizer said this is, and no token in it.
      await echo.locator('summary').click();
      const connectionData = JSON.parse((await echo.locator('pre').textContent()) ?? '') as {
        connection: Record<string, unknown>;
      };
      expect(connectionData.connection.username).to.equal(stack.demoUser.username);
      expect(connectionData.connection.sub).to.be.a('string').and.not.equal('');
      expect(connectionData.connection.tokenExp).to.be.a('number');
      expect(JSON.stringify(connectionData)).to.not.contain(tokenResponse.access_token);
      await screenshot(page, '05-echo');
    });

    it('reconnects with the token in the query string and echoes plain text without the token', async () => {
      await page.locator('#disconnect').click();
      await connectionState(page, 'disconnected');
      await page.locator('input[name="transport"][value="query"]').check();
      await page.locator('#connect').click();
      await connectionState(page, 'connected');
      await logLine(page, 'token in the query string');
      await page.locator('input[name="format"][value="text"]').check();
      await page.locator('#message').fill('plain text, not JSON');
      await page.locator('#send').click();
      await logLine(page, 'plain text, not JSON', 'sent');
      const textEcho = await logLine(page, 'plain text, not JSON', 'received');
      expect(
        await page.locator('#log li[data-direction="received"]', { hasText: 'plain text, not JSON' }).count(),
      ).to.equal(1);
      expect(await textEcho.textContent()).to.contain(`echo for ${stack.demoUser.username}`);
      await textEcho.locator('summary').click();
      const queryData = (await textEcho.locator('pre').textContent()) ?? '';
      expect(queryData, 'the echo carries no connection data').to.contain('"queryParameters"');
      expect(
        queryData.includes(tokenResponse.access_token as string),
        'the token came back in the echoed query parameters',
      ).to.equal(false);
      await screenshot(page, '06-query-string-echo');
    });

    it('signs out through the hosted UI logout, which ends the hosted UI session too', async () => {
      await page.locator('#sign-out').click();
      await page.waitForURL((url) => url.href === webUrl, { timeout: STEP_MS });
      await page.locator('#sign-in').waitFor({ state: 'visible', timeout: STEP_MS });
      expect(await page.locator('#who').textContent()).to.equal('Not signed in.');
      await screenshot(page, '07-signed-out-again');
      await page.locator('#sign-in').click();
      await page.locator('input[name="username"]').waitFor({ timeout: STEP_MS });
    });

    it('logged no browser console errors (CSP violations show here)', () => {
      expect(seen.consoleErrors, seen.consoleErrors.join(' | ')).to.deep.equal([]);
    });
  });

  describe('one fresh page per test', function () {
    let context: BrowserContext | undefined;

    beforeEach(async () => {
      context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    });

    afterEach(async () => {
      await context?.close();
      context = undefined;
    });

    it('is readable on a narrow window and usable from the keyboard alone, with a visible focus', async () => {
      const page = await (context as BrowserContext).newPage();
      const seen = watch(page);
      await page.setViewportSize({ width: 360, height: 740 });
      const overflow = (): Promise<number> =>
        page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await page.goto(stack.config.webUrl);
      await page.locator('#sign-in').waitFor({ state: 'visible' });
      expect(await overflow(), 'the page scrolls sideways at 360 px').to.be.at.most(0);

      // The first Tab lands on Sign in, with a focus ring.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('sign-in');
      expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).to.not.equal(
        'none',
      );
      await screenshot(page, '11-narrow-keyboard-focus');
      await page.keyboard.press('Enter');
      await page.locator('input[name="username"]').waitFor({ timeout: STEP_MS });
      // The hosted UI focuses the username field; the form is completed by typing, Tab and Enter.
      await page.keyboard.type(stack.demoUser.username);
      await page.keyboard.press('Tab');
      await page.keyboard.type(stack.demoUser.password);
      await page.keyboard.press('Enter');
      await signedInAs(page, stack.demoUser.username);

      // Tab order from Sign out: the transport choice, then Connect.
      await page.locator('#sign-out').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).to.equal(
        'transport',
      );
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('connect');
      await page.keyboard.press('Enter');
      await connectionState(page, 'connected');
      // Connect is now disabled; focus moves on to the message box instead of being lost.
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('message');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('{"from": "the keyboard"}');
      await page.keyboard.press('Control+Enter');
      await logLine(page, `echo for ${stack.demoUser.username}`);
      expect(await overflow(), 'long log lines make the page scroll sideways').to.be.at.most(0);
      await screenshot(page, '12-narrow-echo');
      expect(seen.consoleErrors).to.deep.equal([]);
    });

    it('refuses a return from the hosted UI whose state was tampered with, and never exchanges the code', async () => {
      const page = await (context as BrowserContext).newPage();
      const seen = watch(page);
      // Rewrites the state on its way to the hosted UI, so the real code comes back with a state this tab never sent.
      await page.route(
        (url) => url.pathname === '/oauth2/authorize',
        (route) => {
          const url = new URL(route.request().url());
          url.searchParams.set('state', `tampered${'x'.repeat(35)}`);
          return route.continue({ url: url.href });
        },
      );
      await page.goto(stack.config.webUrl);
      await signInThroughHostedUi(page, stack, stack.demoUser.username, stack.demoUser.password);
      const notice = page.locator('#notice[data-level="error"]');
      await notice.waitFor({ timeout: STEP_MS });
      expect(await notice.textContent()).to.contain('does not match');
      expect(seen.tokenRequests, 'the code was exchanged despite the wrong state').to.have.length(0);
      expect(page.url(), 'the refused code stayed in the address bar').to.equal(stack.config.webUrl);
      expect(await page.locator('#sign-in').isVisible()).to.equal(true);
      await screenshot(page, '08-wrong-state-refused');
    });

    it('refuses a return with a code but no state, and one this tab never started', async () => {
      const page = await (context as BrowserContext).newPage();
      const seen = watch(page);
      // Never started: no pending sign-in in this tab.
      await page.goto(`${stack.config.webUrl}?code=forged-code&state=whatever`);
      const notice = page.locator('#notice[data-level="error"]');
      await notice.waitFor({ timeout: STEP_MS });
      expect(await notice.textContent()).to.contain('did not start a sign-in');
      // Started, then a return without any state.
      await page.locator('#sign-in').click();
      await page.locator('input[name="username"]').waitFor({ timeout: STEP_MS });
      await page.goto(`${stack.config.webUrl}?code=forged-code`);
      await notice.waitFor({ timeout: STEP_MS });
      expect(await notice.textContent()).to.contain('does not match');
      expect(seen.tokenRequests).to.have.length(0);
      expect(page.url()).to.equal(stack.config.webUrl);
    });
  });
});

describe('web app in headless Chromium: origin, refusals, refresh in place, push, session ended, server unreachable', function () {
  this.timeout(120_000);
  let stack: RunningStack;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const stackLog: string[] = [];
  const member = { username: 'alice', password: 'Alice-passw0rd!', email: 'alice@example.com', groups: ['chat-users'] };
  const TTL_SECONDS = 8;

  before(async function () {
    this.timeout(90_000);
    // As `make local` with ALLOWED_GROUPS=chat-users (the demo user is not in it: 403),
    // COGNITO_REVOCATION_CHECK=1 (a session revoked at the issuer is refused at the handshake) and access tokens
    // that live 8 seconds.
    ({ browser, stack } = await startBrowserAndStack(
      {
        users: [member],
        accessTokenTtlSeconds: TTL_SECONDS,
        env: { ALLOWED_GROUPS: 'chat-users', COGNITO_REVOCATION_CHECK: '1' },
      },
      stackLog,
    ));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it('on 127.0.0.1 instead of the registered localhost, warns before sign-in and links to the right origin', async () => {
    const page = await (context as BrowserContext).newPage();
    const registered = new URL(stack.config.webUrl);
    const wrong = `http://127.0.0.1:${registered.port}/`;
    await page.goto(wrong);
    const notice = page.locator('#notice[data-level="error"]');
    await notice.waitFor({ timeout: STEP_MS });
    expect(await notice.textContent())
      .to.contain('http://127.0.0.1')
      .and.contain(registered.origin);
    expect(await page.locator('#sign-in').isDisabled(), 'Sign in stays usable on the wrong origin').to.equal(true);
    const link = page.locator('#notice-link');
    expect(await link.getAttribute('href')).to.equal(stack.config.webUrl);
    await screenshot(page, '13-wrong-origin');
    await link.click();
    await page.waitForURL(stack.config.webUrl, { timeout: STEP_MS });
    await page.locator('#sign-in').waitFor({ state: 'visible', timeout: STEP_MS });
    expect(await page.locator('#sign-in').isDisabled()).to.equal(false);
    expect(await page.locator('#notice').isHidden(), 'the warning shows on the right origin too').to.equal(true);
  });

  it('a user the server refuses (the issuer still accepts the token): says "signed in but refused", and does not retry', async () => {
    const page = await (context as BrowserContext).newPage();
    await page.goto(stack.config.webUrl);
    await signInThroughHostedUi(page, stack, stack.demoUser.username, stack.demoUser.password);
    await signedInAs(page, stack.demoUser.username);
    await page.locator('#connect').click();
    await connectionState(page, 'refused');
    expect(await page.locator('#status-detail').textContent()).to.equal(
      'Signed in but the server refused the connection (not allowed?).',
    );
    await logLine(page, 'Signed in but the server refused the connection', 'error');
    await screenshot(page, '09-connection-refused');
    // No automatic retry: a refused token would only load the authorizer again. Still signed in.
    await page.waitForTimeout(1500);
    expect(await page.locator('#status').getAttribute('data-state')).to.equal('refused');
    expect(await page.locator('#log li', { hasText: 'Reconnecting' }).count()).to.equal(0);
    expect(await page.locator('#log li', { hasText: /sign in again|token was rejected/i }).count()).to.equal(0);
    await signedInAs(page, stack.demoUser.username);
  });

  it('renews the token on the open connection before it expires: no reconnect, echoes go on past the first expiry', async () => {
    const page = await (context as BrowserContext).newPage();
    const seen = watch(page);
    await page.goto(stack.config.webUrl);
    await signInThroughHostedUi(page, stack, member.username, member.password);
    await signedInAs(page, member.username);
    const signedInAt = Date.now();
    await page.locator('#connect').click();
    await connectionState(page, 'connected');
    await page.locator('#message').fill('{"n": 1}');
    await page.locator('#send').click();
    await logLine(page, `echo for ${member.username}`);

    // Renewal with grant_type=refresh_token at 80% of the 8-second lifetime, handed to the open socket.
    await logLine(page, 'Token renewed.');
    const refresh = seen.tokenRequests
      .map((r) => new URLSearchParams(r.postData() ?? ''))
      .find((p) => p.get('grant_type') === 'refresh_token');
    expect(refresh, 'no refresh_token grant was sent').to.not.equal(undefined);
    await logLine(page, '{"action":"refresh","token":"(the renewed access token)"}', 'sent');
    const refreshed = await logLine(page, /^.*token refreshed on the connection \(expires \d{2}:\d{2}\)$/, 'info');
    expect(await refreshed.locator('.text').textContent()).to.match(
      /^token refreshed on the connection \(expires \d{2}:\d{2}\)$/,
    );

    // Past the first token's expiry the connection still echoes: the server follows the refreshed expiry.
    await page.waitForTimeout(Math.max(0, signedInAt + (TTL_SECONDS + 1) * 1000 - Date.now()));
    await page.locator('#message').fill('{"n": 2}');
    await page.locator('#send').click();
    await logLine(page, /echo for alice on .*: \{"n":2\}/, 'received');
    await screenshot(page, '10-token-refreshed-in-place');
    const log = await page.locator('#log').innerText();
    expect(await page.locator('#log li', { hasText: 'Connected (' }).count(), `reconnected; log:\n${log}`).to.equal(1);
    expect(log).to.not.match(/token_expired|Reconnecting|rejected/);
    expect(log, 'a token reached the log').to.not.match(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(await page.locator('#status').getAttribute('data-state')).to.equal('connected');
  });

  it('shows a push sent by the backend through the control function (Lambda Invoke) as ← push', async () => {
    const page = await (context as BrowserContext).newPage();
    await page.goto(stack.config.webUrl);
    await signInThroughHostedUi(page, stack, member.username, member.password);
    await signedInAs(page, member.username);
    await page.locator('#connect').click();
    await connectionState(page, 'connected');
    await page.locator('#message').fill('{"who": "am I"}');
    await page.locator('#send').click();
    const echo = await logLine(page, `echo for ${member.username}`, 'received');
    await echo.locator('summary').click();
    const sub = (JSON.parse((await echo.locator('pre').textContent()) ?? '{}') as { connection: { sub: string } })
      .connection.sub;
    expect(sub, 'the echo names no sub').to.be.a('string').and.not.equal('');

    const lambda = new LambdaClient({
      region: stack.config.region,
      credentials: stack.config.credentials,
      endpoint: stack.config.lambdaEndpoint,
      maxAttempts: 1,
    });
    try {
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: stack.config.functionNames.control,
          Payload: Buffer.from(JSON.stringify({ op: 'send', sub, message: { notice: 'pushed from the backend' } })),
        }),
      );
      expect(out.FunctionError, Buffer.from(out.Payload ?? []).toString()).to.equal(undefined);
      const answer = JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Record<string, number>;
      expect(answer).to.include({ delivered: 1, gone: 0, expired: 0, failed: 0 });
    } finally {
      lambda.destroy();
    }
    const push = await logLine(page, '{"notice":"pushed from the backend"}', 'push');
    expect(await push.locator('.direction').textContent()).to.equal('← push');
    expect(await push.locator('.text').textContent()).to.match(/\(sent \d{2}:\d{2}:\d{2}\.\d{3}\)$/);
    await screenshot(page, '15-push');
    // Refreshing the README's picture is opt-in, so a plain test run leaves the working tree clean.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      await mkdir(path.join(root, 'docs'), { recursive: true });
      await copyFile(path.join(root, 'test-artifacts', 'e2e', '15-push.png'), path.join(root, 'docs', 'web-app.png'));
    }
  });

  it('after the session is revoked at the issuer, says "your session ended, sign in again" and does not retry', async () => {
    const page = await (context as BrowserContext).newPage();
    const seen = watch(page);
    await page.goto(stack.config.webUrl);
    await signInThroughHostedUi(page, stack, member.username, member.password);
    await signedInAs(page, member.username);
    const exchange = seen.tokenRequests[0];
    const tokens = (await (await exchange?.response())?.json()) as { refresh_token?: string } | undefined;
    expect(tokens?.refresh_token, 'no refresh token from the code exchange').to.be.a('string');
    // Revoking the refresh token revokes the access tokens issued from it (Cognito's token family).
    const revoked = await fetch(`${stack.config.hostedUiUrl}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: tokens?.refresh_token as string,
        client_id: stack.config.clientId,
      }).toString(),
    });
    expect(revoked.status).to.equal(200);
    await page.locator('#connect').click();
    await connectionState(page, 'refused');
    expect(await page.locator('#status-detail').textContent()).to.equal('Your session ended, sign in again.');
    await page.locator('#sign-in').waitFor({ state: 'visible', timeout: STEP_MS });
    expect(await page.locator('#who').textContent()).to.equal('Not signed in.');
    await page.waitForTimeout(1500);
    expect(await page.locator('#log li', { hasText: 'Reconnecting' }).count()).to.equal(0);
    await screenshot(page, '16-session-ended');
  });

  // Last: it stops the stack's gateway.
  it('when the gateway stops, says "server unreachable, retrying" and keeps retrying', async () => {
    const page = await (context as BrowserContext).newPage();
    await page.goto(stack.config.webUrl);
    await signInThroughHostedUi(page, stack, member.username, member.password);
    await signedInAs(page, member.username);
    await page.locator('#connect').click();
    await connectionState(page, 'connected');
    await stack.gateway.close();
    await logLine(page, 'Server unreachable, retrying.', 'error');
    await connectionState(page, 'reconnecting');
    expect(await page.locator('#status-detail').textContent()).to.match(
      /^Server unreachable, retrying\. Reconnecting in/,
    );
    expect(await page.locator('#log li', { hasText: /refused|sign in again|session ended/i }).count()).to.equal(0);
    await screenshot(page, '14-server-unreachable');
  });
});
