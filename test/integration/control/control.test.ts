// Issue 9 end to end: the control function invoked through the real @aws-sdk/client-lambda InvokeCommand against
// the local stack's Lambda Invoke API, signed with the stack's per-run credentials, acting on real sockets.
import { expect } from 'chai';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { RunningStack } from '../../../local/stack.ts';
import { marshalConnectionItem } from '../../../functions/shared/connection-item.ts';
import { accessToken, getItem, startTestStack } from '../helpers/stack-helpers.ts';
import { openClient, type TestClient } from '../helpers/ws-client.ts';

const ALICE = { username: 'alice', password: 'Alice-passw0rd!', email: 'alice@example.com' };

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function subOf(token: string): string {
  return String(claimsOf(token)['sub']);
}

describe('control: the control function through Lambda Invoke (issue 9)', function () {
  this.timeout(90_000);
  let stack: RunningStack;
  let lambda: LambdaClient;
  let table: DynamoDBClient;
  let demoToken: string;
  let demoSub: string;
  let aliceToken: string;

  async function invoke(payload: unknown): Promise<{ answer: Record<string, unknown>; functionError?: string }> {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: stack.config.functionNames.control,
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
    return {
      answer: JSON.parse(text) as Record<string, unknown>,
      ...(out.FunctionError === undefined ? {} : { functionError: out.FunctionError }),
    };
  }

  /** Opens a socket and learns its connection id from an echo. */
  async function socket(token: string): Promise<{ client: TestClient; id: string }> {
    const opened = await openClient(`${stack.config.websocketUrl}?token=${token}`);
    if (!opened.ok) throw new Error(`handshake refused: ${opened.status}`);
    opened.client.send('whoami');
    const echo = await opened.client.nextJson<{ connection: { connectionId: string } }>();
    return { client: opened.client, id: echo.connection.connectionId };
  }

  async function noMessage(client: TestClient, ms = 1000): Promise<void> {
    const outcome = await client.next(ms).then(
      (m) => m.data,
      () => undefined,
    );
    expect(outcome, 'no frame expected').to.equal(undefined);
  }

  before(async () => {
    stack = await startTestStack({ users: [ALICE] });
    const { region, credentials } = stack.config;
    lambda = new LambdaClient({ endpoint: stack.config.lambdaEndpoint, region, credentials });
    table = new DynamoDBClient({ endpoint: stack.config.dynamodbEndpoint, region, credentials });
    demoToken = await accessToken(stack);
    demoSub = subOf(demoToken);
    aliceToken = await accessToken(stack, ALICE.username, ALICE.password);
  });

  after(async () => {
    lambda?.destroy();
    table?.destroy();
    await stack?.stop();
  });

  it('send: both sockets of demo receive the push, a socket of another user does not; list shows exactly them; disconnect closes both', async () => {
    const a = await socket(demoToken);
    const b = await socket(demoToken);
    const alice = await socket(aliceToken);
    try {
      const sent = await invoke({ op: 'send', sub: demoSub, message: { hello: 1 } });
      expect(sent).to.deep.equal({ answer: { delivered: 2, gone: 0, expired: 0, failed: 0 } });
      for (const s of [a, b]) {
        const frame = await s.client.nextJson();
        expect(frame).to.include({ type: 'push' });
        expect(frame['message']).to.deep.equal({ hello: 1 });
        expect(Number.isNaN(Date.parse(String(frame['sentAt'])))).to.equal(false);
      }
      await noMessage(alice.client);

      const listed = await invoke({ op: 'list', sub: demoSub });
      const connections = listed.answer['connections'] as {
        connectionId: string;
        connectedAt: number;
        tokenExp: number;
      }[];
      expect(connections.map((c) => c.connectionId).sort()).to.deep.equal([a.id, b.id].sort());
      for (const c of connections) {
        expect(c.connectedAt).to.be.a('number');
        expect(c.tokenExp).to.equal(claimsOf(demoToken)['exp']);
      }

      const one = await invoke({ op: 'send', connectionId: a.id, message: 'just you' });
      expect(one.answer).to.include({ delivered: 1 });
      expect(await a.client.nextJson()).to.include({ type: 'push', message: 'just you' });
      await noMessage(b.client, 500);

      const closed = await invoke({ op: 'disconnect', sub: demoSub });
      expect(closed.answer).to.deep.equal({ closed: 2, gone: 0, failed: 0 });
      await Promise.all([a.client.closed, b.client.closed]);
      expect(await getItem(table, stack.config.tableName, a.id)).to.equal(undefined);
      expect((await invoke({ op: 'list', sub: demoSub })).answer).to.deep.equal({ connections: [] });
      // Alice is untouched.
      alice.client.send('still here');
      expect(await alice.client.nextJson()).to.include({ type: 'echo' });
    } finally {
      await Promise.all([a.client.close(), b.client.close(), alice.client.close()]);
    }
  });

  it('a stale item (its connection gone, its $disconnect lost) is cleaned up by send and counted as gone', async () => {
    const live = await socket(demoToken);
    try {
      const now = Date.now();
      const stale = marshalConnectionItem({
        connectionId: 'StaleConnId0=',
        sub: demoSub,
        username: 'demo',
        connectedAt: now - 60_000,
        tokenExp: Math.floor(now / 1000) + 600,
        ttl: Math.floor(now / 1000) + 7200,
        queryParameters: {},
        headers: {},
        claims: {},
      });
      await table.send(new PutItemCommand({ TableName: stack.config.tableName, Item: stale }));
      const sent = await invoke({ op: 'send', sub: demoSub, message: 'x' });
      expect(sent.answer).to.deep.equal({ delivered: 1, gone: 1, expired: 0, failed: 0 });
      expect(await getItem(table, stack.config.tableName, 'StaleConnId0=')).to.equal(undefined);
      expect(await live.client.nextJson()).to.include({ type: 'push' });
    } finally {
      await live.client.close();
    }
  });

  it('revoke records the revocation, closes every socket of the user, and the old token is then refused', async () => {
    // Earlier tests' sockets are closed; let their $disconnect finish so alice has exactly one item.
    await stack.gateway.idle();
    const s = await socket(aliceToken);
    const demo = await socket(demoToken);
    try {
      const before = Math.floor(Date.now() / 1000);
      const { answer } = await invoke({ op: 'revoke', sub: subOf(aliceToken) });
      expect(answer).to.include({ closed: 1, gone: 0, failed: 0 });
      expect(answer['revokedAt']).to.be.within(before, before + 5);
      await s.client.closed;
      const again = await openClient(`${stack.config.websocketUrl}?token=${aliceToken}`);
      if (again.ok) await again.client.close();
      expect(again.ok ? 101 : again.status).to.equal(401);
      // Another user is untouched.
      demo.client.send('still here');
      expect(await demo.client.nextJson()).to.include({ type: 'echo' });
    } finally {
      await Promise.all([s.client.close(), demo.client.close()]);
    }
  });

  const bad: [string, unknown][] = [
    ['no op', { sub: 'x' }],
    ['an unknown op', { op: 'explode', sub: 'x' }],
    ['both sub and connectionId', { op: 'send', sub: 'x', connectionId: 'y', message: 1 }],
    ['neither sub nor connectionId', { op: 'disconnect' }],
    ['a sub of the wrong type', { op: 'list', sub: 5 }],
    ['a JSON array', [1, 2]],
  ];
  for (const [what, payload] of bad) {
    it(`answers invalid_request (no function error) for ${what}`, async () => {
      const { answer, functionError } = await invoke(payload);
      expect(functionError).to.equal(undefined);
      expect(answer['error']).to.equal('invalid_request');
      expect(answer['message']).to.be.a('string').and.not.equal('');
    });
  }

  it('answers message_too_large for a push frame over 131,072 bytes', async () => {
    const { answer } = await invoke({ op: 'send', sub: demoSub, message: 'x'.repeat(131_072) });
    expect(answer).to.deep.equal({ error: 'message_too_large' });
  });
});
