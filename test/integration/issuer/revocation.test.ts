// Revocation as Cognito honours it, through the protocols: /oauth2/revoke and RevokeToken (a refresh token's
// whole family), GlobalSignOut and AdminUserGlobalSignOut (all of a user's tokens), disabled and deleted users.
// Each is observed at both places that know: /oauth2/userInfo and GetUser (the real SDK client).
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'chai';
import { generateCredentials } from '../../../local/aws-auth/index.ts';
import {
  CLIENT_ID,
  DEMO,
  REDIRECT_URI,
  decodeJwt,
  get,
  obtainCode,
  postForm,
  postToken,
  redeem,
  requestIdOf,
  authorizeParams,
  cognitoClient,
  cookiesOf,
  cookieHeader,
  startTestIssuer,
  type TestIssuer,
} from './helpers.ts';

const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';
const SCOPES = 'openid email profile aws.cognito.signin.user.admin';
const credentials = generateCredentials();

interface Tokens {
  access: string;
  id: string;
  refresh: string;
}

describe('issuer: revocation honoured like Cognito (userInfo and GetUser)', function () {
  let issuer: TestIssuer;
  let cognito: CognitoIdentityProviderClient;

  before(async function () {
    issuer = await startTestIssuer({
      clients: [
        {
          clientId: CLIENT_ID,
          callbackUrls: [REDIRECT_URI],
          logoutUrls: [REDIRECT_URI],
          allowedScopes: ['openid', 'email', 'profile', ADMIN_SCOPE],
        },
      ],
      users: [
        { username: 'demo', password: DEMO.password, email: 'demo@example.com' },
        { username: 'alice', password: DEMO.password, email: 'alice@example.com' },
        { username: 'bob', password: DEMO.password },
      ],
      awsCredentials: credentials,
    });
    cognito = cognitoClient(issuer, credentials);
  });
  after(async function () {
    cognito.destroy();
    await issuer.close();
  });

  async function signIn(username = 'demo'): Promise<Tokens> {
    const code = await obtainCode(issuer, { scope: SCOPES }, { username, password: DEMO.password });
    const { response, body } = await redeem(issuer, code);
    expect(response.status).to.equal(200);
    return { access: String(body.access_token), id: String(body.id_token), refresh: String(body.refresh_token) };
  }

  async function refresh(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const { response, body } = await postToken(issuer, {
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      refresh_token: refreshToken,
    });
    return { status: response.status, body };
  }

  async function userInfoStatus(accessToken: string): Promise<number> {
    return (await fetch(issuer.userInfoUrl, { headers: { Authorization: `Bearer ${accessToken}` } })).status;
  }

  /** 'ok', or the SDK error's name and message. */
  async function getUser(accessToken: string): Promise<string> {
    try {
      await cognito.send(new GetUserCommand({ AccessToken: accessToken }));
      return 'ok';
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  }

  async function revoke(refreshToken: string): Promise<number> {
    const response = await fetch(issuer.revokeUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, client_id: CLIENT_ID }).toString(),
    });
    return response.status;
  }

  it('access tokens carry auth_time, iat, jti and origin_jti, and a refresh keeps auth_time and origin_jti', async function () {
    const tokens = await signIn();
    const first = decodeJwt(tokens.access).payload;
    for (const claim of ['auth_time', 'iat', 'exp']) expect(first[claim], claim).to.be.a('number');
    for (const claim of ['jti', 'origin_jti', 'event_id']) expect(first[claim], claim).to.match(/^[0-9a-f-]{36}$/);
    issuer.clock.advance(120);
    const refreshed = await refresh(tokens.refresh);
    expect(refreshed.status).to.equal(200);
    const second = decodeJwt(String(refreshed.body.access_token)).payload;
    expect(second.auth_time).to.equal(first.auth_time);
    expect(second.origin_jti).to.equal(first.origin_jti);
    expect(second.iat).to.equal(Number(first.iat) + 120);
    expect(second.jti).to.not.equal(first.jti);
  });

  it('/oauth2/revoke revokes the refresh token, the tokens issued with it and every token later issued from it', async function () {
    const tokens = await signIn();
    const other = await signIn(); // another sign-in of the same user: another family
    const refreshed = await refresh(tokens.refresh);
    const laterAccess = String(refreshed.body.access_token);
    expect(await getUser(laterAccess)).to.equal('ok');
    expect(await userInfoStatus(tokens.access)).to.equal(200);

    expect(await revoke(tokens.refresh)).to.equal(200);

    for (const access of [tokens.access, laterAccess]) {
      expect(await userInfoStatus(access)).to.equal(401);
      expect(await getUser(access)).to.equal('NotAuthorizedException: Access Token has been revoked');
    }
    expect((await refresh(tokens.refresh)).body).to.deep.equal({ error: 'invalid_grant' });
    // The other sign-in is untouched.
    expect(await userInfoStatus(other.access)).to.equal(200);
    expect(await getUser(other.access)).to.equal('ok');
    expect((await refresh(other.refresh)).status).to.equal(200);
  });

  it('RevokeToken (the SDK) does the same, and refuses an access token', async function () {
    const tokens = await signIn();
    await cognito.send(new RevokeTokenCommand({ Token: tokens.refresh, ClientId: CLIENT_ID }));
    expect(await getUser(tokens.access)).to.equal('NotAuthorizedException: Access Token has been revoked');
    expect((await refresh(tokens.refresh)).body).to.deep.equal({ error: 'invalid_grant' });
    const error = await cognito
      .send(new RevokeTokenCommand({ Token: (await signIn()).access, ClientId: CLIENT_ID }))
      .then(
        () => undefined,
        (err: Error) => err.name,
      );
    expect(error).to.equal('UnsupportedTokenTypeException');
  });

  it("GlobalSignOut revokes every one of the user's tokens and no one else's; a new sign-in works", async function () {
    const one = await signIn('alice');
    const two = await signIn('alice');
    const bob = await signIn('bob');
    await cognito.send(new GlobalSignOutCommand({ AccessToken: one.access }));
    for (const tokens of [one, two]) {
      expect(await userInfoStatus(tokens.access)).to.equal(401);
      expect(await getUser(tokens.access)).to.equal('NotAuthorizedException: Access Token has been revoked');
      expect((await refresh(tokens.refresh)).body).to.deep.equal({ error: 'invalid_grant' });
    }
    expect(await getUser(bob.access)).to.equal('ok');
    const fresh = await signIn('alice');
    expect(await getUser(fresh.access)).to.equal('ok');
  });

  it('AdminUserGlobalSignOut (SigV4) revokes every token of the named user', async function () {
    const tokens = await signIn('bob');
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: issuer.poolId, Username: 'bob' }));
    expect(await userInfoStatus(tokens.access)).to.equal(401);
    expect(await getUser(tokens.access)).to.equal('NotAuthorizedException: Access Token has been revoked');
    expect((await refresh(tokens.refresh)).body).to.deep.equal({ error: 'invalid_grant' });
  });

  it('a disabled user cannot sign in, refresh or use a token; enabling lets a new sign-in through, not the old tokens', async function () {
    const tokens = await signIn('bob');
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: issuer.poolId, Username: 'bob' }));
    expect(await userInfoStatus(tokens.access)).to.equal(401);
    expect(await getUser(tokens.access)).to.equal('NotAuthorizedException: Access Token has been revoked');
    expect((await refresh(tokens.refresh)).body).to.deep.equal({ error: 'invalid_grant' });
    // The hosted UI says so, but only after the right password.
    const { params } = await authorizeParams({ scope: SCOPES });
    const page = await get(`${issuer.authorizeUrl}?${params}`);
    const cookies = cookiesOf(page.response);
    const login = await postForm(
      `${issuer.url}/login`,
      { request_id: requestIdOf(page.html), username: 'bob', password: DEMO.password },
      cookieHeader(cookies),
    );
    expect(login.response.status).to.equal(200);
    expect(login.html).to.contain('User is disabled.');
    const wrong = await postForm(
      `${issuer.url}/login`,
      { request_id: requestIdOf(login.html), username: 'bob', password: 'Wrong-passw0rd!' },
      cookieHeader(cookies),
    );
    expect(wrong.html).to.contain('Incorrect username or password.');

    await cognito.send(new AdminEnableUserCommand({ UserPoolId: issuer.poolId, Username: 'bob' }));
    expect(await getUser(tokens.access)).to.equal('NotAuthorizedException: Access Token has been revoked');
    const fresh = await signIn('bob');
    expect(await getUser(fresh.access)).to.equal('ok');
  });

  it('a deleted user is gone for userInfo, GetUser, refresh and sign-in', async function () {
    issuer.addUser({ username: 'carol', password: DEMO.password });
    const tokens = await signIn('carol');
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: issuer.poolId, Username: 'carol' }));
    expect(await userInfoStatus(tokens.access)).to.equal(401);
    expect(await getUser(tokens.access)).to.match(/^NotAuthorizedException|^UserNotFoundException/);
    expect((await refresh(tokens.refresh)).body).to.deep.equal({ error: 'invalid_grant' });
    const error = await obtainCode(issuer, { scope: SCOPES }, { username: 'carol', password: DEMO.password }).then(
      () => 'signed in',
      (err: Error) => err.message,
    );
    expect(error).to.match(/login answered 200/);
  });

  it('GetUser refuses an expired token, a forged one and one without the admin scope', async function () {
    const tokens = await signIn();
    const [header, payload] = tokens.access.split('.') as [string, string];
    expect(await getUser(`${header}.${payload}.${'A'.repeat(342)}`)).to.equal(
      'NotAuthorizedException: Invalid Access Token',
    );
    const code = await obtainCode(issuer, { scope: 'openid' });
    const narrow = String((await redeem(issuer, code)).body.access_token);
    expect(await getUser(narrow)).to.equal('NotAuthorizedException: Access Token does not have required scopes');
    expect(await userInfoStatus(narrow)).to.equal(200);
    issuer.clock.advance(3601);
    expect(await getUser(tokens.access)).to.equal('NotAuthorizedException: Access Token has expired');
  });
});
