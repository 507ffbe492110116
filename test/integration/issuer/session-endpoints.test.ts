import { expect } from 'chai';
import {
  refreshTokens,
  signInWithHostedUi,
  SignInError,
  type TokenSet,
} from '../../../scripts/cli/hosted-ui-sign-in.ts';
import {
  CLIENT_ID,
  DEMO,
  LOGOUT_URI,
  OTHER_CLIENT_ID,
  REDIRECT_URI,
  authorizeParams,
  cookieHeader,
  decodeJwt,
  get,
  obtainCode,
  postToken,
  startTestIssuer,
  type TestIssuer,
} from './helpers.ts';
import { rejectionOf } from '../../support/failures.ts';

describe('issuer: refresh, userInfo, revoke and logout', function () {
  let issuer: TestIssuer;
  let tokens: TokenSet;
  before(async function () {
    issuer = await startTestIssuer();
    tokens = await signInWithHostedUi({
      hostedUiUrl: issuer.url,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      ...DEMO,
    });
  });
  after(() => issuer.close());

  const userInfo = (token: string | undefined, init: RequestInit = {}) =>
    fetch(issuer.userInfoUrl, {
      ...init,
      headers: {
        ...(token !== undefined ? { Authorization: token } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  describe('refresh_token grant', function () {
    it('returns new access and ID tokens for the same sign-in and no new refresh token', async function () {
      issuer.clock.advance(60);
      const refreshed = await refreshTokens({
        hostedUiUrl: issuer.url,
        clientId: CLIENT_ID,
        refreshToken: tokens.refreshToken ?? '',
      });
      expect(refreshed.refreshToken).to.equal(undefined);
      const before = decodeJwt(tokens.accessToken).payload;
      const after = decodeJwt(refreshed.accessToken).payload;
      expect(after.jti).to.not.equal(before.jti);
      expect(after.iat).to.equal(Number(before.iat) + 60);
      expect(after).to.include({
        sub: before.sub,
        origin_jti: before.origin_jti,
        auth_time: before.auth_time,
        scope: before.scope,
        client_id: CLIENT_ID,
      });
      expect(decodeJwt(refreshed.idToken).payload).to.include({ aud: CLIENT_ID, 'cognito:username': 'demo' });
    });

    it('refuses a refresh token presented by another client', async function () {
      const { body } = await postToken(issuer, {
        grant_type: 'refresh_token',
        client_id: OTHER_CLIENT_ID,
        refresh_token: tokens.refreshToken ?? '',
      });
      expect(body).to.deep.equal({ error: 'invalid_grant' });
    });

    it('makes the headless client raise a token-step error for an unknown refresh token', async function () {
      const err = await rejectionOf(
        refreshTokens({ hostedUiUrl: issuer.url, clientId: CLIENT_ID, refreshToken: 'unknown' }),
      );
      expect(err).to.be.instanceOf(SignInError);
      expect(err).to.include({ step: 'token', status: 400 });
      expect(err.message).to.contain('invalid_grant');
    });

    it('refuses a refresh token after refreshTokenTtlSeconds', async function () {
      const short = await startTestIssuer({ refreshTokenTtlSeconds: 600 });
      try {
        const set = await signInWithHostedUi({
          hostedUiUrl: short.url,
          clientId: CLIENT_ID,
          redirectUri: REDIRECT_URI,
          ...DEMO,
        });
        short.clock.advance(601);
        const { body } = await postToken(short, {
          grant_type: 'refresh_token',
          client_id: CLIENT_ID,
          refresh_token: set.refreshToken ?? '',
        });
        expect(body).to.deep.equal({ error: 'invalid_grant' });
      } finally {
        await short.close();
      }
    });
  });

  describe('userInfo', function () {
    it('returns sub, email_verified (a string, as Cognito), email and username for a valid access token', async function () {
      const response = await userInfo(`Bearer ${tokens.accessToken}`, { headers: { Origin: 'http://localhost:3000' } });
      expect(response.status).to.equal(200);
      expect(response.headers.get('access-control-allow-origin')).to.equal('http://localhost:3000');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).to.deep.equal({
        sub: decodeJwt(tokens.accessToken).payload.sub,
        'custom:tenant': 'acme', // a custom attribute (the default LOCAL_USER_CLAIMS of demo)
        email_verified: 'true',
        email: 'demo@example.com',
        username: 'demo',
      });
    });

    it('leaves out email without the email or profile scope', async function () {
      const set = await signInWithHostedUi({
        hostedUiUrl: issuer.url,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        ...DEMO,
        scopes: ['openid'],
      });
      const body = (await (await userInfo(`Bearer ${set.accessToken}`)).json()) as Record<string, unknown>;
      expect(Object.keys(body)).to.deep.equal(['sub', 'custom:tenant', 'username']);
    });

    for (const [name, header] of [
      ['no Authorization header', undefined],
      ['a Basic header', 'Basic abc'],
      ['a garbage token', 'Bearer not.a.token'],
    ] as const) {
      it(`answers ${name} with 401 and a WWW-Authenticate challenge`, async function () {
        const response = await userInfo(header);
        expect(response.status).to.equal(401);
        expect(response.headers.get('www-authenticate')).to.match(/^Bearer error=/);
        expect(response.headers.get('access-control-allow-origin')).to.equal('*');
      });
    }

    it('refuses an ID token', async function () {
      expect((await userInfo(`Bearer ${tokens.idToken}`)).status).to.equal(401);
    });

    it('refuses a token whose signature was tampered with', async function () {
      const [h, p, s] = tokens.accessToken.split('.');
      const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, username: 'admin' })).toString('base64url')}.${s}`;
      expect((await userInfo(`Bearer ${forged}`)).status).to.equal(401);
    });

    it('refuses an expired access token (injected clock)', async function () {
      const local = await startTestIssuer({ accessTokenTtlSeconds: 300 });
      try {
        const set = await signInWithHostedUi({
          hostedUiUrl: local.url,
          clientId: CLIENT_ID,
          redirectUri: REDIRECT_URI,
          ...DEMO,
        });
        expect(
          (await fetch(local.userInfoUrl, { headers: { Authorization: `Bearer ${set.accessToken}` } })).status,
        ).to.equal(200);
        local.clock.advance(301);
        expect(
          (await fetch(local.userInfoUrl, { headers: { Authorization: `Bearer ${set.accessToken}` } })).status,
        ).to.equal(401);
      } finally {
        await local.close();
      }
    });

    it('answers the preflight for a browser app', async function () {
      const response = await fetch(issuer.userInfoUrl, {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Headers': 'authorization' },
      });
      expect(response.status).to.equal(204);
      expect(response.headers.get('access-control-allow-headers')).to.match(/authorization/i);
    });
  });

  describe('revoke', function () {
    it('revokes a refresh token and the access tokens of its sign-in', async function () {
      const set = await signInWithHostedUi({
        hostedUiUrl: issuer.url,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        ...DEMO,
      });
      const response = await fetch(`${issuer.url}/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: set.refreshToken ?? '', client_id: CLIENT_ID }).toString(),
      });
      expect(response.status).to.equal(200);
      const { body } = await postToken(issuer, {
        grant_type: 'refresh_token',
        client_id: CLIENT_ID,
        refresh_token: set.refreshToken ?? '',
      });
      expect(body).to.deep.equal({ error: 'invalid_grant' });
      expect((await userInfo(`Bearer ${set.accessToken}`)).status).to.equal(401);
      expect((await userInfo(`Bearer ${tokens.accessToken}`)).status).to.equal(200); // another sign-in is untouched
    });
  });

  describe('logout', function () {
    it('clears the session cookie and redirects only to a registered logout URI', async function () {
      const signedIn = await obtainCode(issuer);
      const url = `${issuer.logoutUrl}?${new URLSearchParams({ client_id: CLIENT_ID, logout_uri: LOGOUT_URI })}`;
      const { response } = await get(url, cookieHeader(signedIn.cookies));
      expect(response.status).to.equal(302);
      expect(response.headers.get('location')).to.equal(LOGOUT_URI);
      const cleared = response.headers.getSetCookie().find((c) => c.startsWith('cognito='));
      expect(cleared)
        .to.match(/^cognito=;/)
        .and.match(/Max-Age=0/);
      // The old session id no longer skips the form, even if a browser kept sending it.
      const again = await get(
        `${issuer.authorizeUrl}?${(await authorizeParams()).params}`,
        cookieHeader(signedIn.cookies),
      );
      expect(again.response.status).to.equal(200);
      expect(again.html).to.contain('login-form');
    });

    for (const [name, params, message] of [
      [
        'an unregistered logout_uri',
        { client_id: CLIENT_ID, logout_uri: 'https://evil.example/' },
        'not a sign-out URL',
      ],
      [
        'a callback URL that is not a logout URL',
        { client_id: CLIENT_ID, logout_uri: REDIRECT_URI },
        'not a sign-out URL',
      ],
      ['an unknown client', { client_id: 'nosuchclient', logout_uri: LOGOUT_URI }, 'not an app client'],
      ['no client_id', { logout_uri: LOGOUT_URI }, 'client_id is required'],
      ['no logout_uri', { client_id: CLIENT_ID }, 'logout_uri is required'],
    ] as const) {
      it(`answers ${name} with a 400 error page and no redirect`, async function () {
        const { response, html } = await get(`${issuer.logoutUrl}?${new URLSearchParams(params)}`);
        expect(response.status).to.equal(400);
        expect(response.headers.get('location')).to.equal(null);
        expect(html).to.contain(message);
      });
    }

    it("supports Cognito's sign-out-then-sign-in form with a registered redirect_uri only", async function () {
      const { params } = await authorizeParams();
      const ok = await get(`${issuer.logoutUrl}?${params}`);
      expect(ok.response.status).to.equal(302);
      expect(ok.response.headers.get('location')).to.match(/^\/oauth2\/authorize\?/);
      const bad = await get(
        `${issuer.logoutUrl}?${(await authorizeParams({ redirect_uri: 'https://evil.example/' })).params}`,
      );
      expect(bad.response.status).to.equal(400);
      expect(bad.response.headers.get('location')).to.equal(null);
    });
  });
});
