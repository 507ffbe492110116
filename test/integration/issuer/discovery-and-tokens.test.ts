import { expect } from 'chai';
import { createHash, createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import jwkToPem from 'jwk-to-pem';
import { JwtVerifier } from 'aws-jwt-verify';
import { signInWithHostedUi, type TokenSet } from '../../../scripts/cli/hosted-ui-sign-in.ts';
import { CLIENT_ID, DEMO, REDIRECT_URI, decodeJwt, startTestIssuer, type TestIssuer } from './helpers.ts';

type Jwk = { kty: string; alg: string; use: string; kid: string; n: string; e: string };

async function jwks(issuer: TestIssuer): Promise<Jwk[]> {
  const response = await fetch(issuer.jwksUri);
  expect(response.status).to.equal(200);
  return ((await response.json()) as { keys: Jwk[] }).keys;
}

function verifyWithJwks(token: string, keys: Jwk[], issuer: string): jwt.JwtPayload {
  const { header } = decodeJwt(token);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no JWK for kid ${String(header.kid)}`);
  const pem = jwkToPem({ kty: 'RSA', n: jwk.n, e: jwk.e });
  const payload = jwt.verify(token, pem, { algorithms: ['RS256'], issuer });
  if (typeof payload === 'string') throw new Error('payload is a string');
  return payload;
}

describe('issuer: discovery, JWKS and token shapes', function () {
  let issuer: TestIssuer;
  let tokens: TokenSet;

  before(async function () {
    issuer = await startTestIssuer({
      users: [
        { username: 'demo', password: DEMO.password, email: 'demo@example.com' },
        { username: 'alice', password: 'Alice-passw0rd!', email: 'alice@example.com', groups: ['admins', 'ops'] },
      ],
    });
    tokens = await signInWithHostedUi({
      hostedUiUrl: issuer.url,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      ...DEMO,
    });
  });
  after(() => issuer.close());

  it('names the pool and URLs in Cognito form', function () {
    expect(issuer.poolId).to.equal('us-east-1_local0001');
    expect(issuer.region).to.equal('us-east-1');
    expect(issuer.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer.issuer).to.equal(`${issuer.url}/us-east-1_local0001`);
    expect(issuer.jwksUri).to.equal(`${issuer.issuer}/.well-known/jwks.json`);
    expect(issuer.authorizeUrl).to.equal(`${issuer.url}/oauth2/authorize`);
    expect(issuer.tokenUrl).to.equal(`${issuer.url}/oauth2/token`);
    expect(issuer.userInfoUrl).to.equal(`${issuer.url}/oauth2/userInfo`);
    expect(issuer.logoutUrl).to.equal(`${issuer.url}/logout`);
  });

  it('serves an OpenID configuration with the fields Cognito publishes', async function () {
    const response = await fetch(`${issuer.issuer}/.well-known/openid-configuration`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('access-control-allow-origin')).to.equal('*');
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).to.deep.equal({
      authorization_endpoint: issuer.authorizeUrl,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer: issuer.issuer,
      jwks_uri: issuer.jwksUri,
      response_types_supported: ['code'],
      revocation_endpoint: `${issuer.url}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: issuer.tokenUrl,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: issuer.userInfoUrl,
    });
  });

  it('publishes RSA-2048 signing keys in the JWKS with exactly kty, alg, use, kid, n and e', async function () {
    const keys = await jwks(issuer);
    expect(keys).to.have.length(1);
    const [key] = keys;
    expect(Object.keys(key ?? {}).sort()).to.deep.equal(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).to.include({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: key?.n ?? '', e: key?.e ?? '' }, format: 'jwk' });
    expect(publicKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);
  });

  it('signs tokens with a header of exactly {kid, alg: RS256}, no typ', async function () {
    const [key] = await jwks(issuer);
    for (const token of [tokens.accessToken, tokens.idToken]) {
      const { header } = decodeJwt(token);
      expect(header).to.deep.equal({ kid: key?.kid, alg: 'RS256' });
      expect(Object.keys(header)).to.deep.equal(['kid', 'alg']);
    }
  });

  it('returns a Bearer token set with a refresh token and the access-token lifetime', function () {
    expect(tokens.tokenType).to.equal('Bearer');
    expect(tokens.expiresIn).to.equal(3600);
    expect(tokens.refreshToken).to.be.a('string').with.length.greaterThan(40);
    expect(tokens.refreshToken?.split('.')).to.have.length(1); // opaque, not a JWT
  });

  it('issues an access token with exactly Cognito access-token claims and no aud or groups', async function () {
    const payload = verifyWithJwks(tokens.accessToken, await jwks(issuer), issuer.issuer);
    expect(Object.keys(payload)).to.deep.equal([
      'sub',
      'iss',
      'version',
      'client_id',
      'origin_jti',
      'event_id',
      'token_use',
      'scope',
      'auth_time',
      'exp',
      'iat',
      'jti',
      'username',
      'custom:tenant', // the default extra claim of demo (LOCAL_USER_CLAIMS), last, as a trigger would add it
    ]);
    expect(payload).to.include({
      'custom:tenant': 'acme',
      iss: issuer.issuer,
      version: 2,
      client_id: CLIENT_ID,
      token_use: 'access',
      scope: 'openid email profile',
      username: 'demo',
    });
    expect(payload.sub).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload.exp).to.equal((payload.iat ?? 0) + 3600);
    expect(payload.auth_time).to.be.at.most(payload.iat ?? 0);
    for (const id of [payload.jti, payload.origin_jti, payload.event_id]) expect(id).to.match(/^[0-9a-f-]{36}$/);
  });

  it('issues an ID token with Cognito ID-token claims, aud, email and a correct at_hash', async function () {
    const payload = verifyWithJwks(tokens.idToken, await jwks(issuer), issuer.issuer);
    const access = decodeJwt(tokens.accessToken).payload;
    expect(Object.keys(payload)).to.deep.equal([
      'at_hash',
      'sub',
      'email_verified',
      'iss',
      'cognito:username',
      'origin_jti',
      'aud',
      'event_id',
      'token_use',
      'auth_time',
      'exp',
      'iat',
      'jti',
      'email',
      'custom:tenant',
    ]);
    expect(payload).to.include({
      'custom:tenant': 'acme',
      sub: access.sub,
      email_verified: true,
      'cognito:username': 'demo',
      aud: CLIENT_ID,
      token_use: 'id',
      email: 'demo@example.com',
      origin_jti: access.origin_jti,
      event_id: access.event_id,
      auth_time: access.auth_time,
    });
    expect(payload.jti).to.not.equal(access.jti);
    const digest = createHash('sha256').update(tokens.accessToken).digest();
    expect(payload.at_hash).to.equal(digest.subarray(0, 16).toString('base64url'));
  });

  it('adds cognito:groups as an array to both tokens only for a user in groups', async function () {
    const set = await signInWithHostedUi({
      hostedUiUrl: issuer.url,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      username: 'alice',
      password: 'Alice-passw0rd!',
    });
    const keys = await jwks(issuer);
    const access = verifyWithJwks(set.accessToken, keys, issuer.issuer);
    const id = verifyWithJwks(set.idToken, keys, issuer.issuer);
    expect(access['cognito:groups']).to.deep.equal(['admins', 'ops']);
    expect(Object.keys(access)[1]).to.equal('cognito:groups');
    expect(id['cognito:groups']).to.deep.equal(['admins', 'ops']);
    expect(access.sub).to.not.equal(decodeJwt(tokens.accessToken).payload.sub);
  });

  it("keeps a user's sub stable across issuer restarts", async function () {
    const again = await startTestIssuer();
    try {
      const set = await signInWithHostedUi({
        hostedUiUrl: again.url,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        ...DEMO,
      });
      expect(decodeJwt(set.accessToken).payload.sub).to.equal(decodeJwt(tokens.accessToken).payload.sub);
    } finally {
      await again.close();
    }
  });

  it('produces tokens that aws-jwt-verify accepts as access and ID tokens', async function () {
    const keys = await jwks(issuer);
    const accessVerifier = JwtVerifier.create({ issuer: issuer.issuer, audience: null, jwksUri: issuer.jwksUri });
    accessVerifier.cacheJwks({ keys });
    const access = await accessVerifier.verify(tokens.accessToken, {
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access' || payload.client_id !== CLIENT_ID) throw new Error('not our access token');
      },
    });
    expect(access.username).to.equal('demo');
    const idVerifier = JwtVerifier.create({ issuer: issuer.issuer, audience: CLIENT_ID, jwksUri: issuer.jwksUri });
    idVerifier.cacheJwks({ keys });
    expect((await idVerifier.verify(tokens.idToken))['cognito:username']).to.equal('demo');
  });

  it('rotates keys: the new key signs, the old stays published until dropped', async function () {
    const local = await startTestIssuer();
    try {
      const before = await signInWithHostedUi({
        hostedUiUrl: local.url,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        ...DEMO,
      });
      const [oldKey] = await jwks(local);
      local.rotateKeys();
      const rotated = await jwks(local);
      expect(rotated.map((k) => k.kid))
        .to.have.length(2)
        .and.include(oldKey?.kid);
      const after = await signInWithHostedUi({
        hostedUiUrl: local.url,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        ...DEMO,
      });
      const newKid = decodeJwt(after.accessToken).header.kid;
      expect(newKid).to.not.equal(oldKey?.kid);
      expect(rotated.map((k) => k.kid)).to.include(newKid);
      verifyWithJwks(before.accessToken, rotated, local.issuer); // old token still verifies
      local.dropOldKeys();
      const dropped = await jwks(local);
      expect(dropped.map((k) => k.kid)).to.deep.equal([newKid]);
      expect(() => verifyWithJwks(before.accessToken, dropped, local.issuer)).to.throw(/no JWK/);
      const info = await fetch(local.userInfoUrl, { headers: { Authorization: `Bearer ${before.accessToken}` } });
      expect(info.status).to.equal(401);
    } finally {
      await local.close();
    }
  });
});
