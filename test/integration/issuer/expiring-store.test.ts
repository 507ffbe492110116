import { expect } from 'chai';
import { ExpiringStore } from '../../../local/issuer/expiring-store.ts';

describe('issuer: ExpiringStore (codes, sessions, pending logins)', function () {
  let now = 0;
  const store = () => new ExpiringStore<string>({ ttlMs: 1000, maxEntries: 3, now: () => now });
  beforeEach(() => (now = 1_000_000));

  it('returns a value until its TTL, then nothing', function () {
    const s = store();
    s.set('a', 'A');
    now += 999;
    expect(s.get('a')).to.equal('A');
    now += 1;
    expect(s.hasExpired('a')).to.equal(true);
    expect(s.get('a')).to.equal(undefined);
  });

  it('gives a value to take() exactly once', function () {
    const s = store();
    s.set('a', 'A');
    expect(s.take('a')).to.equal('A');
    expect(s.take('a')).to.equal(undefined);
  });

  it('evicts the oldest entries beyond the cap, so request floods cannot grow memory', function () {
    const s = store();
    for (const key of ['a', 'b', 'c', 'd', 'e']) s.set(key, key.toUpperCase());
    expect(s.size).to.equal(3);
    expect(s.get('a')).to.equal(undefined);
    expect(s.get('b')).to.equal(undefined);
    expect(s.get('e')).to.equal('E');
  });

  it('drops expired entries when new ones arrive', function () {
    const s = store();
    s.set('a', 'A');
    s.set('b', 'B');
    now += 2000;
    s.set('c', 'C');
    expect(s.size).to.equal(1);
  });

  it('honours a per-entry TTL', function () {
    const s = store();
    s.set('long', 'L', 5000);
    s.set('x', 'X');
    now += 1500;
    expect(s.get('long')).to.equal('L');
    expect(s.get('x')).to.equal(undefined);
    now += 3500;
    expect(s.get('long')).to.equal(undefined);
  });
});
