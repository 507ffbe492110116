// The hosted UI in a real Chromium: proves what HTTP tests cannot, that the CSP (form-action included) lets the
// form post and its redirect through, that the selectors the web app's tests use exist, and that the pages are
// usable at phone width with no console errors.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { startIssuer, type RunningIssuer } from '../../../local/issuer/index.ts';
import { authorizeParams, decodeJwt, postToken } from './helpers.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('issuer: hosted UI in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let app: Server;
  let redirectUri: string;
  let issuer: RunningIssuer;

  before(async function () {
    if (!existsSync(CHROMIUM_PATH))
      throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`);
    // A stand-in app on another origin, where the redirect lands.
    app = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>app</title><h1>app</h1>');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const address = app.address();
    redirectUri = `http://localhost:${typeof address === 'object' && address ? address.port : 0}/`;
    issuer = await startIssuer({
      clients: [{ clientId: 'browserclient', callbackUrls: [redirectUri], logoutUrls: [redirectUri] }],
      log: () => undefined,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
  });
  after(async function () {
    await browser?.close();
    await issuer?.close();
    await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  });

  it('signs in at phone width through the form, lands on the app with code and state, then skips the form', async function () {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    const { params, verifier } = await authorizeParams({
      client_id: 'browserclient',
      redirect_uri: redirectUri,
      state: '<script>s</script>',
    });
    await page.goto(`${issuer.authorizeUrl}?${params}`);
    expect(await page.getAttribute('label[for=username]', 'for')).to.equal('username');
    // Nothing may overflow a narrow window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);

    await page.fill('input[name=username]', 'demo');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('#error-message[role=alert]');
    expect(await page.textContent('#error-message')).to.contain('Incorrect username or password.');
    expect(await page.inputValue('input[name=username]')).to.equal('demo');

    await page.fill('input[name=password]', 'Demo-passw0rd!');
    await Promise.all([page.waitForURL((url) => url.href.startsWith(redirectUri)), page.click('button[type=submit]')]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('state')).to.equal('<script>s</script>');
    const code = landed.searchParams.get('code') ?? '';
    const { body } = await postToken(issuer, {
      grant_type: 'authorization_code',
      client_id: 'browserclient',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(decodeJwt(String(body.access_token)).payload.username).to.equal('demo');

    await page.goto(
      `${issuer.authorizeUrl}?${(await authorizeParams({ client_id: 'browserclient', redirect_uri: redirectUri })).params}`,
    );
    expect(page.url().startsWith(redirectUri)).to.equal(true);
    expect(new URL(page.url()).searchParams.get('code')).to.match(/^[0-9a-f-]{36}$/);
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('signs up through the form and lands on the app', async function () {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const { params } = await authorizeParams({ client_id: 'browserclient', redirect_uri: redirectUri });
    await page.goto(`${issuer.authorizeUrl}?${params}`);
    await Promise.all([page.waitForURL(/\/signup\?/), page.click('#signup-link')]);
    await page.fill('input[name=username]', 'browseruser');
    await page.fill('input[name=email]', 'browser@example.com');
    await page.fill('input[name=password]', 'short');
    await page.click('button[type=submit]');
    expect(await page.textContent('#error-message')).to.contain('at least 8');
    await page.fill('input[name=password]', 'Browser-passw0rd!');
    await Promise.all([page.waitForURL((url) => url.href.startsWith(redirectUri)), page.click('button[type=submit]')]);
    expect(new URL(page.url()).searchParams.get('code')).to.match(/^[0-9a-f-]{36}$/);
    await context.close();
  });
});
