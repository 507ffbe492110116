import { expect } from 'chai';
import { signInWithHostedUi, SignInError } from '../../../scripts/cli/hosted-ui-sign-in.ts';
import {
  CLIENT_ID,
  DEMO,
  OTHER_CLIENT_ID,
  REDIRECT_URI,
  authorizeParams,
  cookieHeader,
  cookiesOf,
  get,
  obtainCode,
  postForm,
  requestIdOf,
  startTestIssuer,
  type TestIssuer,
} from './helpers.ts';
import { rejectionOf } from '../../support/failures.ts';

describe('issuer: hosted UI authorize and login', function () {
  let issuer: TestIssuer;
  before(async function () {
    issuer = await startTestIssuer();
  });
  after(() => issuer.close());

  async function openLogin(overrides: Record<string, string | undefined> = {}) {
    const { params } = await authorizeParams(overrides);
    const page = await get(`${issuer.authorizeUrl}?${params}`);
    return { ...page, cookies: cookiesOf(page.response) };
  }

  describe('refusals that must never redirect', function () {
    for (const [name, overrides, message] of [
      ['an unknown client', { client_id: 'nosuchclient' }, 'not an app client'],
      ['a missing client_id', { client_id: undefined }, 'client_id is required'],
      ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/' }, 'not a callback URL'],
      ['a redirect_uri that only shares a prefix', { redirect_uri: `${REDIRECT_URI}callback` }, 'not a callback URL'],
      ["another client's redirect_uri", { redirect_uri: 'http://127.0.0.1:4000/cb' }, 'not a callback URL'],
      ['a missing redirect_uri', { redirect_uri: undefined }, 'redirect_uri is required'],
    ] as const) {
      it(`answers ${name} with a 400 HTML error page and no Location`, async function () {
        const { response, html } = await openLogin(overrides);
        expect(response.status).to.equal(400);
        expect(response.headers.get('location')).to.equal(null);
        expect(response.headers.get('content-type')).to.match(/^text\/html/);
        expect(html).to.contain(message);
        expect(html).to.not.contain('evil.example');
      });
    }

    it('refuses a duplicated client_id instead of picking one', async function () {
      const { params } = await authorizeParams();
      params.append('client_id', OTHER_CLIENT_ID);
      const { response } = await get(`${issuer.authorizeUrl}?${params}`);
      expect(response.status).to.equal(400);
      expect(response.headers.get('location')).to.equal(null);
    });
  });

  describe('refusals sent back to the registered redirect URI', function () {
    for (const [name, overrides, error, description] of [
      ['a missing code_challenge', { code_challenge: undefined }, 'invalid_request', /code_challenge is required/],
      ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request', /S256/],
      ['a missing PKCE method', { code_challenge_method: undefined }, 'invalid_request', /S256/],
      ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request', /43-character/],
      ['response_type token', { response_type: 'token' }, 'unsupported_response_type', /code/],
      ['a scope the client may not use', { scope: 'openid aws.cognito.signin.user.admin' }, 'invalid_scope', /scope/],
    ] as const) {
      it(`redirects ${name} as ${error} with state and no code`, async function () {
        const { response } = await openLogin(overrides);
        expect(response.status).to.equal(302);
        const location = new URL(response.headers.get('location') ?? 'http://missing/');
        expect(`${location.origin}${location.pathname}`).to.equal(REDIRECT_URI);
        expect(location.searchParams.get('error')).to.equal(error);
        expect(location.searchParams.get('error_description')).to.match(description);
        expect(location.searchParams.get('state')).to.equal('state-123');
        expect(location.searchParams.has('code')).to.equal(false);
      });
    }
  });

  it('shows a login form with stable selectors, a single-use request id and security headers', async function () {
    const { response, html, cookies } = await openLogin();
    expect(response.status).to.equal(200);
    expect(html).to.match(/<form id="login-form" method="post" action="\/login"/);
    expect(html).to.match(/<input id="username" name="username"/);
    expect(html).to.match(/<input id="password" name="password" type="password"/);
    expect(html).to.match(/<button id="signin-button" type="submit">/);
    expect(html).to.match(/<label for="username">/);
    expect(html).to.contain('id="signup-link"');
    // The pending request itself, MAC'd: base64url payload, a dot, a 43-character HMAC-SHA256.
    expect(requestIdOf(html)).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp)
      .to.contain("default-src 'none'")
      .and.contain("frame-ancestors 'none'")
      .and.contain("form-action 'self' http://localhost:3000");
    expect(csp).to.not.contain('unsafe-inline');
    expect(response.headers.get('cache-control')).to.equal('no-store');
    expect(response.headers.get('x-frame-options')).to.equal('DENY');
    expect(cookies.get('XSRF-TOKEN')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(response.headers.getSetCookie()[0]).to.contain('HttpOnly').and.contain('SameSite=Lax');
  });

  it('serves the stylesheet the CSP allows', async function () {
    const response = await fetch(`${issuer.url}/static/hosted-ui.css`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/css/);
    expect(await response.text()).to.contain(':focus-visible');
  });

  it('escapes a state carrying <script> everywhere the page reflects it', async function () {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>\'';
    const { response, html } = await openLogin({ state: hostile });
    expect(response.status).to.equal(200);
    expect(html).to.not.contain('<script>');
    expect(html).to.not.contain('<img');
    expect(html).to.not.contain('"><');
    // ...and it still round-trips to the registered redirect URI unchanged.
    const result = await obtainCode(issuer, { state: hostile });
    expect(result.location.searchParams.get('state')).to.equal(hostile);
  });

  it('re-shows the form (200) with an error on bad credentials, never redirecting, and escapes the echoed username', async function () {
    const { html, cookies } = await openLogin();
    const firstId = requestIdOf(html);
    const wrong = await postForm(
      `${issuer.url}/login`,
      { request_id: firstId, username: '<b>demo</b>', password: 'wrong' },
      cookieHeader(cookies),
    );
    expect(wrong.response.status).to.equal(200);
    expect(wrong.response.headers.get('location')).to.equal(null);
    expect(wrong.html).to.contain('Incorrect username or password.');
    expect(wrong.html).to.contain('role="alert"');
    expect(wrong.html).to.contain('value="&lt;b&gt;demo&lt;/b&gt;"');
    expect(wrong.html).to.not.contain('<b>demo');
    const secondId = requestIdOf(wrong.html);
    expect(secondId).to.not.equal(firstId);
    // The fresh id works with the right password; the used one never works again.
    const ok = await postForm(`${issuer.url}/login`, { request_id: secondId, ...DEMO }, cookieHeader(cookies));
    expect(ok.response.status).to.equal(302);
    const replay = await postForm(`${issuer.url}/login`, { request_id: firstId, ...DEMO }, cookieHeader(cookies));
    expect(replay.response.status).to.equal(400);
    expect(replay.response.headers.get('location')).to.equal(null);
  });

  it('asks for both fields when one is empty', async function () {
    const { html, cookies } = await openLogin();
    const empty = await postForm(
      `${issuer.url}/login`,
      { request_id: requestIdOf(html), username: 'demo', password: '' },
      cookieHeader(cookies),
    );
    expect(empty.response.status).to.equal(200);
    expect(empty.html).to.contain('Enter your username and password.');
  });

  it('refuses a login post without the browser cookie the form was shown with (cross-site post)', async function () {
    const { html } = await openLogin();
    const forged = await postForm(`${issuer.url}/login`, { request_id: requestIdOf(html), ...DEMO });
    expect(forged.response.status).to.equal(403);
    expect(forged.response.headers.get('location')).to.equal(null);
    const other = await postForm(
      `${issuer.url}/login`,
      { request_id: requestIdOf((await openLogin()).html), ...DEMO },
      `XSRF-TOKEN=${'x'.repeat(43)}`,
    );
    expect(other.response.status).to.equal(403);
  });

  it('refuses an unknown request id with an error page', async function () {
    const { cookies } = await openLogin();
    const result = await postForm(`${issuer.url}/login`, { request_id: 'made-up', ...DEMO }, cookieHeader(cookies));
    expect(result.response.status).to.equal(400);
    expect(result.html).to.contain('expired or was already used');
  });

  it('expires a login form after loginTtlSeconds', async function () {
    const { html, cookies } = await openLogin();
    issuer.clock.advance(901);
    const late = await postForm(
      `${issuer.url}/login`,
      { request_id: requestIdOf(html), ...DEMO },
      cookieHeader(cookies),
    );
    expect(late.response.status).to.equal(400);
  });

  it('signs in case-insensitively but keeps the stored username', async function () {
    const set = await signInWithHostedUi({
      hostedUiUrl: issuer.url,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      username: 'DEMO',
      password: DEMO.password,
    });
    const payload = JSON.parse(Buffer.from(set.accessToken.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload.username).to.equal('demo');
  });

  it('reuses the hosted-UI session cookie so a second authorize skips the form, unless prompt=login', async function () {
    const first = await obtainCode(issuer);
    const session = first.cookies.get('cognito');
    expect(session).to.match(/^[A-Za-z0-9_-]{43}$/);
    const { params } = await authorizeParams({ state: 'second' });
    const again = await get(`${issuer.authorizeUrl}?${params}`, cookieHeader(first.cookies));
    expect(again.response.status).to.equal(302);
    const location = new URL(again.response.headers.get('location') ?? 'http://missing/');
    expect(location.searchParams.get('code')).to.match(/^[0-9a-f-]{36}$/);
    expect(location.searchParams.get('state')).to.equal('second');
    const forced = await get(
      `${issuer.authorizeUrl}?${(await authorizeParams({ prompt: 'login' })).params}`,
      cookieHeader(first.cookies),
    );
    expect(forced.response.status).to.equal(200);
    expect(forced.html).to.contain('login-form');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async function () {
    const { html, cookies } = await openLogin();
    const ok = await postForm(`${issuer.url}/login`, { request_id: requestIdOf(html), ...DEMO }, cookieHeader(cookies));
    const line = ok.response.headers.getSetCookie().find((c) => c.startsWith('cognito='));
    expect(line)
      .to.match(/HttpOnly/)
      .and.match(/SameSite=Lax/)
      .and.match(/Max-Age=3600/);
  });

  it('answers prompt=none without a session with login_required at the redirect URI', async function () {
    const { response } = await openLogin({ prompt: 'none' });
    expect(response.status).to.equal(302);
    expect(new URL(response.headers.get('location') ?? 'http://x/').searchParams.get('error')).to.equal(
      'login_required',
    );
  });

  it('makes the headless client report bad credentials as a login failure', async function () {
    const err = await rejectionOf(
      signInWithHostedUi({
        hostedUiUrl: issuer.url,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        username: 'demo',
        password: 'Wrong-passw0rd!',
      }),
      SignInError,
    );
    expect(err).to.include({ step: 'login', status: 200 });
    expect(err.message).to.contain('Incorrect username or password.');
  });

  it('makes the headless client report an unregistered redirect URI at the authorize step', async function () {
    const err = await rejectionOf(
      signInWithHostedUi({
        hostedUiUrl: issuer.url,
        clientId: CLIENT_ID,
        redirectUri: 'http://localhost:9999/',
        ...DEMO,
      }),
    );
    expect(err).to.include({ step: 'authorize', status: 400 });
  });

  it('answers unknown paths with 404 and wrong methods with 405', async function () {
    expect((await fetch(`${issuer.url}/nope`)).status).to.equal(404);
    const put = await fetch(`${issuer.url}/login`, { method: 'PUT' });
    expect(put.status).to.equal(405);
    expect(put.headers.get('allow')).to.equal('GET, POST');
  });

  it('never logs a password, code or token', async function () {
    const result = await obtainCode(issuer);
    const all = issuer.logs.join('\n');
    expect(all).to.not.contain(DEMO.password);
    expect(all).to.not.contain(result.code);
    for (const line of issuer.logs) expect(() => JSON.parse(line) as unknown).to.not.throw();
  });
});
