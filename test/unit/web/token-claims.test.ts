import { expect } from 'chai';
import { decodePayload, formatRemaining, readClaims, refreshDelayMs } from '../../../web/src/token-claims.ts';
import { fakeJwt } from './helpers.ts';

const ACCESS = {
  sub: 'sub-1',
  username: 'jane',
  exp: 2_000_003_600,
  iat: 2_000_000_000,
  'cognito:groups': ['admins', 7],
  scope: 'openid email',
};

describe('web: token claims', () => {
  it('reads the access token claims the page shows', () => {
    expect(readClaims(fakeJwt(ACCESS))).to.deep.equal({
      sub: 'sub-1',
      username: 'jane',
      exp: 2_000_003_600,
      iat: 2_000_000_000,
      groups: ['admins'],
      scope: 'openid email',
    });
  });

  it('decodes UTF-8 names', () => {
    expect(readClaims(fakeJwt({ ...ACCESS, username: 'zoë 山田' }))?.username).to.equal('zoë 山田');
  });

  it('falls back to the ID token cognito:username, then to sub', () => {
    const noName = fakeJwt({ ...ACCESS, username: undefined });
    expect(readClaims(noName, fakeJwt({ 'cognito:username': 'from-id' }))?.username).to.equal('from-id');
    expect(readClaims(noName)?.username).to.equal('sub-1');
  });

  it('is undefined without a numeric exp, and for malformed tokens', () => {
    expect(readClaims(fakeJwt({ ...ACCESS, exp: '2000003600' }))).to.equal(undefined);
    for (const bad of [
      '',
      'a.b',
      'a.b.c.d',
      'x.!!!.y',
      `x.${Buffer.from('[1]').toString('base64url')}.y`,
      `x.${Buffer.from('{bad').toString('base64url')}.y`,
      `x.${Buffer.from([0xff, 0xfe]).toString('base64url')}.y`,
    ]) {
      expect(decodePayload(bad), bad).to.equal(undefined);
      expect(readClaims(bad), bad).to.equal(undefined);
    }
    expect(decodePayload(`x.${'a'.repeat(17000)}.y`), 'oversized tokens are not decoded').to.equal(undefined);
  });

  it('formats the time left as m:ss or h:mm:ss, and "expired" at or after exp', () => {
    const exp = 1_000_000;
    expect(formatRemaining(exp, (exp - 59) * 1000)).to.equal('0:59');
    expect(formatRemaining(exp, (exp - 3599) * 1000)).to.equal('59:59');
    expect(formatRemaining(exp, (exp - 3723) * 1000)).to.equal('1:02:03');
    expect(formatRemaining(exp, exp * 1000)).to.equal('expired');
    expect(formatRemaining(exp, (exp + 5) * 1000)).to.equal('expired');
  });

  it('renews a minute before expiry for an hour-long token', () => {
    const claims = { iat: 1000, exp: 4600 };
    expect(refreshDelayMs(claims, 1000 * 1000)).to.equal(3540 * 1000);
  });

  it('renews at 80% of the lifetime for short tokens, never with a negative delay', () => {
    expect(refreshDelayMs({ iat: 1000, exp: 1010 }, 1000 * 1000)).to.equal(8000);
    expect(refreshDelayMs({ iat: 0, exp: 120 }, 0), 'two-minute token: 96 s, not 60 s').to.equal(96_000);
    expect(refreshDelayMs({ iat: 1000, exp: 1010 }, 1020 * 1000)).to.equal(0);
  });
});
