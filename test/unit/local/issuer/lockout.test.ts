import { expect } from 'chai';
import { lockDurationMs, MAX_LOCK_MS, SignInLockout } from '../../../../local/issuer/lockout.ts';

describe('issuer sign-in lockout', function () {
  let now: number;
  let lockout: SignInLockout;
  beforeEach(function () {
    now = 5_000_000;
    lockout = new SignInLockout({ now: () => now, maxEntries: 2 });
  });

  it('locks for 2^(n-5) seconds from the fifth failure, capped at 15 minutes', function () {
    expect([1, 4, 5, 6, 7, 10].map(lockDurationMs)).to.deep.equal([0, 0, 1000, 2000, 4000, 32_000]);
    expect(lockDurationMs(40)).to.equal(MAX_LOCK_MS);
  });

  it('lets four failures through, locks after the fifth, and lifts the lock when it has passed', function () {
    for (let i = 0; i < 4; i++) lockout.recordFailure('Demo');
    expect(lockout.check('demo')).to.deep.equal({ ok: true });
    lockout.recordFailure('demo');
    expect(lockout.check('DEMO')).to.deep.equal({ ok: false, retryAfterSeconds: 1 });
    now += 1000;
    expect(lockout.check('demo')).to.deep.equal({ ok: true });
    lockout.recordFailure('demo');
    expect(lockout.check('demo')).to.deep.equal({ ok: false, retryAfterSeconds: 2 });
  });

  it('is reset by a success and by 15 minutes without attempts', function () {
    for (let i = 0; i < 5; i++) lockout.recordFailure('demo');
    now += 1000;
    lockout.recordSuccess('demo');
    lockout.recordFailure('demo');
    expect(lockout.check('demo').ok).to.equal(true);
    for (let i = 0; i < 5; i++) lockout.recordFailure('other');
    now += 15 * 60 * 1000;
    lockout.recordFailure('other');
    expect(lockout.check('other').ok).to.equal(true);
  });

  it('keys other usernames separately and stays bounded', function () {
    for (let i = 0; i < 5; i++) lockout.recordFailure('a');
    expect(lockout.check('b').ok).to.equal(true);
    lockout.recordFailure('b');
    lockout.recordFailure('c'); // evicts a, the least recently tried
    expect(lockout.check('a').ok).to.equal(true);
  });
});
