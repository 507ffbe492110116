import { expect } from 'chai';
import { passwordPolicyFailures } from '../../../local/issuer/password-policy.ts';
import { signInWithHostedUi } from '../../../scripts/cli/hosted-ui-sign-in.ts';
import {
  CLIENT_ID,
  REDIRECT_URI,
  authorizeParams,
  cookieHeader,
  cookiesOf,
  decodeJwt,
  get,
  postForm,
  postToken,
  requestIdOf,
  startTestIssuer,
  type TestIssuer,
} from './helpers.ts';

describe('issuer: password policy', function () {
  it('accepts a password meeting every rule', function () {
    expect(passwordPolicyFailures('Demo-passw0rd!')).to.deep.equal([]);
  });
  for (const [password, rule] of [
    ['Sh0rt!a', 'at least 8'],
    ['lower-case-0nly!', 'upper-case'],
    ['UPPER-CASE-0NLY!', 'lower-case'],
    ['No-digits-here!', 'number'],
    ['NoSymbols0here', 'symbol'],
    [' Leading-space0', 'begin or end'],
  ] as const) {
    it(`reports "${rule}" for ${JSON.stringify(password)}`, function () {
      const failures = passwordPolicyFailures(password);
      expect(failures).to.have.length(1);
      expect(failures[0]).to.contain(rule);
    });
  }
  it('counts Cognito symbols such as ^ and a space inside', function () {
    expect(passwordPolicyFailures('Caret^caret1')).to.deep.equal([]);
    expect(passwordPolicyFailures('Space inside1')).to.deep.equal([]);
  });
});

