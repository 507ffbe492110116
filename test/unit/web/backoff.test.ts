import { expect } from 'chai';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../web/src/backoff.ts';

describe('web: reconnect back-off', () => {
  it('doubles from 1 s up to the 30 s cap, between half and all of each step', () => {
    const low = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, () => 0.999999));
    expect(low).to.deep.equal([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect(high).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('gives up after maxAttempts and refuses nonsense attempt numbers', () => {
    expect(backoffDelay(DEFAULT_BACKOFF.maxAttempts + 1, () => 0.5)).to.equal(undefined);
    for (const n of [0, -1, 1.5, Number.NaN])
      expect(
        backoffDelay(n, () => 0.5),
        String(n),
      ).to.equal(undefined);
  });

  it('clamps an out-of-range random value', () => {
    expect(backoffDelay(1, () => 7)).to.equal(1000);
    expect(backoffDelay(1, () => -3)).to.equal(500);
  });

  it('follows custom options', () => {
    expect(backoffDelay(3, () => 1, { baseMs: 100, maxMs: 250, maxAttempts: 3 })).to.equal(250);
    expect(backoffDelay(4, () => 1, { baseMs: 100, maxMs: 250, maxAttempts: 3 })).to.equal(undefined);
  });
});
