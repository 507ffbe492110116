import { expect } from 'chai';
import sinon from 'sinon';
import { ConditionalCheckFailedException, InternalServerError, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createConnectHandler, REVOKED_STATUS } from '../../../functions/connect/handler.ts';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { loadConnectionConfig } from '../../../functions/shared/connection-config.ts';
import { unmarshalConnectionItem } from '../../../functions/shared/connection-item.ts';
import { createManagementClients } from '../../../functions/shared/management-clients.ts';
import type { RevocationRead } from '../../../functions/shared/token/revocations.ts';
import { connection, FakeManagement, FakeTable } from '../control/fakes.ts';
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

const noManagement = createManagementClients({
  endpointFromEnv: undefined,
  createClient: () => ({ send: () => Promise.reject(new Error('management API not expected')) }),
});

/** The limit is off (0) here; its own tests below run over the in-memory table. */
function setup(send: sinon.SinonStub = sinon.stub().resolves({}), env: Record<string, string> = {}) {
  const config = loadConnectionConfig({
    CONNECTIONS_TABLE: 'conns',
    STORED_HEADERS: 'User-Agent,X-Forwarded-For',
    MAX_CONNECTIONS_PER_USER: '0',
    ...env,
  });
  const logs = captureLog('connect');
  const handler = createConnectHandler({
    config,
    store: createConnectionStore({ dynamo: { send }, tableName: config.tableName }),
    dynamo: { send },
    management: noManagement,
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
    const [record] = logs.records();
    expect(record).to.include({ reason: 'connected', apiRequestId: 'req-1', Connect: 1, Function: 'connect' });
  });

  it("binds Lambda's request id from the context argument", async () => {
    const { handler, logs } = setup();
    await handler(connectEvent(), { awsRequestId: 'lambda-1' });
    expect(logs.records()[0]).to.include({ requestId: 'lambda-1', apiRequestId: 'req-1' });
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
      config: loadConnectionConfig({ CONNECTIONS_TABLE: 'conns', MAX_CONNECTIONS_PER_USER: '0' }),
      store: createConnectionStore({ dynamo: { send }, tableName: 'conns' }),
      dynamo: { send },
      management: noManagement,
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
    // API Gateway delivers every context value downstream as a string: a number means a misbehaving gateway.
    ['a numeric exp', authorizerContext({ exp: EXP })],
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

  it('answers 500 and logs store_failed when DynamoDB fails', async () => {
    const { handler, logs } = setup(sinon.stub().rejects(new InternalServerError({ message: 'boom', $metadata: {} })));
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 500 });
    const [record] = logs.records();
    expect(record).to.include({
      level: 'error',
      reason: 'store_failed',
      connectionId: CONNECTION_ID,
      InternalError: 1,
    });
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

describe('connections: $connect with the per-user limit and context claims', () => {
  function limited(table: FakeTable, management: FakeManagement, env: Record<string, string> = {}) {
    const config = loadConnectionConfig({ CONNECTIONS_TABLE: 'conns', MAX_CONNECTIONS_PER_USER: '2', ...env });
    const logs = captureLog('connect');
    const handler = createConnectHandler({
      config,
      store: createConnectionStore({ dynamo: table, tableName: 'conns' }),
      dynamo: table,
      management: createManagementClients({ endpointFromEnv: undefined, createClient: () => management }),
      now: () => NOW_MS,
      log: logs.log,
    });
    return { handler, logs };
  }
  const own = (extra: Record<string, unknown> = {}) =>
    connection('x=', { sub: SUB, connectedAt: NOW_MS - 1000, ...extra });

  it('accepts below the limit (MAX_CONNECTIONS_PER_USER defaults to 10)', async () => {
    expect(loadConnectionConfig({ CONNECTIONS_TABLE: 'conns' }).maxConnectionsPerUser).to.equal(10);
    const table = new FakeTable().add(own());
    const { handler } = limited(table, new FakeManagement().set('live', 'x='));
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 200 });
    expect(table.has(CONNECTION_ID)).to.equal(true);
  });

  it('refuses the third handshake at a limit of 2 with 429, keeping the existing ones', async () => {
    const table = new FakeTable().add(own(), connection('y=', { sub: SUB }));
    const { handler, logs } = limited(table, new FakeManagement().set('live', 'x=', 'y='));
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 429 });
    expect(table.has(CONNECTION_ID)).to.equal(false);
    expect(table.items.size).to.equal(2);
    expect(logs.records().at(-1)).to.include({ level: 'warn', reason: 'connection_limit_reached', live: 2, max: 2 });
  });

  it('makes room by deleting an item whose $disconnect was lost, and accepts', async () => {
    const table = new FakeTable().add(own(), connection('lost=', { sub: SUB, connectedAt: 1 }));
    const { handler, logs } = limited(table, new FakeManagement().set('live', 'x=').set('gone', 'lost='));
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 200 });
    expect(table.has('lost=')).to.equal(false);
    expect(logs.records().find((r) => r['reason'] === 'stale_connections_removed')).to.include({ GoneCleanup: 1 });
  });

  it('refuses with 500 and bad_event when the event names no usable management endpoint', async () => {
    const table = new FakeTable();
    const config = loadConnectionConfig({ CONNECTIONS_TABLE: 'conns', MAX_CONNECTIONS_PER_USER: '2' });
    const logs = captureLog('connect');
    const handler = createConnectHandler({
      config,
      store: createConnectionStore({ dynamo: table, tableName: 'conns' }),
      dynamo: table,
      management: createManagementClients({ endpointFromEnv: undefined, createClient: () => new FakeManagement() }),
      now: () => NOW_MS,
      log: logs.log,
    });
    expect(await handler(connectEvent({ context: { stage: '../x' } }))).to.deep.equal({ statusCode: 500 });
    expect(logs.reasons()).to.deep.equal(['bad_event']);
    expect(table.calls).to.deep.equal([]);
  });

  it('refuses with 500 (InternalError counted) when sub-index cannot be read', async () => {
    const table = new FakeTable();
    table.failing.add('Query');
    const { handler, logs } = limited(table, new FakeManagement());
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 500 });
    expect(logs.records().at(-1)).to.include({ reason: 'store_failed', operation: 'query', InternalError: 1 });
  });

  it('stores the CONTEXT_CLAIMS under claims, keyed by their original names', async () => {
    const table = new FakeTable();
    const { handler } = limited(table, new FakeManagement(), { CONTEXT_CLAIMS: 'custom:tenant' });
    const event = connectEvent({ context: { authorizer: authorizerContext({ claim_custom_tenant: 'acme' }) } });
    expect(await handler(event)).to.deep.equal({ statusCode: 200 });
    const stored = unmarshalConnectionItem(table.items.get(CONNECTION_ID));
    expect(stored.ok && stored.item.claims).to.deep.equal({ 'custom:tenant': 'acme' });
    expect(table.items.get(CONNECTION_ID)?.['claims']).to.deep.equal({ M: { 'custom:tenant': { S: 'acme' } } });
  });
});

