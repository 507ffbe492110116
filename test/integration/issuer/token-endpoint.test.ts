import { expect } from 'chai';
import { createPkce } from '../../../shared/pkce.ts';
import {
  CLIENT_ID,
  OTHER_CLIENT_ID,
  REDIRECT_URI,
  decodeJwt,
  obtainCode,
  postToken,
  redeem,
  startTestIssuer,
  type TestIssuer,
} from './helpers.ts';

describe('issuer: token endpoint', function () {
  let issuer: TestIssuer;
  before(async function () {
    issuer = await startTestIssuer({ codeTtlSeconds: 120 });
  });
  after(() => issuer.close());

  it('redeems a code once with the right verifier, with no-store and CORS headers', async function () {
    const result = await obtainCode(issuer);
    const { response, body } = await redeem(issuer, result);
    expect(response.status).to.equal(200);
    expect(Object.keys(body)).to.deep.equal(['id_token', 'access_token', 'refresh_token', 'expires_in', 'token_type']);
    expect(response.headers.get('cache-control')).to.equal('no-store');
    expect(response.headers.get('pragma')).to.equal('no-cache');
    expect(response.headers.get('content-type')).to.match(/^application\/json/);
    expect(response.headers.get('access-control-allow-origin')).to.equal('*');
  });

  it('issues no ID token without the openid scope, as Cognito', async function () {
    const result = await obtainCode(issuer, { scope: 'email profile' });
    const { response, body } = await redeem(issuer, result);
    expect(response.status).to.equal(200);
    expect(Object.keys(body)).to.deep.equal(['access_token', 'refresh_token', 'expires_in', 'token_type']);
    expect(decodeJwt(String(body.access_token)).payload.scope).to.equal('email profile');
  });

  it('carries the authorize nonce into the ID token only', async function () {
    const result = await obtainCode(issuer, { nonce: 'n-0S6_WzA2Mj' });
    const { body } = await redeem(issuer, result);
    expect(decodeJwt(String(body.id_token)).payload.nonce).to.equal('n-0S6_WzA2Mj');
    expect(decodeJwt(String(body.access_token)).payload).to.not.have.property('nonce');
  });

  it('refuses a reused code with invalid_grant and revokes every token of its first redemption (RFC 9700)', async function () {
    const result = await obtainCode(issuer);
    const first = await redeem(issuer, result);
    expect(first.response.status).to.equal(200);
    const beforeReuse = await fetch(issuer.userInfoUrl, {
      headers: { Authorization: `Bearer ${String(first.body.access_token)}` },
    });
    expect(beforeReuse.status).to.equal(200);
    const second = await redeem(issuer, result);
    expect(second.response.status).to.equal(400);
    expect(second.body).to.deep.equal({ error: 'invalid_grant' });
    const refreshed = await postToken(issuer, {
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      refresh_token: String(first.body.refresh_token),
    });
    expect(refreshed.response.status, 'refresh token of the first redemption').to.equal(400);
    expect(refreshed.body).to.deep.equal({ error: 'invalid_grant' });
    const afterReuse = await fetch(issuer.userInfoUrl, {
      headers: { Authorization: `Bearer ${String(first.body.access_token)}` },
    });
    expect(afterReuse.status, 'access token of the first redemption').to.equal(401);
    // A third presentation is just an unknown code: nothing more to revoke, and other sign-ins are untouched.
    const other = await redeem(issuer, await obtainCode(issuer));
    expect((await redeem(issuer, result)).response.status).to.equal(400);
    const otherInfo = await fetch(issuer.userInfoUrl, {
      headers: { Authorization: `Bearer ${String(other.body.access_token)}` },
    });
    expect(otherInfo.status).to.equal(200);
  });

  it('refuses a wrong code_verifier, and the code is spent by the attempt', async function () {
    const result = await obtainCode(issuer);
    const wrong = await redeem(issuer, result, { code_verifier: (await createPkce(globalThis.crypto)).verifier });
    expect(wrong.response.status).to.equal(400);
    expect(wrong.body).to.deep.equal({ error: 'invalid_grant' });
    const right = await redeem(issuer, result);
    expect(right.body).to.deep.equal({ error: 'invalid_grant' });
  });

  it('refuses a code presented after codeTtlSeconds (injected clock)', async function () {
    const result = await obtainCode(issuer);
    issuer.clock.advance(121);
    const late = await redeem(issuer, result);
    expect(late.response.status).to.equal(400);
    expect(late.body).to.deep.equal({ error: 'invalid_grant' });
    expect(issuer.logs.some((line) => line.includes('expired_code'))).to.equal(true);
  });

  it('accepts a code just inside its lifetime', async function () {
    const result = await obtainCode(issuer);
    issuer.clock.advance(119);
    expect((await redeem(issuer, result)).response.status).to.equal(200);
  });

  it('refuses a redirect_uri different from the authorize one', async function () {
    const result = await obtainCode(issuer);
    const mismatch = await redeem(issuer, result, { redirect_uri: 'http://localhost:3000/other' });
    expect(mismatch.body).to.deep.equal({ error: 'invalid_grant' });
  });

  it('refuses a code redeemed by another client', async function () {
    const result = await obtainCode(issuer);
    const other = await redeem(issuer, result, { client_id: OTHER_CLIENT_ID });
    expect(other.body).to.deep.equal({ error: 'invalid_grant' });
  });

  for (const [name, form, error] of [
    ['a missing grant_type', { client_id: CLIENT_ID }, 'invalid_request'],
    ['an unsupported grant_type', { grant_type: 'client_credentials', client_id: CLIENT_ID }, 'unsupported_grant_type'],
    [
      'an unknown client',
      {
        grant_type: 'authorization_code',
        client_id: 'nosuchclient',
        code: 'x',
        redirect_uri: REDIRECT_URI,
        code_verifier: 'a'.repeat(43),
      },
      'invalid_client',
    ],
    [
      'a missing client_id',
      { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI, code_verifier: 'a'.repeat(43) },
      'invalid_request',
    ],
    [
      'a missing code',
      {
        grant_type: 'authorization_code',
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        code_verifier: 'a'.repeat(43),
      },
      'invalid_request',
    ],
    [
      'a missing code_verifier',
      { grant_type: 'authorization_code', client_id: CLIENT_ID, code: 'x', redirect_uri: REDIRECT_URI },
      'invalid_request',
    ],
    [
      'a malformed code_verifier',
      {
        grant_type: 'authorization_code',
        client_id: CLIENT_ID,
        code: 'x',
        redirect_uri: REDIRECT_URI,
        code_verifier: 'short',
      },
      'invalid_request',
    ],
    [
      'a missing redirect_uri',
      { grant_type: 'authorization_code', client_id: CLIENT_ID, code: 'x', code_verifier: 'a'.repeat(43) },
      'invalid_request',
    ],
    [
      'an unknown code',
      {
        grant_type: 'authorization_code',
        client_id: CLIENT_ID,
        code: 'nosuchcode',
        redirect_uri: REDIRECT_URI,
        code_verifier: 'a'.repeat(43),
      },
      'invalid_grant',
    ],
    ['a missing refresh_token', { grant_type: 'refresh_token', client_id: CLIENT_ID }, 'invalid_request'],
    [
      'an unknown refresh_token',
      { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: 'nope' },
      'invalid_grant',
    ],
  ] as const) {
    it(`answers ${name} with 400 ${error}`, async function () {
      const { response, body } = await postToken(issuer, form);
      expect(response.status).to.equal(400);
      expect(body).to.deep.equal({ error });
      expect(response.headers.get('cache-control')).to.equal('no-store');
    });
  }

  it('refuses a repeated parameter rather than choosing one', async function () {
    const response = await fetch(issuer.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=refresh_token&client_id=${CLIENT_ID}&refresh_token=a&refresh_token=b`,
    });
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.equal({ error: 'invalid_request' });
  });

  it('accepts the client id in HTTP Basic with an empty secret, refuses a secret', async function () {
    const result = await obtainCode(issuer);
    const basic = (secret: string) => `Basic ${Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64')}`;
    const form = {
      grant_type: 'authorization_code',
      code: result.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: result.verifier,
    };
    const withSecret = await postToken(issuer, form, { Authorization: basic('s3cret') });
    expect(withSecret.body).to.deep.equal({ error: 'invalid_client' });
    const withoutSecret = await postToken(issuer, form, { Authorization: basic('') });
    expect(withoutSecret.response.status).to.equal(200);
  });

  it('refuses a JSON body with invalid_request', async function () {
    const response = await fetch(issuer.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"grant_type":"refresh_token"}',
    });
    expect(response.status).to.equal(400);
    expect(((await response.json()) as { error: string }).error).to.equal('invalid_request');
  });

  it('refuses a body over 16 KB with 400, and keeps serving', async function () {
    const response = await fetch(issuer.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=refresh_token&client_id=${CLIENT_ID}&refresh_token=${'a'.repeat(17 * 1024)}`,
    });
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.include({ error: 'invalid_request' });
    expect((await fetch(`${issuer.issuer}/.well-known/jwks.json`)).status).to.equal(200);
  });

  it('refuses an oversize login form post with a 400 page', async function () {
    const response = await fetch(`${issuer.url}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `request_id=x&username=demo&password=${'a'.repeat(20 * 1024)}`,
    });
    expect(response.status).to.equal(400);
    expect(await response.text()).to.contain('at most 16384 bytes');
  });

  it('refuses a body whose declared length is over the cap before reading it', async function () {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        issuer.tokenUrl,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(10 * 1024 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('grant_type=x'); // the rest never comes: the answer must not wait for it
    });
    expect(status).to.equal(400);
  });

  it('echoes a registered callback origin in CORS and answers the preflight', async function () {
    const preflight = await fetch(issuer.tokenUrl, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-methods')).to.contain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).to.match(/content-type/i);
    expect(preflight.headers.get('access-control-allow-credentials')).to.equal(null);
    const other = await postToken(issuer, { grant_type: 'x' }, { Origin: 'https://elsewhere.example' });
    expect(other.response.headers.get('access-control-allow-origin')).to.equal('*');
  });

  it('answers GET on the token endpoint with 405', async function () {
    expect((await fetch(issuer.tokenUrl)).status).to.equal(405);
  });
});
