import { expect } from 'chai';
import sinon from 'sinon';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { marshalConnectionItem, type ConnectionItem } from '../../../functions/shared/connection-item.ts';
import { rejectionOf } from '../../support/failures.ts';

const item: ConnectionItem = {
  connectionId: 'abc=',
  sub: 'user-1',
  username: 'jane',
  connectedAt: 1_705_726_795_000,
  tokenExp: 1_705_730_400,
  ttl: 1_705_734_060,
  queryParameters: {},
  headers: {},
  claims: {},
};

describe('connections: store', () => {
  it('puts with one conditional PutItem so a retried event never overwrites', async () => {
    const send = sinon.stub().resolves({});
    const store = createConnectionStore({ dynamo: { send }, tableName: 'conns' });
    expect(await store.put(item)).to.equal('stored');
    sinon.assert.calledOnce(send);
    const command = send.firstCall.args[0] as PutItemCommand;
    expect(command).to.be.instanceOf(PutItemCommand);
    expect(command.input).to.deep.equal({
      TableName: 'conns',
      Item: marshalConnectionItem(item),
      ConditionExpression: 'attribute_not_exists(connectionId)',
    });
  });

  it('reports an existing item (ConditionalCheckFailedException) as already_exists, not an error', async () => {
    const send = sinon
      .stub()
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const store = createConnectionStore({ dynamo: { send }, tableName: 'conns' });
    expect(await store.put(item)).to.equal('already_exists');
  });

  it('lets any other put failure propagate', async () => {
    const failure = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    const store = createConnectionStore({ dynamo: { send: sinon.stub().rejects(failure) }, tableName: 'conns' });
    const err = await rejectionOf(store.put(item));
    expect(err).to.equal(failure);
  });

  it('gets with a strongly consistent GetItem by connectionId and validates the item', async () => {
    const send = sinon.stub().resolves({ Item: marshalConnectionItem(item), $metadata: {} });
    const store = createConnectionStore({ dynamo: { send }, tableName: 'conns' });
    expect(await store.get('abc=')).to.deep.equal({ status: 'found', item });
    const command = send.firstCall.args[0] as GetItemCommand;
    expect(command).to.be.instanceOf(GetItemCommand);
    expect(command.input).to.deep.equal({
      TableName: 'conns',
      Key: { connectionId: { S: 'abc=' } },
      ConsistentRead: true,
    });
  });

  it('reports a missing item as missing', async () => {
    const store = createConnectionStore({
      dynamo: { send: sinon.stub().resolves({ $metadata: {} }) },
      tableName: 'conns',
    });
    expect(await store.get('abc=')).to.deep.equal({ status: 'missing' });
  });

  it('reports a malformed item, or one stored under another id, as invalid', async () => {
    const bad = createConnectionStore({
      dynamo: { send: sinon.stub().resolves({ Item: { connectionId: { S: 'abc=' } } }) },
      tableName: 'c',
    });
    expect((await bad.get('abc=')).status).to.equal('invalid');
    const other = createConnectionStore({
      dynamo: { send: sinon.stub().resolves({ Item: marshalConnectionItem({ ...item, connectionId: 'zzz=' }) }) },
      tableName: 'c',
    });
    expect(await other.get('abc=')).to.deep.equal({
      status: 'invalid',
      reason: 'connectionId does not match the key',
    });
  });

  it('throws on a GetItem output that is not an object', async () => {
    const store = createConnectionStore({ dynamo: { send: sinon.stub().resolves(undefined) }, tableName: 'c' });
    const err = await rejectionOf(store.get('abc='));
    expect(err.message).to.contain('GetItem');
  });

  it('deletes with an unconditional DeleteItem (idempotent)', async () => {
    const send = sinon.stub().resolves({});
    const store = createConnectionStore({ dynamo: { send }, tableName: 'conns' });
    await store.delete('abc=');
    const command = send.firstCall.args[0] as DeleteItemCommand;
    expect(command).to.be.instanceOf(DeleteItemCommand);
    expect(command.input).to.deep.equal({ TableName: 'conns', Key: { connectionId: { S: 'abc=' } } });
  });
});
