// `revoke` against a handshake in flight (review finding R1), through the real local stack and bundles. An HTTP
// proxy in front of DynamoDB makes the two windows deterministic: it holds $connect's PutItem on the connections
// table (the item lands after revoke's sweep), or hides the items from revoke's first sub-index Query (the
// index's replication lag). Each side of the fix is tested on its own: $connect's re-read of the record, and
// revoke's second sweep.
import http from 'node:http';
import { expect } from 'chai';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { RunningStack } from '../../../local/stack.ts';
import { accessToken, startTestStack } from '../helpers/stack-helpers.ts';
import { openClient } from '../helpers/ws-client.ts';

const REVOCATIONS_TABLE = 'revocations-race';
/** A second user, so the second test does not run into the first one's revocation. */
const LAGGED = { username: 'lagged', password: 'Lagged-passw0rd!' };

interface ProxyControls {
  /** $connect's PutItem is held until a sub-index Query has been answered (revoke's first sweep). */
  holdConnectPut: boolean;
  /** Called when a PutItem is being held. */
  onHeld?: () => void;
  /** The next sub-index Query is answered with no items, as a lagging index would. */
  hideNextSubIndexQuery: boolean;
}

function startDynamoProxy(
  targetOf: () => { host: string; port: number },
  tableOf: () => string,
  controls: ProxyControls,
): Promise<http.Server> {
  let held: (() => void)[] = [];
  const releaseHeld = (): void => {
    const release = held;
    held = [];
    for (const forward of release) forward();
  };
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = req.headers['x-amz-target'];
      const onConnections = body.includes(`"TableName":"${tableOf()}"`);
      const isQuery = target === 'DynamoDB_20120810.Query' && onConnections;
      const forward = (rewrite?: (answer: Buffer) => Buffer): void => {
        const { host, port } = targetOf();
        const out = http.request({ host, port, method: req.method, path: req.url, headers: req.headers }, (r) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => {
            const answer = rewrite && r.statusCode === 200 ? rewrite(Buffer.concat(parts)) : Buffer.concat(parts);
            const headers: http.IncomingHttpHeaders = { ...r.headers, 'content-length': String(answer.length) };
            delete headers['x-amz-crc32'];
            res.writeHead(r.statusCode ?? 500, headers);
            res.end(answer);
            if (isQuery) releaseHeld();
          });
        });
        out.on('error', () => res.destroy());
        out.end(body);
      };
      if (controls.holdConnectPut && target === 'DynamoDB_20120810.PutItem' && onConnections) {
        held.push(() => forward());
        controls.onHeld?.();
      } else if (controls.hideNextSubIndexQuery && isQuery) {
        controls.hideNextSubIndexQuery = false;
        forward(() => Buffer.from(JSON.stringify({ Count: 0, Items: [], ScannedCount: 0 })));
      } else forward();
    });
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

describe('revoke vs a handshake in flight (R1)', function () {
  this.timeout(120_000);
  let stack: RunningStack;
  let proxy: http.Server;
  let target = { host: '', port: 0 };
  const controls: ProxyControls = { holdConnectPut: false, hideNextSubIndexQuery: false };

  before(async () => {
    proxy = await startDynamoProxy(
      () => target,
      () => stack.config.tableName,
      controls,
    );
    const address = proxy.address() as { port: number };
    stack = await startTestStack({
      revocationsTableName: REVOCATIONS_TABLE,
      users: [{ ...LAGGED, email: 'lagged@example.com' }],
      functionEnv: {
        AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${address.port}`,
        // Until local/function-env.ts passes it (as Terraform does with revocation on).
        connect: { REVOCATIONS_TABLE },
      },
    });
    const t = new URL(stack.config.dynamodbEndpoint);
    target = { host: t.hostname, port: Number(t.port) };
  });

  after(async () => {
    await stack?.stop();
    proxy?.closeAllConnections();
    proxy?.close();
  });

  async function revoke(sub: string): Promise<Record<string, unknown>> {
    const lambda = new LambdaClient({
      endpoint: stack.config.lambdaEndpoint,
      region: stack.config.region,
      credentials: stack.config.credentials,
    });
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: stack.config.functionNames.control,
        Payload: Buffer.from(JSON.stringify({ op: 'revoke', sub })),
      }),
    );
    expect(out.FunctionError, 'control function error').to.equal(undefined);
    return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString()) as Record<string, unknown>;
  }

  async function signedIn(
    username: string,
    password = stack.demoUser.password,
  ): Promise<{ token: string; sub: string }> {
    const token = await accessToken(stack, username, password);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
    return { token, sub: payload.sub };
  }

  it('$connect refuses (401) a handshake whose item lands after the first sweep of revoke', async () => {
    const { token, sub } = await signedIn(stack.demoUser.username);
    const warm = await openClient(`${stack.config.websocketUrl}?token=${token}`);
    expect(warm.ok, 'warm-up handshake').to.equal(true);
    if (warm.ok) await warm.client.close();
    controls.holdConnectPut = true;
    try {
      const putHeld = new Promise<void>((resolve) => (controls.onHeld = resolve));
      const opening = openClient(`${stack.config.websocketUrl}?token=${token}`, { timeoutMs: 20_000 });
      // The authorizer has passed (no record yet); $connect's PutItem waits until revoke's first sweep is answered.
      await putHeld;
      const answer = await revoke(sub);
      const opened = await opening;
      if (opened.ok) await opened.client.close();
      expect(opened.ok, 'handshake across the revoke must be refused').to.equal(false);
      expect(opened.ok ? 0 : opened.status).to.equal(401);
      expect(answer).to.include({ failed: 0 });
    } finally {
      controls.holdConnectPut = false;
      delete controls.onHeld;
    }
  });

  it('revoke closes, in its second sweep, a connection the first sub-index Query did not see (index lag)', async () => {
    const { token, sub } = await signedIn(LAGGED.username, LAGGED.password);
    const opened = await openClient(`${stack.config.websocketUrl}?token=${token}`);
    expect(opened.ok, 'handshake before the revoke').to.equal(true);
    if (!opened.ok) return;
    controls.hideNextSubIndexQuery = true;
    const answer = await revoke(sub);
    expect(answer, 'the second sweep closed it').to.include({ closed: 1, failed: 0 });
    const closed = await Promise.race([
      opened.client.closed,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000)),
    ]);
    expect(closed, 'socket closed by revoke').to.not.equal(undefined);
  });
});
