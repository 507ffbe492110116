// The whole system with the real bundles (dist/*/index.js), driven only through its protocols: the hosted UI
// (code + PKCE), WebSocket, the DynamoDB API and the management API through the AWS SDK.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { RunningStack } from '../../../local/stack.ts';
import { localDynamoClient, startDynamo } from '../../../local/dynamodb.ts';
import { accessToken, dynamo, getItem, itemCount, startTestStack } from '../helpers/stack-helpers.ts';
import { eventually, mustOpen, openClient, type TestClient } from '../helpers/ws-client.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lambdas');

interface EchoFrame {
  type: string;
  message?: unknown;
  reason?: string;
  connection?: Record<string, unknown>;
}

async function connectionIdOf(client: TestClient): Promise<string> {
  client.send('whoami');
  const echo = await client.nextJson<EchoFrame>();
  return (echo.connection as { connectionId: string }).connectionId;
}

describe('local stack with the real bundles', function () {
  this.timeout(30000);
  let stack: RunningStack;
  let db: DynamoDBClient;
  let token: string;
  let loseDisconnect = false;

  before(async () => {
    stack = await startTestStack({
      routes: { shout: { bundlePath: path.join(fixtures, 'echo.cjs'), env: { FIXTURE_NAME: 'shout' } } },
      deliverDisconnect: () => !loseDisconnect,
    });
    db = dynamo(stack);
    token = await accessToken(stack);
  });
  after(async () => {
    db?.destroy();
    await stack?.stop();
  });

  it('signs in through the hosted UI with code + PKCE and gets an access token for the client', () => {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).to.include({
      token_use: 'access',
      client_id: stack.config.clientId,
      iss: stack.config.issuer,
      username: 'demo',
    });
  });

  it('connects with the token in the query string and echoes a JSON message with the stored connection', async () => {
    const client = await mustOpen(`${stack.config.websocketUrl}?token=${token}&room=lobby`);
    client.send(JSON.stringify({ hello: 'world' }));
    const echo = await client.nextJson<EchoFrame>();
    expect(echo.type).to.equal('echo');
    expect(echo.message).to.deep.equal({ hello: 'world' });
    expect(echo.connection).to.include({ username: 'demo' });
    expect(echo.connection?.queryParameters, 'the token parameter is never stored').to.deep.equal({ room: 'lobby' });
    expect(JSON.stringify(echo)).to.not.include(token);
    await client.close();
  });

  for (const name of ['Authorization', 'authorization', 'AUTHORIZATION']) {
    it(`connects with the token in the ${name} header`, async () => {
      const client = await mustOpen(stack.config.websocketUrl, { headers: { [name]: `Bearer ${token}` } });
      client.send('hi');
      expect(await client.nextJson<EchoFrame>()).to.include({ type: 'echo', message: 'hi' });
      await client.close();
    });
  }

  it('connects with the token as a subprotocol and gets "bearer" back', async () => {
    const client = await mustOpen(stack.config.websocketUrl, { protocols: ['bearer', token] });
    expect(client.protocol).to.equal('bearer');
    await client.close();
  });

  it('answers 401 without a token and with a bad or tampered token', async () => {
    const none = await openClient(stack.config.websocketUrl);
    const bad = await openClient(`${stack.config.websocketUrl}?token=not.a.jwt`);
    const [h, p, s] = token.split('.') as [string, string, string];
    const tampered = await openClient(stack.config.websocketUrl, {
      headers: { Authorization: `Bearer ${h}.${p}.${s.slice(0, -4)}AAAA` },
    });
    expect([none, bad, tampered].map((r) => (r.ok ? 101 : r.status))).to.deep.equal([401, 401, 401]);
  });

  it('routes {"action":"shout"} to the custom route and everything else to the real $default', async () => {
    const client = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    client.send(JSON.stringify({ action: 'shout' }));
    expect(await client.nextJson()).to.include({ fixture: 'shout', routeKey: 'shout' });
    client.send(JSON.stringify({ action: 'nothing' }));
    expect(await client.nextJson<EchoFrame>()).to.include({ type: 'echo' });
    await client.close();
  });

  it('stores the item at $connect and removes it at $disconnect', async () => {
    const client = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    const id = await connectionIdOf(client);
    const item = await getItem(db, stack.config.tableName, id);
    expect(item).to.have.nested.property('sub.S');
    expect(item).to.have.nested.property('ttl.N');
    await client.close();
    await eventually(
      async () => (await getItem(db, stack.config.tableName, id)) === undefined,
      'item deleted by $disconnect',
    );
  });

  it('DeleteConnection through the SDK closes the socket and the item goes', async () => {
    const client = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    const id = await connectionIdOf(client);
    const sdk = new ApiGatewayManagementApiClient({
      endpoint: stack.config.managementEndpoint,
      region: stack.config.region,
      credentials: stack.config.credentials,
    });
    await sdk.send(new DeleteConnectionCommand({ ConnectionId: id }));
    sdk.destroy();
    expect((await client.closed).code).to.equal(1000);
    await eventually(async () => (await getItem(db, stack.config.tableName, id)) === undefined, 'item deleted');
  });

  it('closes with 1009 on a frame over 32 KB', async () => {
    const client = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    client.send('x'.repeat(32 * 1024 + 1));
    expect((await client.closed).code).to.equal(1009);
  });

  it('removes a stale item when PostToConnection meets GoneException (its $disconnect was lost)', async () => {
    const client = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    const id = await connectionIdOf(client);
    // The socket dies right after a message; its $disconnect is lost, as AWS allows (best effort).
    loseDisconnect = true;
    client.send('last words');
    client.ws.terminate();
    await client.closed;
    await eventually(() => !stack.gateway.connectionIds().includes(id), 'gateway forgot the connection');
    await stack.gateway.idle();
    loseDisconnect = false;
    expect(await getItem(db, stack.config.tableName, id), '$default removed the item after 410 Gone').to.equal(
      undefined,
    );
  });

  it('leaves the table empty once every client has left', async () => {
    await stack.gateway.idle();
    const clients = await Promise.all(
      [1, 2, 3, 4, 5].map(() => mustOpen(`${stack.config.websocketUrl}?token=${token}`)),
    );
    expect(await itemCount(db, stack.config.tableName)).to.equal(5);
    await Promise.all(clients.map((c) => c.close()));
    await stack.gateway.idle();
    expect(await itemCount(db, stack.config.tableName)).to.equal(0);
  });
});

