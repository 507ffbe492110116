import { expect } from 'chai';
import sinon from 'sinon';
import { ConditionalCheckFailedException, InternalServerError, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createConnectHandler } from '../../../functions/connect/handler.ts';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { loadConnectionConfig } from '../../../functions/shared/connection-config.ts';
import {
  authorizerContext,
  captureLog,
  CONNECTION_ID,
  connectEvent,
  EXP,
  NOW_MS,
  SECRET_TOKEN,
  SUB,
} from './helpers.ts';

function setup(send: sinon.SinonStub = sinon.stub().resolves({}), env: Record<string, string> = {}) {
  const config = loadConnectionConfig({
    CONNECTIONS_TABLE: 'conns',
    STORED_HEADERS: 'User-Agent,X-Forwarded-For',
    ...env,
  });
  const logs = captureLog('connect');
  const handler = createConnectHandler({
    config,
    store: createConnectionStore({ dynamo: { send }, tableName: config.tableName }),
    now: () => NOW_MS,
    log: logs.log,
  });
  return { handler, send, logs };
}

describe('connections: $connect handler', () => {
  it('stores the documented item with one conditional PutItem and answers 200', async () => {
    const { handler, send, logs } = setup();
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 200 });
    sinon.assert.calledOnce(send);
    const command = send.firstCall.args[0] as PutItemCommand;
    expect(command).to.be.instanceOf(PutItemCommand);
    expect(command.input).to.deep.equal({
      TableName: 'conns',
      ConditionExpression: 'attribute_not_exists(connectionId)',
      Item: {
        connectionId: { S: CONNECTION_ID },
        sub: { S: SUB },
        username: { S: 'jane' },
        connectedAt: { N: String(NOW_MS - 5000) },
        tokenExp: { N: String(EXP) },
        ttl: { N: String(NOW_MS / 1000 + 7260) },
        queryParameters: { M: { room: { S: 'lobby' } } },
        headers: { M: { 'user-agent': { S: 'Mozilla/5.0' }, 'x-forwarded-for': { S: '203.0.113.9' } } },
      },
    });
    expect(logs.reasons()).to.deep.equal(['connected']);
  });

  it('computes ttl from the clock and CONNECTION_TTL_SECONDS', async () => {
    const { handler, send } = setup(undefined, { CONNECTION_TTL_SECONDS: '120' });
    await handler(connectEvent());
    expect((send.firstCall.args[0] as PutItemCommand).input.Item?.['ttl']).to.deep.equal({
      N: String(NOW_MS / 1000 + 120),
    });
  });

  it('stores an empty username for machine tokens and an empty map without STORED_HEADERS', async () => {
    const send = sinon.stub().resolves({});
    const logs = captureLog('connect');
    const handler = createConnectHandler({
      config: loadConnectionConfig({ CONNECTIONS_TABLE: 'conns' }),
      store: createConnectionStore({ dynamo: { send }, tableName: 'conns' }),
      now: () => NOW_MS,
      log: logs.log,
    });
    await handler(connectEvent({ context: { authorizer: authorizerContext({ username: '' }) } }));
    const item = (send.firstCall.args[0] as PutItemCommand).input.Item;
    expect(item?.['username']).to.deep.equal({ S: '' });
    expect(item?.['headers']).to.deep.equal({ M: {} });
  });

  it('answers Sec-WebSocket-Protocol: bearer when the token came that way', async () => {
    const { handler, send } = setup();
    const event = connectEvent({ headers: { 'sec-websocket-protocol': `bearer, ${SECRET_TOKEN}` }, query: null });
    expect(await handler(event)).to.deep.equal({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'bearer' } });
    sinon.assert.calledOnce(send);
  });

  it('answers no subprotocol when the token came in the query string or header', async () => {
    const { handler } = setup();
    const response = await handler(connectEvent());
    expect(response).to.not.have.property('headers');
  });

  const missing: [string, Record<string, unknown> | undefined][] = [
    ['no authorizer at all', undefined],
    ['an authorizer without sub', authorizerContext({ sub: undefined })],
    ['an empty sub', authorizerContext({ sub: '' })],
    ['no exp', authorizerContext({ exp: undefined })],
    ['a malformed exp', authorizerContext({ exp: 'tomorrow' })],
  ];
  for (const [what, authorizer] of missing) {
    it(`rejects ${what} with 403, stores nothing and logs a configuration error`, async () => {
      const { handler, send, logs } = setup();
      const event = connectEvent();
      (event['requestContext'] as Record<string, unknown>)['authorizer'] = authorizer;
      expect(await handler(event)).to.deep.equal({ statusCode: 403 });
      sinon.assert.notCalled(send);
      const [record] = logs.records();
      expect(record).to.include({
        level: 'error',
        reason: 'missing_authorizer_context',
        category: 'configuration',
        connectionId: CONNECTION_ID,
      });
    });
  }

  it('accepts a numeric exp from a gateway that keeps context types', async () => {
    const { handler, send } = setup();
    await handler(connectEvent({ context: { authorizer: authorizerContext({ exp: EXP }) } }));
    expect((send.firstCall.args[0] as PutItemCommand).input.Item?.['tokenExp']).to.deep.equal({ N: String(EXP) });
  });

  it('answers 500 and logs store_failed when DynamoDB fails', async () => {
    const { handler, logs } = setup(sinon.stub().rejects(new InternalServerError({ message: 'boom', $metadata: {} })));
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 500 });
    const [record] = logs.records();
    expect(record).to.include({ level: 'error', reason: 'store_failed', connectionId: CONNECTION_ID });
    expect(String(record?.['error'])).to.contain('InternalServerError');
  });

  it('accepts a retried event whose item already exists, without overwriting it', async () => {
    const send = sinon
      .stub()
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const { handler, logs } = setup(send);
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 200 });
    sinon.assert.calledOnce(send);
    expect(logs.reasons()).to.deep.equal(['already_stored']);
  });

  it('answers 500 for an event without a connection id, and never throws on garbage', async () => {
    const { handler, send, logs } = setup();
    for (const event of [undefined, null, 'x', {}, { requestContext: { connectionId: 'has space' } }]) {
      expect(await handler(event)).to.deep.equal({ statusCode: 500 });
    }
    sinon.assert.notCalled(send);
    expect(new Set(logs.reasons())).to.deep.equal(new Set(['bad_event']));
  });

  it('never puts the token (header, query, or subprotocol) in the item or the logs', async () => {
    const { handler, send, logs } = setup(undefined, { STORED_HEADERS: 'user-agent,x-forwarded-for' });
    const event = connectEvent({
      headers: {
        Authorization: `Bearer ${SECRET_TOKEN}`,
        'Sec-WebSocket-Protocol': `bearer, ${SECRET_TOKEN}`,
        'User-Agent': 'UA',
      },
      query: { token: SECRET_TOKEN, room: 'lobby' },
    });
    const response = await handler(event);
    await handler({ ...event, requestContext: { ...(event['requestContext'] as object), authorizer: undefined } });
    expect(JSON.stringify((send.firstCall.args[0] as PutItemCommand).input)).to.not.contain(SECRET_TOKEN);
    expect(JSON.stringify(response)).to.not.contain(SECRET_TOKEN);
    expect(logs.lines).to.have.length(2);
    for (const line of logs.lines) expect(line).to.not.contain(SECRET_TOKEN);
  });
});
