import { expect } from 'chai';
import sinon from 'sinon';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { findConnectionsBySub, SUB_INDEX } from '../../../functions/shared/connections-by-sub.ts';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { marshalConnectionItem, type ConnectionItem } from '../../../functions/shared/connection-item.ts';

function item(connectionId: string, connectedAt: number, ttl = 2_000_000_000): ConnectionItem {
  return {
    connectionId,
    sub: 'user-1',
    username: 'jane',
    connectedAt,
    tokenExp: 1_705_730_400,
    ttl,
    queryParameters: {},
    headers: {},
  };
}

describe('connections: findConnectionsBySub', () => {
  it('queries sub-index by sub and follows LastEvaluatedKey across pages', async () => {
    const page2Key = { connectionId: { S: 'b=' }, sub: { S: 'user-1' }, connectedAt: { N: '2' } };
    const send = sinon.stub();
    send.onFirstCall().resolves({
      Items: [marshalConnectionItem(item('a=', 1)), marshalConnectionItem(item('b=', 2))],
      LastEvaluatedKey: page2Key,
    });
    send.onSecondCall().resolves({ Items: [marshalConnectionItem(item('c=', 3))] });
    const result = await findConnectionsBySub({ send }, 'conns', 'user-1', { pageSize: 2 });

    expect(result).to.deep.equal({
      connections: [item('a=', 1), item('b=', 2), item('c=', 3)],
      invalid: 0,
      expired: 0,
      truncated: false,
    });
    sinon.assert.calledTwice(send);
    const first = send.firstCall.args[0] as QueryCommand;
    expect(first).to.be.instanceOf(QueryCommand);
    expect(first.input).to.deep.equal({
      TableName: 'conns',
      IndexName: SUB_INDEX,
      KeyConditionExpression: '#sub = :sub',
      ExpressionAttributeNames: { '#sub': 'sub' },
      ExpressionAttributeValues: { ':sub': { S: 'user-1' } },
      Limit: 2,
    });
    expect(SUB_INDEX).to.equal('sub-index');
    expect((send.secondCall.args[0] as QueryCommand).input.ExclusiveStartKey).to.deep.equal(page2Key);
  });

  it('counts invalid items and items of another sub instead of returning them', async () => {
    const send = sinon.stub().resolves({
      Items: [
        marshalConnectionItem(item('a=', 1)),
        { connectionId: { S: 'x=' } },
        marshalConnectionItem({ ...item('o=', 5), sub: 'other' }),
      ],
    });
    const result = await findConnectionsBySub({ send }, 'conns', 'user-1');
    expect(result.connections.map((c) => c.connectionId)).to.deep.equal(['a=']);
    expect(result.invalid).to.equal(2);
  });

  it('leaves out items whose ttl has passed when given the time', async () => {
    const nowMs = 1_800_000_000_000;
    const send = sinon.stub().resolves({
      Items: [marshalConnectionItem(item('old=', 1, 1_799_999_999)), marshalConnectionItem(item('new=', 2))],
    });
    const result = await findConnectionsBySub({ send }, 'conns', 'user-1', { nowMs });
    expect(result.connections.map((c) => c.connectionId)).to.deep.equal(['new=']);
    expect(result.expired).to.equal(1);
  });

  it('stops after maxPages and says the result is truncated', async () => {
    const send = sinon.stub().resolves({ Items: [], LastEvaluatedKey: { connectionId: { S: 'x' } } });
    const result = await findConnectionsBySub({ send }, 'conns', 'user-1', { maxPages: 3 });
    expect(result.truncated).to.equal(true);
    sinon.assert.callCount(send, 3);
  });

  it('rejects malformed Query output and an empty sub', async () => {
    for (const output of [undefined, { Items: 'nope' }, { Items: [], LastEvaluatedKey: 'k' }]) {
      try {
        await findConnectionsBySub({ send: sinon.stub().resolves(output) }, 'conns', 'user-1');
        expect.fail(`expected a failure for ${JSON.stringify(output)}`);
      } catch (err) {
        expect((err as Error).message).to.contain('Query');
      }
    }
    try {
      await findConnectionsBySub({ send: sinon.stub() }, 'conns', '');
      expect.fail('expected a failure for an empty sub');
    } catch (err) {
      expect(err).to.be.instanceOf(TypeError);
    }
  });

  it('is reachable through the store as findBySub', async () => {
    const send = sinon.stub().resolves({ Items: [marshalConnectionItem(item('a=', 1))] });
    const store = createConnectionStore({ dynamo: { send }, tableName: 'conns' });
    expect((await store.findBySub('user-1')).connections).to.have.length(1);
    expect((send.firstCall.args[0] as QueryCommand).input.TableName).to.equal('conns');
  });
});