describe('issuer: hosted UI sign-up', function () {
  let issuer: TestIssuer;
  before(async function () {
    issuer = await startTestIssuer();
  });
  after(() => issuer.close());

  async function openSignup(overrides: Record<string, string | undefined> = {}) {
    const { params, verifier } = await authorizeParams(overrides);
    const page = await get(`${issuer.url}/signup?${params}`);
    return { ...page, verifier, cookies: cookiesOf(page.response) };
  }

  it('shows a sign-up form with username, email and password fields', async function () {
    const { response, html } = await openSignup();
    expect(response.status).to.equal(200);
    expect(html).to.match(/<form id="signup-form" method="post" action="\/signup"/);
    for (const field of ['username', 'email', 'password']) expect(html).to.contain(`name="${field}"`);
    expect(html).to.contain('autocomplete="new-password"');
    expect(html).to.contain('id="signin-link"');
  });

  it('validates the authorize parameters on the sign-up page like authorize does', async function () {
    const unknown = await openSignup({ client_id: 'nosuchclient' });
    expect(unknown.response.status).to.equal(400);
    expect(unknown.response.headers.get('location')).to.equal(null);
    const plain = await openSignup({ code_challenge_method: 'plain' });
    expect(plain.response.status).to.equal(302);
    expect(new URL(plain.response.headers.get('location') ?? 'http://x/').searchParams.get('error')).to.equal(
      'invalid_request',
    );
  });

  it('creates the user, starts the flow with a code redirect, and the code redeems for their tokens', async function () {
    const { html, cookies, verifier } = await openSignup({ state: 'signup-state' });
    const result = await postForm(
      `${issuer.url}/signup`,
      {
        request_id: requestIdOf(html),
        username: 'newuser',
        email: 'new@example.com',
        password: 'New-passw0rd!',
      },
      cookieHeader(cookies),
    );
    expect(result.response.status).to.equal(302);
    const location = new URL(result.response.headers.get('location') ?? 'http://missing/');
    expect(`${location.origin}${location.pathname}`).to.equal(REDIRECT_URI);
    expect(location.searchParams.get('state')).to.equal('signup-state');
    const tokens = await postToken(issuer, {
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(tokens.response.status).to.equal(200);
    const id = decodeJwt(String(tokens.body.id_token)).payload;
    expect(id).to.include({ 'cognito:username': 'newuser', email: 'new@example.com', email_verified: false });
    // ...and the new user can sign in again later.
    const again = await signInWithHostedUi({
      hostedUiUrl: issuer.url,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      username: 'newuser',
      password: 'New-passw0rd!',
    });
    expect(decodeJwt(again.accessToken).payload.sub).to.equal(id.sub);
  });

  it('re-shows the form with every password rule that failed, keeping username and email, escaped', async function () {
    const { html, cookies } = await openSignup();
    const result = await postForm(
      `${issuer.url}/signup`,
      {
        request_id: requestIdOf(html),
        username: 'weak<i>',
        email: 'weak@example.com',
        password: 'weak',
      },
      cookieHeader(cookies),
    );
    expect(result.response.status).to.equal(200);
    expect(result.response.headers.get('location')).to.equal(null);
    for (const rule of ['at least 8', 'upper-case', 'number', 'symbol']) expect(result.html).to.contain(rule);
    expect(result.html).to.contain('value="weak@example.com"');
    expect(result.html).to.not.contain('weak<i>');
    expect(requestIdOf(result.html)).to.not.equal(requestIdOf(html));
  });

  it('refuses an invalid email and a missing email', async function () {
    for (const email of ['not-an-email', '']) {
      const { html, cookies } = await openSignup();
      const result = await postForm(
        `${issuer.url}/signup`,
        { request_id: requestIdOf(html), username: `u${email.length}`, email, password: 'Good-passw0rd!' },
        cookieHeader(cookies),
      );
      expect(result.response.status).to.equal(200);
      expect(result.html).to.contain('Enter a valid email address.');
    }
  });

  it('refuses a username that exists, in any case', async function () {
    const { html, cookies } = await openSignup();
    const result = await postForm(
      `${issuer.url}/signup`,
      { request_id: requestIdOf(html), username: 'Demo', email: 'x@example.com', password: 'Good-passw0rd!' },
      cookieHeader(cookies),
    );
    expect(result.response.status).to.equal(200);
    expect(result.html).to.contain('User already exists.');
  });

  it('refuses a username with spaces', async function () {
    const { html, cookies } = await openSignup();
    const result = await postForm(
      `${issuer.url}/signup`,
      { request_id: requestIdOf(html), username: 'two words', email: 'x@example.com', password: 'Good-passw0rd!' },
      cookieHeader(cookies),
    );
    expect(result.response.status).to.equal(200);
    expect(result.html).to.contain('without spaces');
  });

  it('refuses a sign-up post without the browser cookie', async function () {
    const { html } = await openSignup();
    const result = await postForm(`${issuer.url}/signup`, {
      request_id: requestIdOf(html),
      username: 'csrf',
      email: 'c@example.com',
      password: 'Good-passw0rd!',
    });
    expect(result.response.status).to.equal(403);
    const login = await postForm(`${issuer.url}/login`, {
      request_id: 'x',
      username: 'csrf',
      password: 'Good-passw0rd!',
    });
    expect(login.response.status).to.equal(400); // and the user was not created meanwhile
    expect(() => issuer.addUser({ username: 'csrf', password: 'Good-passw0rd!' })).to.not.throw();
  });

  it('adds users for tests through addUser, enforcing the same rules', async function () {
    issuer.addUser({ username: 'added', password: 'Added-passw0rd!', email: 'added@example.com', groups: ['testers'] });
    const set = await signInWithHostedUi({
      hostedUiUrl: issuer.url,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      username: 'added',
      password: 'Added-passw0rd!',
    });
    expect(decodeJwt(set.accessToken).payload['cognito:groups']).to.deep.equal(['testers']);
    expect(() => issuer.addUser({ username: 'added', password: 'Added-passw0rd!' })).to.throw(/already exists/);
    expect(() => issuer.addUser({ username: 'weakling', password: 'password' })).to.throw(/upper-case/);
  });
});
