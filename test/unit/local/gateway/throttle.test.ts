// The stage throttle's token bucket: off by default, burst then rate.
import { expect } from 'chai';
import { createThrottle } from '../../../../local/gateway/throttle.ts';

describe('local/gateway throttle', () => {
  it('never throttles when not configured', () => {
    const t = createThrottle(undefined, () => 0);
    for (let i = 0; i < 10_000; i += 1) expect(t.take()).to.equal(true);
  });

  it('allows the burst at once, then the rate per second', () => {
    let now = 0;
    const t = createThrottle({ burst: 3, rate: 2 }, () => now);
    expect([t.take(), t.take(), t.take(), t.take()]).to.deep.equal([true, true, true, false]);
    now = 499;
    expect(t.take()).to.equal(false);
    now = 500;
    expect(t.take()).to.equal(true);
    expect(t.take()).to.equal(false);
    now = 60_000;
    expect([t.take(), t.take(), t.take(), t.take()]).to.deep.equal([true, true, true, false]);
  });

  it('a burst of 0 throttles everything', () => {
    const t = createThrottle({ burst: 0, rate: 100 }, () => 0);
    expect(t.take()).to.equal(false);
  });
});
