// The SDK clients' time limits against real sockets: an endpoint that accepts and never answers (frozen) must
// end the call after two attempts of 1.5 s, and a closed port must fail at once. Without
// `throwOnRequestTimeout` the first case would wait forever (the HTTP handler only warns).
import { expect } from 'chai';
import net from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { createDynamoClient, createManagementClient, SDK_LIMITS } from '../../../functions/shared/aws-clients.ts';

interface Frozen {
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}

/** Accepts connections, reads requests, never answers. */
async function frozenServer(): Promise<Frozen> {
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk) => {
      requests += (chunk.toString('latin1').match(/^(GET|POST|DELETE|PUT) /gm) ?? []).length;
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const ENV_KEYS = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

describe('failure: SDK clients end calls to a frozen or unreachable endpoint', function () {
  this.timeout(30_000);
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {};
  const worstCaseMs = SDK_LIMITS.maxAttempts * SDK_LIMITS.requestTimeoutMs;

  beforeEach(() => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    // Static credentials and a region: the default provider chain must not go looking for an instance role.
    process.env['AWS_REGION'] = 'eu-west-1';
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDTEST';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'secret';
  });
  afterEach(() => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it(`DynamoDB (through AWS_ENDPOINT_URL_DYNAMODB): a frozen endpoint fails after ${SDK_LIMITS.maxAttempts} attempts, within ~${worstCaseMs} ms`, async () => {
    const frozen = await frozenServer();
    try {
      process.env['AWS_ENDPOINT_URL_DYNAMODB'] = frozen.url;
      const client = createDynamoClient();
      const started = Date.now();
      let thrown: unknown;
      await client
        .send(new GetItemCommand({ TableName: 'conns', Key: { connectionId: { S: 'a' } } }))
        .catch((err: unknown) => (thrown = err));
      const elapsed = Date.now() - started;
      client.destroy();
      expect((thrown as Error | undefined)?.name).to.equal('TimeoutError');
      expect(elapsed).to.be.at.least(worstCaseMs - 100);
      // Two attempts plus the SDK's retry back-off (at most a few hundred ms); generous for a loaded machine.
      expect(elapsed).to.be.below(worstCaseMs + 1500);
      expect(frozen.requests()).to.equal(SDK_LIMITS.maxAttempts);
    } finally {
      await frozen.close();
    }
  });

  it('DynamoDB: a closed port fails at once', async () => {
    process.env['AWS_ENDPOINT_URL_DYNAMODB'] = await closedPort();
    const client = createDynamoClient();
    const started = Date.now();
    let thrown: unknown;
    await client
      .send(new GetItemCommand({ TableName: 'conns', Key: { connectionId: { S: 'a' } } }))
      .catch((err: unknown) => (thrown = err));
    client.destroy();
    expect(String((thrown as { code?: string } | undefined)?.code)).to.equal('ECONNREFUSED');
    expect(Date.now() - started).to.be.below(SDK_LIMITS.requestTimeoutMs);
  });

  it('management API: a frozen endpoint ends PostToConnection the same way', async () => {
    const frozen = await frozenServer();
    try {
      const client = createManagementClient(`${frozen.url}/dev`);
      const started = Date.now();
      let thrown: unknown;
      await client
        .send(new PostToConnectionCommand({ ConnectionId: 'abc=', Data: Buffer.from('{}') }))
        .catch((err: unknown) => (thrown = err));
      const elapsed = Date.now() - started;
      client.destroy();
      expect((thrown as Error | undefined)?.name).to.equal('TimeoutError');
      expect(elapsed).to.be.below(worstCaseMs + 1500);
      expect(frozen.requests()).to.equal(SDK_LIMITS.maxAttempts);
    } finally {
      await frozen.close();
    }
  });
});
