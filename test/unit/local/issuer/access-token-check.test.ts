import { expect } from 'chai';
import { checkAccessToken, type AccessTokenCheckDeps } from '../../../../local/issuer/access-token-check.ts';
import { signJwt } from '../../../../local/issuer/jwt.ts';
import { KeyRing } from '../../../../local/issuer/keys.ts';
import type { FamilyStatus } from '../../../../local/issuer/token-families.ts';

const ISSUER = 'http://127.0.0.1:1/us-east-1_local0001';

describe('issuer access-token check (userInfo, GetUser, GlobalSignOut)', function () {
  let keys: KeyRing;
  let family: FamilyStatus;
  let user: 'enabled' | 'disabled' | undefined;
  let deps: AccessTokenCheckDeps;
  const now = 1_700_000_000_000;
  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: 's',
    iss: ISSUER,
    client_id: 'c',
    origin_jti: 'o',
    token_use: 'access',
    scope: 'openid aws.cognito.signin.user.admin',
    exp: now / 1000 + 60,
    iat: now / 1000,
    username: 'demo',
    ...overrides,
  });

  before(async function () {
    keys = await KeyRing.create();
  });
  beforeEach(function () {
    family = 'live';
    user = 'enabled';
    deps = { keys, issuer: ISSUER, now: () => now, familyStatus: () => family, userState: () => user };
  });

  it('accepts a live token of an enabled user and returns its subject and scopes', function () {
    expect(checkAccessToken(signJwt(claims(), keys.signingKey), deps)).to.deep.equal({
      ok: true,
      token: {
        sub: 's',
        username: 'demo',
        scopes: ['openid', 'aws.cognito.signin.user.admin'],
        originJti: 'o',
        clientId: 'c',
      },
    });
  });

  it('refuses a revoked or unknown family, a disabled or deleted user', function () {
    const token = signJwt(claims(), keys.signingKey);
    family = 'revoked';
    expect(checkAccessToken(token, deps)).to.deep.equal({ ok: false, reason: 'revoked' });
    family = 'unknown';
    expect(checkAccessToken(token, deps)).to.deep.equal({ ok: false, reason: 'revoked' });
    family = 'live';
    user = 'disabled';
    expect(checkAccessToken(token, deps)).to.deep.equal({ ok: false, reason: 'user_disabled' });
    user = undefined;
    expect(checkAccessToken(token, deps)).to.deep.equal({ ok: false, reason: 'user_gone' });
  });

  it('refuses expired, ID, claim-less and foreign tokens before asking about the family', function () {
    deps.familyStatus = () => {
      throw new Error('family looked up for a token that should have been refused first');
    };
    const reasons = [
      signJwt(claims({ exp: now / 1000 }), keys.signingKey),
      signJwt(claims({ token_use: 'id' }), keys.signingKey),
      signJwt(claims({ origin_jti: 5 }), keys.signingKey),
      signJwt(claims({ iss: 'https://elsewhere' }), keys.signingKey),
      'not-a-jwt',
    ].map((token) => {
      const result = checkAccessToken(token, deps);
      return result.ok ? 'ok' : result.reason;
    });
    expect(reasons).to.deep.equal(['expired', 'not_access_token', 'malformed_claims', 'wrong_issuer', 'malformed']);
  });

  it('round-trips the key ring through its export, and refuses a non-RSA or malformed key', function () {
    keys.rotate();
    const copy = KeyRing.fromExported(keys.export());
    expect(copy.jwks()).to.deep.equal(keys.jwks());
    expect(copy.signingKey.kid).to.equal(keys.signingKey.kid);
    expect(() => KeyRing.fromExported([])).to.throw(/non-empty array/);
    expect(() => KeyRing.fromExported(['-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----'])).to.throw(
      /key 0 cannot be read/,
    );
  });
});
