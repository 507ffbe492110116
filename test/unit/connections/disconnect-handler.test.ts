import { expect } from 'chai';
import sinon from 'sinon';
import { DeleteItemCommand, InternalServerError } from '@aws-sdk/client-dynamodb';
import { createDisconnectHandler } from '../../../functions/disconnect/handler.ts';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { captureLog, CONNECTION_ID, disconnectEvent } from './helpers.ts';

function setup(send: sinon.SinonStub = sinon.stub().resolves({})) {
  const logs = captureLog('disconnect');
  const sleeps: number[] = [];
  const handler = createDisconnectHandler({
    store: createConnectionStore({ dynamo: { send }, tableName: 'conns' }),
    log: logs.log,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  return { handler, send, logs, sleeps };
}

describe('connections: $disconnect handler', () => {
  it('deletes the item by connection id and logs the close code and reason', async () => {
    const { handler, send, logs } = setup();
    expect(await handler(disconnectEvent())).to.deep.equal({ statusCode: 200 });
    const command = send.firstCall.args[0] as DeleteItemCommand;
    expect(command).to.be.instanceOf(DeleteItemCommand);
    expect(command.input).to.deep.equal({ TableName: 'conns', Key: { connectionId: { S: CONNECTION_ID } } });
    const records = logs.records();
    expect(records[0]?.['timestamp']).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'timestamp')))).to.deep.equal([
      {
        level: 'info',
        fn: 'disconnect',
        reason: 'disconnected',
        apiRequestId: 'req-1',
        connectionId: CONNECTION_ID,
        disconnectStatusCode: 1001,
        disconnectReason: 'Going away',
        _aws: {
          Timestamp: (records[0]?.['_aws'] as { Timestamp: number }).Timestamp,
          CloudWatchMetrics: [
            {
              Namespace: 'WebSocketAuth',
              Dimensions: [['Function']],
              Metrics: [{ Name: 'Disconnect', Unit: 'Count' }],
            },
          ],
        },
        Function: 'disconnect',
        Disconnect: 1,
      },
    ]);
  });

  it('is idempotent: a second event for the same (now missing) item also answers 200', async () => {
    // DeleteItem without a condition succeeds whether or not the item exists.
    const { handler, send } = setup();
    expect(await handler(disconnectEvent())).to.deep.equal({ statusCode: 200 });
    expect(await handler(disconnectEvent())).to.deep.equal({ statusCode: 200 });
    sinon.assert.calledTwice(send);
    expect((send.firstCall.args[0] as DeleteItemCommand).input).to.not.have.property('ConditionExpression');
  });

  it('logs a close code given as a string, and caps a long close reason', async () => {
    const { handler, logs } = setup();
    await handler(disconnectEvent({ disconnectStatusCode: '1006', disconnectReason: 'r'.repeat(500) }));
    const [record] = logs.records();
    expect(record?.['disconnectStatusCode']).to.equal(1006);
    expect(String(record?.['disconnectReason'])).to.have.length(123);
  });

  it('tolerates an event without close details', async () => {
    const { handler, logs } = setup();
    expect(
      await handler(disconnectEvent({ disconnectStatusCode: undefined, disconnectReason: undefined })),
    ).to.deep.equal({ statusCode: 200 });
    expect(logs.records()[0]).to.not.have.property('disconnectStatusCode');
  });

  it('retries DeleteItem within its time budget and succeeds when DynamoDB comes back', async () => {
    const send = sinon.stub();
    send.onFirstCall().rejects(new InternalServerError({ message: 'boom', $metadata: {} }));
    send.onSecondCall().resolves({});
    const { handler, logs, sleeps } = setup(send);
    const context = { awsRequestId: 'l-1', getRemainingTimeInMillis: () => 9000 };
    expect(await handler(disconnectEvent(), context)).to.deep.equal({ statusCode: 200 });
    sinon.assert.calledTwice(send);
    expect(sleeps).to.have.length(1);
    expect(logs.records()[0]).to.include({ reason: 'disconnected', attempts: 2, requestId: 'l-1' });
  });

  it('logs orphan_left with the connection id (InternalError counted) and answers 500 when every attempt fails', async () => {
    const send = sinon.stub().rejects(new InternalServerError({ message: 'boom', $metadata: {} }));
    const { handler, logs } = setup(send);
    expect(await handler(disconnectEvent())).to.deep.equal({ statusCode: 500 });
    sinon.assert.calledThrice(send);
    expect(logs.records()).to.have.length(1);
    expect(logs.records()[0]).to.include({
      level: 'error',
      reason: 'orphan_left',
      connectionId: CONNECTION_ID,
      disconnectStatusCode: 1001,
      attempts: 3,
      InternalError: 1,
    });
  });

  it('stops retrying when the invocation has no time left for another attempt', async () => {
    const send = sinon.stub().rejects(new InternalServerError({ message: 'boom', $metadata: {} }));
    const { handler, logs } = setup(send);
    const context = { getRemainingTimeInMillis: () => 1000 };
    expect(await handler(disconnectEvent(), context)).to.deep.equal({ statusCode: 500 });
    sinon.assert.calledOnce(send);
    expect(logs.records()[0]).to.include({ reason: 'orphan_left', attempts: 1 });
  });

  it('answers 500 for an event without a connection id, deleting nothing', async () => {
    const { handler, send, logs } = setup();
    expect(await handler({ requestContext: {} })).to.deep.equal({ statusCode: 500 });
    sinon.assert.notCalled(send);
    expect(logs.reasons()).to.deep.equal(['bad_event']);
  });
});