describe('local stack policies and lifetimes (real bundles)', function () {
  this.timeout(30000);

  it('answers 403 for a user outside ALLOWED_GROUPS and accepts a member', async () => {
    const stack = await startTestStack({
      functionEnv: { authorizer: { ALLOWED_GROUPS: 'admins' } },
      users: [{ username: 'alice', password: 'Alice-passw0rd!', email: 'alice@example.com', groups: ['admins'] }],
    });
    try {
      const demo = await openClient(`${stack.config.websocketUrl}?token=${await accessToken(stack)}`);
      expect(demo.ok ? 101 : demo.status).to.equal(403);
      const alice = await mustOpen(
        `${stack.config.websocketUrl}?token=${await accessToken(stack, 'alice', 'Alice-passw0rd!')}`,
      );
      await alice.close();
    } finally {
      await stack.stop();
    }
  });

  it('answers 403 when a required scope is missing', async () => {
    const stack = await startTestStack({ functionEnv: { authorizer: { REQUIRED_SCOPES: 'chat/write' } } });
    try {
      const result = await openClient(`${stack.config.websocketUrl}?token=${await accessToken(stack)}`);
      expect(result.ok ? 101 : result.status).to.equal(403);
    } finally {
      await stack.stop();
    }
  });

  it('enforces token expiry on a message: error frame, socket closed, item removed', async function () {
    this.timeout(30000);
    // Long enough for the first echo on a busy machine, short enough to wait for.
    const stack = await startTestStack({ accessTokenTtlSeconds: 6 });
    const db = dynamo(stack);
    try {
      const token = await accessToken(stack);
      const exp = (JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { exp: number })
        .exp;
      const client = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
      const id = await connectionIdOf(client);
      await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 1200));
      client.send('too late');
      expect(await client.nextJson<EchoFrame>()).to.include({ type: 'error', reason: 'token_expired' });
      await client.closed;
      await stack.gateway.idle();
      expect(await getItem(db, stack.config.tableName, id)).to.equal(undefined);
    } finally {
      db.destroy();
      await stack.stop();
    }
  });

  it('runs every $disconnect on shutdown: the persisted table is empty afterwards', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'stack-ddb-'));
    try {
      const stack = await startTestStack({ dynamodbPath: dir });
      const token = await accessToken(stack);
      const clients = await Promise.all([1, 2, 3].map(() => mustOpen(`${stack.config.websocketUrl}?token=${token}`)));
      const db = dynamo(stack);
      expect(await itemCount(db, stack.config.tableName)).to.equal(3);
      db.destroy();
      await stack.stop();
      expect((await Promise.all(clients.map((c) => c.closed))).map((c) => c.code)).to.deep.equal([1001, 1001, 1001]);
      // Reopen the persisted data with a fresh DynamoDB server: nothing left behind.
      const reopened = await startDynamo({ port: 0, path: dir });
      const client = localDynamoClient(reopened.endpoint, 'us-east-1');
      try {
        expect(await itemCount(client, 'connections-local')).to.equal(0);
      } finally {
        client.destroy();
        await reopened.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sweeps items whose ttl has passed (dynalite has no TTL of its own)', async () => {
    const stack = await startTestStack({ ttlSweepIntervalMs: 100 });
    const db = dynamo(stack);
    try {
      const put = (id: string, ttl: number) =>
        db.send(
          new PutItemCommand({
            TableName: stack.config.tableName,
            Item: { connectionId: { S: id }, sub: { S: 's' }, connectedAt: { N: '1' }, ttl: { N: String(ttl) } },
          }),
        );
      await put('expired', Math.floor(Date.now() / 1000) - 10);
      await put('alive', Math.floor(Date.now() / 1000) + 3600);
      await eventually(
        async () => (await getItem(db, stack.config.tableName, 'expired')) === undefined,
        'expired item swept',
      );
      expect(await getItem(db, stack.config.tableName, 'alive')).to.not.equal(undefined);
    } finally {
      db.destroy();
      await stack.stop();
    }
  });
});
