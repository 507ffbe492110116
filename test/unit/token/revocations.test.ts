import { expect } from 'chai';
import sinon from 'sinon';
import { createRevocationReader, isRevoked } from '../../../functions/shared/token/revocations.ts';

describe('token: revocations', () => {
  it('refuses a session authenticated at or before revokedAt (second precision), never a later one', () => {
    expect(isRevoked(100, 100)).to.equal(true);
    expect(isRevoked(99, 100)).to.equal(true);
    expect(isRevoked(101, 100)).to.equal(false);
    expect(isRevoked(100, undefined)).to.equal(false);
  });

  it('reads with one strongly consistent GetItem keyed by sub', async () => {
    const send = sinon.stub().resolves({ Item: { revokedAt: { N: '1750000000' } } });
    const reader = createRevocationReader({ get: send, tableName: 'revocations-local' });
    expect(await reader.revokedAt('user-1')).to.deep.equal({ ok: true, revokedAt: 1_750_000_000 });
    expect(send.firstCall.args[0]).to.deep.equal({
      TableName: 'revocations-local',
      Key: { sub: { S: 'user-1' } },
      ConsistentRead: true,
      ProjectionExpression: 'revokedAt',
    });
    expect(send.firstCall.args[1]).to.be.instanceOf(AbortSignal);
  });

  it('reports errors and malformed answers as failures (the caller fails closed)', async () => {
    const answers: unknown[] = [
      undefined,
      { Item: 'x' },
      { Item: { revokedAt: { S: '1' } } },
      { Item: { revokedAt: { N: '1.5' } } },
    ];
    for (const answer of answers) {
      const reader = createRevocationReader({ get: sinon.stub().resolves(answer), tableName: 't' });
      expect(await reader.revokedAt('u'), JSON.stringify(answer)).to.deep.include({ ok: false });
    }
    const failing = createRevocationReader({
      get: sinon.stub().rejects(new Error('throttled')),
      tableName: 't',
    });
    expect(await failing.revokedAt('u')).to.deep.equal({ ok: false, error: 'Error: throttled' });
  });

  it('answers at its deadline even when the client ignores the abort signal', async () => {
    const send = sinon.stub().returns(new Promise(() => undefined));
    const reader = createRevocationReader({ get: send, tableName: 't', timeoutMs: 30 });
    const started = Date.now();
    expect(await reader.revokedAt('u')).to.deep.equal({ ok: false, error: 'no answer within 30 ms' });
    expect(Date.now() - started).to.be.below(1000);
    expect((send.firstCall.args[1] as AbortSignal).aborted).to.equal(true);
  });
});

describe('token: revocations while the client module loads', () => {
  it('waits for a sender given as a promise, within the same deadline', async () => {
    const send = sinon.stub().resolves({});
    const reader = createRevocationReader({ get: Promise.resolve(send), tableName: 't' });
    expect(await reader.revokedAt('u')).to.deep.equal({ ok: true, revokedAt: undefined });
    const failing = createRevocationReader({ get: Promise.reject(new Error('load failed')), tableName: 't' });
    expect(await failing.revokedAt('u')).to.deep.equal({ ok: false, error: 'Error: load failed' });
  });
});
