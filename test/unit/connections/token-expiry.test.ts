import { expect } from 'chai';
import { isTokenExpired } from '../../../functions/shared/token-expiry.ts';

describe('connections: token expiry', () => {
  const exp = 1_705_730_400;
  it('is valid before exp and expired at exp exactly (RFC 7519)', () => {
    expect(isTokenExpired(exp, exp * 1000 - 1)).to.equal(false);
    expect(isTokenExpired(exp, exp * 1000)).to.equal(true);
    expect(isTokenExpired(exp, exp * 1000 + 1)).to.equal(true);
  });
});
