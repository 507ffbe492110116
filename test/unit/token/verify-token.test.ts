import { expect } from 'chai';
import { sign } from 'node:crypto';
import {
  checkClaims,
  checkHeader,
  verifyToken,
  type VerifyOptions,
} from '../../../functions/shared/token/verify-token.ts';
import { accessClaims, CLIENT_ID, NOW_S, rsaKey, signRs256 } from '../authorizer/helpers.ts';

const ISS = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local0001';
const opts: VerifyOptions = {
  issuer: ISS,
  tokenUse: 'access',
  clientIds: new Set([CLIENT_ID]),
  clockToleranceSeconds: 5,
};

describe('checkHeader', () => {
  it('returns the kid of an RS256 header and ignores every other member', () => {
    expect(checkHeader({ alg: 'RS256', kid: 'k1', jku: 'https://evil.example/jwks', typ: 'JWT' })).to.deep.equal({
      ok: true,
      kid: 'k1',
    });
  });
  it('refuses any alg other than exactly RS256', () => {
    for (const alg of ['none', 'HS256', 'RS384', 'rs256', undefined, ['RS256']]) {
      expect(checkHeader({ alg, kid: 'k1' }), String(alg)).to.deep.equal({ ok: false, reason: 'bad_alg' });
    }
  });
  it('refuses a header with crit, whatever it lists (RFC 7515 §4.1.11: we implement no extension)', () => {
    for (const crit of [['exp'], [], 'b64', null]) {
      expect(checkHeader({ alg: 'RS256', kid: 'k1', crit }), JSON.stringify(crit)).to.deep.equal({
        ok: false,
        reason: 'crit_unsupported',
      });
    }
  });
  it('refuses a missing, empty, non-string or oversized kid', () => {
    for (const kid of [undefined, '', 7, 'a'.repeat(257), 'with space']) {
      expect(checkHeader({ alg: 'RS256', kid })).to.deep.equal({ ok: false, reason: 'malformed_token' });
    }
  });
});

describe('checkClaims', () => {
  it('returns typed claims for a Cognito access token', () => {
    const r = checkClaims(accessClaims(ISS), opts, NOW_S);
    expect(r).to.deep.equal({
      ok: true,
      payload: accessClaims(ISS),
      claims: {
        sub: '1d7856e9-7bd7-45fe-beb1-77798de950bc',
        username: 'jane',
        clientId: CLIENT_ID,
        scope: 'openid profile email',
        scopes: ['openid', 'profile', 'email'],
        groups: ['admins', 'staff'],
        tokenUse: 'access',
        exp: NOW_S + 3600,
        authTime: NOW_S - 100,
      },
    });
  });

  it('falls back to iat when auth_time is absent', () => {
    const r = checkClaims(accessClaims(ISS, { auth_time: undefined }), opts, NOW_S);
    expect(r.ok && r.claims.authTime).to.equal(NOW_S - 60);
  });

  it('names the claim that failed', () => {
    expect(checkClaims(accessClaims(ISS, { exp: undefined }), opts, NOW_S)).to.deep.equal({
      ok: false,
      reason: 'missing_claim',
      claim: 'exp',
    });
    expect(checkClaims(accessClaims(ISS, { nbf: 'soon' }), opts, NOW_S)).to.deep.equal({
      ok: false,
      reason: 'invalid_claim',
      claim: 'nbf',
    });
    expect(checkClaims(accessClaims(ISS, { auth_time: 'x' }), opts, NOW_S)).to.deep.equal({
      ok: false,
      reason: 'invalid_claim',
      claim: 'auth_time',
    });
    expect(checkClaims(accessClaims(ISS, { exp: Number.NaN }), opts, NOW_S)).to.deep.equal({
      ok: false,
      reason: 'invalid_claim',
      claim: 'exp',
    });
    expect(checkClaims(accessClaims(ISS, { 'cognito:groups': ['a', 1] }), opts, NOW_S)).to.deep.equal({
      ok: false,
      reason: 'invalid_claim',
      claim: 'cognito:groups',
    });
  });

  it('refuses exp, iat, nbf and auth_time that are not whole epoch seconds of a sane size, naming the claim', () => {
    const bad = [NOW_S + 0.5, 1e308, -1, 253_402_300_800, '1750003600', true, Number.POSITIVE_INFINITY];
    for (const name of ['exp', 'iat', 'nbf', 'auth_time']) {
      for (const value of bad) {
        expect(
          checkClaims(accessClaims(ISS, { [name]: value }), opts, NOW_S),
          `${name}=${String(value)}`,
        ).to.deep.equal({
          ok: false,
          reason: 'invalid_claim',
          claim: name,
        });
      }
    }
    // The largest accepted date is 9999-12-31T23:59:59Z.
    expect(checkClaims(accessClaims(ISS, { exp: 253_402_300_799 }), opts, NOW_S).ok).to.equal(true);
  });

  it('enforces exp at the tolerance boundary exactly like jsonwebtoken', () => {
    expect(checkClaims(accessClaims(ISS, { exp: NOW_S - 5 }), opts, NOW_S)).to.deep.include({
      ok: false,
      reason: 'expired',
    });
    expect(checkClaims(accessClaims(ISS, { exp: NOW_S - 4 }), opts, NOW_S).ok).to.equal(true);
  });

  it('checks aud, not client_id, for ID tokens', () => {
    const idOpts: VerifyOptions = { ...opts, tokenUse: 'id' };
    const id = accessClaims(ISS, {
      token_use: 'id',
      client_id: undefined,
      aud: CLIENT_ID,
      'cognito:username': 'jane',
      username: undefined,
    });
    const r = checkClaims(id, idOpts, NOW_S);
    expect(r.ok && r.claims).to.include({ clientId: CLIENT_ID, username: 'jane', scope: '' });
    expect(checkClaims({ ...id, aud: undefined, client_id: CLIENT_ID }, idOpts, NOW_S)).to.deep.equal({
      ok: false,
      reason: 'missing_claim',
      claim: 'aud',
    });
  });
});

