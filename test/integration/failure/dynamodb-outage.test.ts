// Issue 10: DynamoDB made unreachable, then frozen, behind a loopback proxy that every function of a real local
// stack uses (AWS_ENDPOINT_URL_DYNAMODB). For each: a connected client is told `internal_error` within 5 s, a
// new handshake is refused within 5 s, and everything recovers once DynamoDB is back. Once clients leave, no
// item is left behind unless an `orphan_left` line names it.
import { expect } from 'chai';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { RunningStack } from '../../../local/stack.ts';
import { accessToken, dynamo, startTestStack } from '../helpers/stack-helpers.ts';
import { openClient, type TestClient } from '../helpers/ws-client.ts';
import { startTcpProxy, type ProxyMode, type TcpProxy } from './tcp-proxy.ts';

const PROMISE_MS = 5000;

describe('failure: DynamoDB unreachable or frozen (issue 10)', function () {
  this.timeout(120_000);
  let proxy: TcpProxy;
  let stack: RunningStack;
  let token: string;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    proxy = await startTcpProxy();
    stack = await startTestStack({
      // A string value applies to every function: all of them reach DynamoDB through the proxy.
      functionEnv: { AWS_ENDPOINT_URL_DYNAMODB: proxy.url },
      logLevel: 'warn',
      logSink: (line) => {
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a record
        }
      },
    });
    const target = new URL(stack.config.dynamodbEndpoint);
    proxy.target = { host: target.hostname, port: Number(target.port) };
    token = await accessToken(stack);
  });

  after(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  async function connect(): Promise<TestClient> {
    const opened = await openClient(`${stack.config.websocketUrl}?token=${token}`);
    if (!opened.ok) throw new Error(`handshake refused: ${opened.status} ${opened.body}`);
    return opened.client;
  }

  async function echoes(client: TestClient): Promise<void> {
    client.send(JSON.stringify({ ping: 1 }));
    const frame = await client.nextJson(PROMISE_MS);
    expect(frame['type'], JSON.stringify(frame)).to.equal('echo');
  }

  for (const outage of ['down', 'frozen'] as ProxyMode[]) {
    describe(`DynamoDB ${outage === 'down' ? 'unreachable' : 'frozen'}`, () => {
      let client: TestClient;

      before(async () => {
        client = await connect();
        await echoes(client);
        await proxy.setMode(outage);
      });

      after(async () => {
        await proxy.setMode('up');
        await client.close();
      });

      it(`a message gets {"type":"error","reason":"internal_error","requestId"} within ${PROMISE_MS / 1000} s`, async () => {
        const started = Date.now();
        client.send('hello');
        const frame = await client.nextJson(PROMISE_MS + 1000);
        const elapsed = Date.now() - started;
        expect(frame).to.include({ type: 'error', reason: 'internal_error' });
        expect(frame['requestId']).to.be.a('string').and.not.equal('');
        expect(elapsed).to.be.below(PROMISE_MS);
        // The id the client sees is the one the log line carries as apiRequestId.
        const logged = lines.find(
          (l) => l['fn'] === 'default' && l['reason'] === 'store_failed' && l['apiRequestId'] === frame['requestId'],
        );
        expect(logged, 'store_failed line with the same apiRequestId').to.not.equal(undefined);
      });

      it(`a new handshake is refused within ${PROMISE_MS / 1000} s (500 from $connect, or 401 from the authorizer)`, async () => {
        const started = Date.now();
        const opened = await openClient(`${stack.config.websocketUrl}?token=${token}`, { timeoutMs: 15_000 });
        const elapsed = Date.now() - started;
        if (opened.ok) await opened.client.close();
        expect(opened.ok).to.equal(false);
        expect(!opened.ok && opened.status).to.be.oneOf([500, 401]);
        expect(elapsed).to.be.below(PROMISE_MS);
      });

      it('everything recovers once DynamoDB is back', async () => {
        await proxy.setMode('up');
        await echoes(client);
        const fresh = await connect();
        await echoes(fresh);
        await fresh.close();
      });
    });
  }

  // In a suite of its own so that it runs after the outages above (mocha runs a suite's own tests first).
  describe('after the outages', () => {
    it('once clients have left, no item is left behind, or each one is named by an orphan_left line', async () => {
      await proxy.setMode('up');
      const client = await connect();
      await proxy.setMode('down');
      await client.close();
      // $disconnect retries for a few seconds; bring DynamoDB back while it still can succeed.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await proxy.setMode('up');
      // Items still in the table that no orphan_left line names.
      const unexplained = async (): Promise<string[]> => {
        const scan = await dynamo(stack).send(new ScanCommand({ TableName: stack.config.tableName }));
        const orphans = lines.filter((l) => l['reason'] === 'orphan_left').map((l) => String(l['connectionId']));
        return (scan.Items ?? []).map((item) => item['connectionId']?.S ?? '').filter((id) => !orphans.includes(id));
      };
      const deadline = Date.now() + 15_000;
      let left = await unexplained();
      while (left.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        left = await unexplained();
      }
      expect(left, 'items left behind without an orphan_left line').to.deep.equal([]);
    });
  });
});
