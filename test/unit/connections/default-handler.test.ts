import { expect } from 'chai';
import sinon from 'sinon';
import { DeleteItemCommand, GetItemCommand, InternalServerError } from '@aws-sdk/client-dynamodb';
import {
  DeleteConnectionCommand,
  GoneException,
  LimitExceededException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { createDefaultHandler } from '../../../functions/default/handler.ts';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { marshalConnectionItem, type ConnectionItem } from '../../../functions/shared/connection-item.ts';
import { createManagementClients } from '../../../functions/shared/management-clients.ts';
import {
  authorizerContext,
  captureLog,
  CONNECTION_ID,
  EXP,
  messageEvent,
  NOW_MS,
  SECRET_TOKEN,
  SUB,
} from './helpers.ts';

const stored: ConnectionItem = {
  connectionId: CONNECTION_ID,
  sub: SUB,
  username: 'jane',
  connectedAt: NOW_MS - 5000,
  tokenExp: EXP,
  ttl: NOW_MS / 1000 + 7260,
  queryParameters: { room: 'lobby' },
  headers: { 'user-agent': 'Mozilla/5.0' },
  claims: {},
};

interface Setup {
  handler: (event: unknown, context?: unknown) => Promise<unknown>;
  dynamo: sinon.SinonStub;
  api: sinon.SinonStub;
  createClient: sinon.SinonStub;
  logs: ReturnType<typeof captureLog>;
}

/** DynamoDB answers GetItem with `item` (undefined: missing); the management API accepts everything unless told. */
function setup(
  options: { item?: unknown; nowMs?: number; dynamo?: sinon.SinonStub; api?: sinon.SinonStub } = {},
): Setup {
  const item = 'item' in options ? options.item : marshalConnectionItem(stored);
  const dynamo =
    options.dynamo ??
    sinon
      .stub()
      .callsFake((command: unknown) =>
        Promise.resolve(
          command instanceof GetItemCommand && item !== undefined ? { Item: item, $metadata: {} } : { $metadata: {} },
        ),
      );
  const api = options.api ?? sinon.stub().resolves({ $metadata: {} });
  const createClient = sinon.stub().returns({ send: api });
  const logs = captureLog('default');
  const handler = createDefaultHandler({
    store: createConnectionStore({ dynamo: { send: dynamo }, tableName: 'conns' }),
    management: createManagementClients({ endpointFromEnv: undefined, createClient }),
    now: () => options.nowMs ?? NOW_MS,
    log: logs.log,
  });
  return { handler, dynamo, api, createClient, logs };
}

function posted(api: sinon.SinonStub): Record<string, unknown>[] {
  return api.args
    .map(([command]) => command as unknown)
    .filter((command): command is PostToConnectionCommand => command instanceof PostToConnectionCommand)
    .map((command) => {
      expect(command.input.ConnectionId).to.equal(CONNECTION_ID);
      const data = command.input.Data;
      if (!(data instanceof Uint8Array)) throw new Error('PostToConnection Data should be bytes');
      return JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, unknown>;
    });
}

function commandsOf<T>(stub: sinon.SinonStub, type: new (...args: never[]) => T): T[] {
  return stub.args.map(([command]) => command as unknown).filter((command): command is T => command instanceof type);
}

const expectedView = {
  connectionId: CONNECTION_ID,
  sub: SUB,
  username: 'jane',
  connectedAt: NOW_MS - 5000,
  tokenExp: EXP,
  queryParameters: { room: 'lobby' },
  headers: { 'user-agent': 'Mozilla/5.0' },
  claims: {},
};

describe('connections: $default handler', () => {
  it('echoes a JSON body parsed, with the stored connection without ttl and the receive time', async () => {
    const { handler, dynamo, api, createClient } = setup();
    expect(await handler(messageEvent('{"action":"hello","n":1}'))).to.deep.equal({ statusCode: 200 });
    expect(posted(api)).to.deep.equal([
      {
        type: 'echo',
        message: { action: 'hello', n: 1 },
        connection: expectedView,
        receivedAt: new Date(NOW_MS).toISOString(),
      },
    ]);
    expect(commandsOf(dynamo, GetItemCommand).map((c) => c.input)).to.deep.equal([
      { TableName: 'conns', Key: { connectionId: { S: CONNECTION_ID } }, ConsistentRead: true },
    ]);
    sinon.assert.calledOnceWithExactly(createClient, 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev');
  });

  it('echoes plain text as text', async () => {
    const { handler, api } = setup();
    await handler(messageEvent('just words'));
    expect(posted(api)[0]?.['message']).to.equal('just words');
  });

  it('echoes a binary frame as its base64 with encoding: base64', async () => {
    const { handler, api } = setup();
    const base64 = Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64');
    await handler(messageEvent(base64, { isBase64Encoded: true }));
    expect(posted(api)[0]).to.include({ type: 'echo', message: base64, encoding: 'base64' });
  });

  it('reuses one management client across invocations', async () => {
    const { handler, createClient } = setup();
    await handler(messageEvent('a'));
    await handler(messageEvent('b'));
    sinon.assert.calledOnce(createClient);
  });

  it('answers message_too_large instead of attempting an echo over 128 KB', async () => {
    const { handler, api, logs } = setup();
    expect(await handler(messageEvent('x'.repeat(131_000)))).to.deep.equal({ statusCode: 200 });
    expect(posted(api)).to.deep.equal([{ type: 'error', reason: 'message_too_large', limit: 131072 }]);
    expect(logs.reasons()).to.deep.equal(['message_too_large']);
  });

  it('answers invalid_message for a binary frame that is not base64', async () => {
    const { handler, api } = setup();
    expect(await handler(messageEvent('%%%', { isBase64Encoded: true }))).to.deep.equal({ statusCode: 200 });
    expect(posted(api)).to.deep.equal([{ type: 'error', reason: 'invalid_message' }]);
  });

  it('answers connection_not_found for a missing item, not a crash', async () => {
    const { handler, api, logs } = setup({ item: undefined });
    expect(await handler(messageEvent('hi'))).to.deep.equal({ statusCode: 200 });
    expect(posted(api)).to.deep.equal([{ type: 'error', reason: 'connection_not_found' }]);
    expect(logs.reasons()).to.deep.equal(['connection_not_found']);
  });

  it('answers connection_invalid for a corrupt item and logs it', async () => {
    const { handler, api, logs } = setup({ item: { connectionId: { S: CONNECTION_ID }, sub: { N: '1' } } });
    expect(await handler(messageEvent('hi'))).to.deep.equal({ statusCode: 200 });
    expect(posted(api)).to.deep.equal([{ type: 'error', reason: 'connection_invalid' }]);
    expect(logs.records()[0]).to.include({ level: 'error', reason: 'item_invalid' });
  });

  describe('expired token', () => {
    function expectExpiryHandled(s: Setup): void {
      expect(posted(s.api)).to.deep.equal([{ type: 'error', reason: 'token_expired' }]);
      expect(commandsOf(s.api, DeleteConnectionCommand).map((c) => c.input)).to.deep.equal([
        { ConnectionId: CONNECTION_ID },
      ]);
      expect(commandsOf(s.dynamo, DeleteItemCommand).map((c) => c.input)).to.deep.equal([
        { TableName: 'conns', Key: { connectionId: { S: CONNECTION_ID } } },
      ]);
      // The error frame goes out before the connection is closed.
      const post = s.api.getCalls().find((call) => call.args[0] instanceof PostToConnectionCommand);
      const close = s.api.getCalls().find((call) => call.args[0] instanceof DeleteConnectionCommand);
      expect(post && close && post.calledBefore(close)).to.equal(true);
    }

    it('by the stored tokenExp: sends token_expired, closes the connection, deletes the item', async () => {
      const s = setup({ nowMs: EXP * 1000 });
      expect(await s.handler(messageEvent('hi'))).to.deep.equal({ statusCode: 200 });
      expectExpiryHandled(s);
      expect(s.logs.reasons()).to.deep.equal(['token_expired']);
      expect(s.logs.records()[0]).to.include({ TokenExpired: 1, tokenExp: EXP });
    });

    it("follows the stored tokenExp, not the authorizer context's exp (which refresh cannot change)", async () => {
      // The context says the connect-time token expired an hour ago; refresh has moved the stored expiry on.
      const refreshed = marshalConnectionItem({ ...stored, tokenExp: EXP + 3600 });
      const s = setup({ nowMs: EXP * 1000 + 1000, item: refreshed });
      expect(await s.handler(messageEvent('hi'))).to.deep.equal({ statusCode: 200 });
      expect(posted(s.api)[0]?.['type']).to.equal('echo');
      // And the other way round: a context exp in the future does not keep an expired stored one alive.
      const t = setup({ nowMs: EXP * 1000, item: marshalConnectionItem(stored) });
      await t.handler(messageEvent('hi', { context: { authorizer: authorizerContext({ exp: String(EXP + 9999) }) } }));
      expectExpiryHandled(t);
    });

    it('by the stored tokenExp when the context has no exp', async () => {
      const s = setup({ nowMs: EXP * 1000 + 1 });
      const event = messageEvent('hi', { context: { authorizer: authorizerContext({ exp: undefined }) } });
      expect(await s.handler(event)).to.deep.equal({ statusCode: 200 });
      expectExpiryHandled(s);
    });

    it('by the stored tokenExp when the context exp is malformed (the context is not read)', async () => {
      const s = setup({ nowMs: EXP * 1000 + 1 });
      const event = messageEvent('hi', { context: { authorizer: authorizerContext({ exp: 'soon' }) } });
      expect(await s.handler(event)).to.deep.equal({ statusCode: 200 });
      expectExpiryHandled(s);
      expect(s.logs.reasons()).to.deep.equal(['token_expired']);
    });

    it('one second before exp still echoes', async () => {
      const s = setup({ nowMs: EXP * 1000 - 1 });
      await s.handler(messageEvent('hi'));
      expect(posted(s.api)[0]?.['type']).to.equal('echo');
      expect(commandsOf(s.api, DeleteConnectionCommand)).to.have.length(0);
    });

    it('skips DeleteConnection when the connection is already gone, and still deletes the item', async () => {
      const api = sinon.stub().rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));
      const s = setup({ nowMs: EXP * 1000, api });
      expect(await s.handler(messageEvent('hi'))).to.deep.equal({ statusCode: 200 });
      expect(commandsOf(s.api, DeleteConnectionCommand)).to.have.length(0);
      expect(commandsOf(s.dynamo, DeleteItemCommand)).to.have.length(1);
    });

    it('still closes the connection and deletes the item when sending the error fails, then answers 500', async () => {
      const api = sinon
        .stub()
        .callsFake((command: unknown) =>
          command instanceof PostToConnectionCommand
            ? Promise.reject(new LimitExceededException({ message: 'slow', $metadata: {} }))
            : Promise.resolve({}),
        );
      const s = setup({ nowMs: EXP * 1000, api });
      expect(await s.handler(messageEvent('hi'))).to.deep.equal({ statusCode: 500 });
      expect(commandsOf(s.api, DeleteConnectionCommand)).to.have.length(1);
      expect(commandsOf(s.dynamo, DeleteItemCommand)).to.have.length(1);
      expect(s.logs.reasons()).to.deep.equal(['post_failed', 'token_expired']);
    });

    it('still deletes the item when closing fails, then answers 500', async () => {
      const api = sinon
        .stub()
        .callsFake((command: unknown) =>
          command instanceof DeleteConnectionCommand
            ? Promise.reject(new LimitExceededException({ message: 'slow', $metadata: {} }))
            : Promise.resolve({}),
        );
      const s = setup({ nowMs: EXP * 1000, api });
      expect(await s.handler(messageEvent('hi'))).to.deep.equal({ statusCode: 500 });
      expect(commandsOf(s.dynamo, DeleteItemCommand)).to.have.length(1);
      expect(s.logs.reasons()).to.include('close_failed');
    });
  });

  it('deletes the stale item when PostToConnection says GoneException', async () => {
    const api = sinon.stub().rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));
    const { handler, dynamo, logs } = setup({ api });
    expect(await handler(messageEvent('hi'))).to.deep.equal({ statusCode: 200 });
    expect(commandsOf(dynamo, DeleteItemCommand).map((c) => c.input)).to.deep.equal([
      { TableName: 'conns', Key: { connectionId: { S: CONNECTION_ID } } },
    ]);
    expect(logs.reasons()).to.deep.equal(['stale_connection_removed']);
  });

  it('deletes the stale item when the connection_not_found error itself finds the connection gone', async () => {
    const api = sinon.stub().rejects(new GoneException({ message: 'gone', $metadata: {} }));
    const { handler, dynamo } = setup({ item: undefined, api });
    expect(await handler(messageEvent('hi'))).to.deep.equal({ statusCode: 200 });
    expect(commandsOf(dynamo, DeleteItemCommand)).to.have.length(1);
  });

  it('answers 500 and logs post_failed for any other PostToConnection failure', async () => {
    const api = sinon.stub().rejects(new LimitExceededException({ message: 'slow', $metadata: {} }));
    const { handler, dynamo, logs } = setup({ api });
    expect(await handler(messageEvent('hi'))).to.deep.equal({ statusCode: 500 });
    expect(commandsOf(dynamo, DeleteItemCommand)).to.have.length(0);
    expect(logs.records()[0]).to.include({ level: 'error', reason: 'post_failed', answer: 'echo' });
  });

  it("tells the client internal_error with API Gateway's request id when GetItem fails, then answers 500", async () => {
    const dynamo = sinon.stub().rejects(new InternalServerError({ message: 'boom', $metadata: {} }));
    const { handler, api, logs } = setup({ dynamo });
    expect(await handler(messageEvent('hi'), { awsRequestId: 'lambda-1' })).to.deep.equal({ statusCode: 500 });
    expect(posted(api)).to.deep.equal([{ type: 'error', reason: 'internal_error', requestId: 'req-1' }]);
    expect(logs.records()[0]).to.include({
      level: 'error',
      reason: 'store_failed',
      operation: 'get',
      requestId: 'lambda-1',
      apiRequestId: 'req-1',
      InternalError: 1,
    });
  });

  it('still answers 500, logging post_failed, when the internal_error frame cannot be sent either', async () => {
    const dynamo = sinon.stub().rejects(new InternalServerError({ message: 'boom', $metadata: {} }));
    const api = sinon.stub().rejects(new LimitExceededException({ message: 'slow', $metadata: {} }));
    const { handler, logs } = setup({ dynamo, api });
    expect(await handler(messageEvent('hi'))).to.deep.equal({ statusCode: 500 });
    expect(logs.reasons()).to.deep.equal(['store_failed', 'post_failed']);
  });

  it('answers 500 and logs store_failed when deleting a stale item fails', async () => {
    const dynamo = sinon
      .stub()
      .callsFake((command: unknown) =>
        command instanceof GetItemCommand
          ? Promise.resolve({ Item: marshalConnectionItem(stored) })
          : Promise.reject(new InternalServerError({ message: 'boom', $metadata: {} })),
      );
    const api = sinon.stub().rejects(new GoneException({ message: 'gone', $metadata: {} }));
    const { handler, logs } = setup({ dynamo, api });
    expect(await handler(messageEvent('hi'))).to.deep.equal({ statusCode: 500 });
    expect(logs.records()[0]).to.include({ reason: 'store_failed', operation: 'delete' });
  });

  it('answers 500 for an event without a connection id or a usable domainName/stage, calling nothing', async () => {
    const { handler, dynamo, api, logs } = setup();
    for (const event of [
      undefined,
      {},
      messageEvent('x', { context: { connectionId: undefined } }),
      messageEvent('x', { context: { stage: '../x' } }),
    ]) {
      expect(await handler(event)).to.deep.equal({ statusCode: 500 });
    }
    sinon.assert.notCalled(dynamo);
    sinon.assert.notCalled(api);
    expect(new Set(logs.reasons())).to.deep.equal(new Set(['bad_event']));
  });

  it('never logs the token, even when a client sends it as a message', async () => {
    const { handler, logs } = setup();
    await handler(messageEvent(SECRET_TOKEN));
    await handler(messageEvent('x'.repeat(140_000) + SECRET_TOKEN));
    for (const line of logs.lines) expect(line).to.not.contain(SECRET_TOKEN);
  });
});