describe('verifyToken', () => {
  const key = rsaKey('k1');
  const signed = (claims: unknown): string => signRs256({ alg: 'RS256', kid: 'k1' }, claims, key.privateKey);

  it('verifies the signature with the KeyObject and then the claims', () => {
    const t = signed(accessClaims(ISS));
    expect(verifyToken(t, key.publicKey, opts, NOW_S).ok).to.equal(true);
    expect(verifyToken(t, rsaKey('k1').publicKey, opts, NOW_S)).to.deep.equal({ ok: false, reason: 'bad_signature' });
    expect(verifyToken(t, key.publicKey, opts, NOW_S + 7200)).to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('refuses a validly signed token whose exp is a float or 1e308 (jsonwebtoken alone accepts both)', () => {
    for (const exp of [NOW_S + 100.5, 1e308]) {
      expect(verifyToken(signed(accessClaims(ISS, { exp })), key.publicKey, opts, NOW_S)).to.deep.equal({
        ok: false,
        reason: 'invalid_claim',
        claim: 'exp',
      });
    }
  });

  it('refuses a validly signed payload that is not a JSON object (jsonwebtoken finds no issuer in it)', () => {
    expect(verifyToken(signed('just a string'), key.publicKey, opts, NOW_S)).to.deep.equal({
      ok: false,
      reason: 'bad_issuer',
    });
    expect(verifyToken(signed([1, 2]), key.publicKey, opts, NOW_S)).to.deep.equal({ ok: false, reason: 'bad_issuer' });
  });

  it('refuses a validly signed payload carrying __proto__ or constructor, without polluting Object.prototype', () => {
    const input = `${Buffer.from('{"alg":"RS256","kid":"k1"}').toString('base64url')}.${Buffer.from(
      JSON.stringify(accessClaims(ISS)).replace(/^\{/, '{"__proto__":{"polluted":true},'),
    ).toString('base64url')}`;
    const t = `${input}.${sign('RSA-SHA256', Buffer.from(input), key.privateKey).toString('base64url')}`;
    expect(verifyToken(t, key.publicKey, opts, NOW_S)).to.deep.equal({ ok: false, reason: 'malformed_token' });
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(
      verifyToken(signed(accessClaims(ISS, { constructor: { name: 'x' } })), key.publicKey, opts, NOW_S),
    ).to.deep.equal({ ok: false, reason: 'malformed_token' });
  });
});
