import { expect } from 'chai';
import { TokenFamilies } from '../../../../local/issuer/token-families.ts';

describe('issuer token families', function () {
  let now: number;
  let families: TokenFamilies;
  beforeEach(function () {
    now = 1_000_000;
    families = new TokenFamilies({ now: () => now, maxEntries: 3 });
  });

  it('is live once registered and unknown when never issued', function () {
    families.register('a', 'sub-1', 'client', now + 60_000);
    expect(families.status('a')).to.equal('live');
    expect(families.status('never')).to.equal('unknown');
  });

  it('revokes one family and keeps it revoked when tokens are issued from it again', function () {
    families.register('a', 'sub-1', 'client', now + 60_000);
    families.register('b', 'sub-1', 'client', now + 60_000);
    expect(families.revoke('a')).to.equal(true);
    expect(families.revoke('a')).to.equal(false);
    families.register('a', 'sub-1', 'client', now + 120_000);
    expect(families.status('a')).to.equal('revoked');
    expect(families.status('b')).to.equal('live');
  });

  it('revokes every family of one user and no other', function () {
    families.register('a', 'sub-1', 'client', now + 60_000);
    families.register('b', 'sub-1', 'other', now + 60_000);
    families.register('c', 'sub-2', 'client', now + 60_000);
    expect(families.revokeUser('sub-1')).to.equal(2);
    expect([families.status('a'), families.status('b'), families.status('c')]).to.deep.equal([
      'revoked',
      'revoked',
      'live',
    ]);
  });

  it('forgets a family once no token of it can be valid, and extends its life on a later issue', function () {
    families.register('a', 'sub-1', 'client', now + 1000);
    families.register('a', 'sub-1', 'client', now + 5000);
    now += 2000;
    expect(families.status('a')).to.equal('live');
    now += 3000;
    expect(families.status('a')).to.equal('unknown');
  });

  it('evicts the oldest family beyond its cap, which then reads as unknown (refused), never as live', function () {
    for (const id of ['a', 'b', 'c', 'd']) families.register(id, 'sub', 'client', now + 60_000);
    expect(families.size).to.equal(3);
    expect(families.status('a')).to.equal('unknown');
    expect(families.status('d')).to.equal('live');
  });

  it('round-trips through export and import, skipping malformed records', function () {
    families.register('a', 'sub-1', 'client', now + 60_000);
    families.register('b', 'sub-2', 'client', now + 60_000);
    families.revoke('b');
    const copy = new TokenFamilies({ now: () => now });
    const loaded = copy.import([...families.export(), ['x', { sub: 1 }], 'junk', ['y', null]]);
    expect(loaded).to.equal(2);
    expect(copy.status('a')).to.equal('live');
    expect(copy.status('b')).to.equal('revoked');
    expect(copy.import({ not: 'an array' })).to.equal(0);
  });
});
