// Issue 8 §3 end to end against the local stack: MAX_CONNECTIONS_PER_USER=2 refuses the third socket of a user
// with 429 and keeps the first two; another user is not affected; and a connection whose $disconnect was lost
// does not lock the user out (GetConnection finds it gone, its item is deleted, the handshake is accepted).
import { expect } from 'chai';
import type { RunningStack } from '../../../local/stack.ts';
import { accessToken, dynamo, getItem, startTestStack } from '../helpers/stack-helpers.ts';
import { openClient, type TestClient } from '../helpers/ws-client.ts';

const ALICE = { username: 'alice', password: 'Alice-passw0rd!', email: 'alice@example.com' };

describe('connections: per-user limit through the local stack (issue 8)', function () {
  this.timeout(60_000);
  let stack: RunningStack;
  let loseDisconnects = false;
  const open: TestClient[] = [];

  before(async () => {
    stack = await startTestStack({
      functionEnv: { connect: { MAX_CONNECTIONS_PER_USER: '2' } },
      users: [ALICE],
      deliverDisconnect: () => !loseDisconnects,
    });
  });
  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await stack?.stop();
  });

  async function tryOpen(token: string): Promise<{ status: number; client?: TestClient; id?: string }> {
    const opened = await openClient(`${stack.config.websocketUrl}?token=${token}`);
    if (!opened.ok) return { status: opened.status };
    open.push(opened.client);
    opened.client.send('whoami');
    const echo = await opened.client.nextJson<{ connection: { connectionId: string } }>();
    return { status: 101, client: opened.client, id: echo.connection.connectionId };
  }

  it('refuses the third socket at a limit of 2 with 429, keeps the two, and lets another user in', async () => {
    const token = await accessToken(stack);
    const first = await tryOpen(token);
    const second = await tryOpen(token);
    expect([first.status, second.status]).to.deep.equal([101, 101]);
    expect((await tryOpen(token)).status).to.equal(429);
    for (const s of [first, second]) {
      s.client?.send('still open');
      expect(await s.client?.nextJson()).to.include({ type: 'echo' });
    }
    expect((await tryOpen(await accessToken(stack, ALICE.username, ALICE.password))).status).to.equal(101);

    // Closing one makes room again.
    await first.client?.close();
    await stack.gateway.idle();
    expect((await tryOpen(token)).status).to.equal(101);
  });

  it('a connection whose $disconnect was lost does not lock the user out', async () => {
    await Promise.all(open.map((c) => c.close()));
    await stack.gateway.idle();
    const token = await accessToken(stack);
    const a = await tryOpen(token);
    const b = await tryOpen(token);
    expect([a.status, b.status]).to.deep.equal([101, 101]);
    loseDisconnects = true;
    await a.client?.close();
    await stack.gateway.idle();
    loseDisconnects = false;
    // Its item is still there: only GetConnection can tell it is gone.
    expect(await getItem(dynamo(stack), stack.config.tableName, a.id ?? '')).to.not.equal(undefined);
    const c = await tryOpen(token);
    expect(c.status).to.equal(101);
    expect(await getItem(dynamo(stack), stack.config.tableName, a.id ?? '')).to.equal(undefined);
  });
});