describe('connections: $connect re-reads the revocation record after storing its item (revoke race)', () => {
  const AUTH_TIME = EXP - 3600;
  function revocable(answer: RevocationRead) {
    const table = new FakeTable();
    const logs = captureLog('connect');
    const seenStored: boolean[] = [];
    const handler = createConnectHandler({
      config: loadConnectionConfig({ CONNECTIONS_TABLE: 'conns', MAX_CONNECTIONS_PER_USER: '0' }),
      store: createConnectionStore({ dynamo: table, tableName: 'conns' }),
      dynamo: table,
      management: noManagement,
      now: () => NOW_MS,
      log: logs.log,
      revocations: {
        revokedAt: (sub) => {
          expect(sub).to.equal(SUB);
          // Write-then-check: the read must come after the PutItem, or revoke's sweep could miss the item.
          seenStored.push(table.has(CONNECTION_ID));
          return Promise.resolve(answer);
        },
      },
    });
    return { handler, table, logs, seenStored };
  }

  it('refuses with 401 and deletes its item when revokedAt is at or after the auth time', async () => {
    for (const revokedAt of [AUTH_TIME, AUTH_TIME + 10]) {
      const { handler, table, logs, seenStored } = revocable({ ok: true, revokedAt });
      expect(await handler(connectEvent())).to.deep.equal({ statusCode: REVOKED_STATUS });
      expect(REVOKED_STATUS).to.equal(401);
      expect(seenStored).to.deep.equal([true]);
      expect(table.has(CONNECTION_ID)).to.equal(false);
      expect(logs.records().at(-1)).to.include({ level: 'warn', reason: 'revoked', revokedAt, authTime: AUTH_TIME });
      expect(logs.reasons()).to.not.include('connected');
    }
  });

  it('accepts and keeps its item when there is no record, or the session is newer than it', async () => {
    for (const revokedAt of [undefined, AUTH_TIME - 1]) {
      const { handler, table, logs, seenStored } = revocable({ ok: true, revokedAt });
      expect(await handler(connectEvent())).to.deep.equal({ statusCode: 200 });
      expect(seenStored).to.deep.equal([true]);
      expect(table.has(CONNECTION_ID)).to.equal(true);
      expect(logs.reasons()).to.include('connected');
    }
  });

  it('fails closed: an unreadable record deletes the item and answers 500 (revocation_unavailable)', async () => {
    const { handler, table, logs } = revocable({ ok: false, error: 'no answer within 1000 ms' });
    expect(await handler(connectEvent())).to.deep.equal({ statusCode: 500 });
    expect(table.has(CONNECTION_ID)).to.equal(false);
    expect(logs.records().at(-1)).to.include({ level: 'error', reason: 'revocation_unavailable', InternalError: 1 });
  });

  it('refuses a context without authTime whenever a record exists, and a malformed authTime outright', async () => {
    const { handler, table } = revocable({ ok: true, revokedAt: 1 });
    const event = connectEvent({ context: { authorizer: authorizerContext({ authTime: undefined }) } });
    expect(await handler(event)).to.deep.equal({ statusCode: 401 });
    expect(table.has(CONNECTION_ID)).to.equal(false);
    const bad = connectEvent({ context: { authorizer: authorizerContext({ authTime: '12.5' }) } });
    expect(await revocable({ ok: true, revokedAt: undefined }).handler(bad)).to.deep.equal({ statusCode: 403 });
  });
});
