// Gateway semantics after the handshake, with fixture Lambdas: route selection, MESSAGE events, binary
// frames, the 128 KB limit, integration errors, the management API through the real SDK client, idle timeout
// and maximum duration, and shutdown.
import { expect } from 'chai';
import net from 'node:net';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { startFixtureGateway, type FixtureGateway, type RecordedEvent } from '../helpers/fixture-gateway.ts';
import { eventually, mustOpen, openClient, type TestClient } from '../helpers/ws-client.ts';
import type { LocalCredentials } from '../../../local/aws-auth/index.ts';

function managementClient(endpoint: string, credentials: LocalCredentials): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
}

describe('gateway messages (fixture Lambdas)', function () {
  this.timeout(20000);
  let fx: FixtureGateway;
  before(async () => {
    fx = await startFixtureGateway({ routes: { shout: { env: { SECRET_OF_OTHER: 'shout-only' } } } });
  });
  after(async () => fx.stop());

  it('routes by $request.body.action to a custom route, everything else to $default', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    client.send(JSON.stringify({ action: 'shout', text: 'hi' }));
    const routed = await client.nextJson();
    expect(routed).to.include({ fixture: 'shout', routeKey: 'shout' });
    for (const body of [
      JSON.stringify({ action: 'unknown' }),
      'not json',
      JSON.stringify(['shout']),
      JSON.stringify({ action: 1 }),
    ]) {
      client.send(body);
      expect(await client.nextJson(), body).to.include({ fixture: 'default', routeKey: '$default', body });
    }
    await client.close();
  });

  it('sends MESSAGE events without headers, with messageId and the authorizer context', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    client.send('hello');
    await client.next();
    const event = fx.eventsOf('default').at(-1) as RecordedEvent;
    expect(event).to.not.have.property('headers');
    expect(event.body).to.equal('hello');
    expect(event.isBase64Encoded).to.equal(false);
    expect(event.requestContext).to.include({ routeKey: '$default', eventType: 'MESSAGE', messageDirection: 'IN' });
    expect(event.requestContext.messageId).to.match(/^[A-Za-z0-9+/]{15}=$/);
    expect(event.requestContext.authorizer).to.include({ principalId: 'user-1', sub: 'user-1' });
    await client.close();
  });

  it('delivers binary frames base64-encoded with isBase64Encoded true', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    client.send(bytes);
    const reply = await client.nextJson();
    expect(reply).to.include({ body: bytes.toString('base64'), isBase64Encoded: true, routeKey: '$default' });
    await client.close();
  });

  /** Sends `text` as one message in fragments of `size` bytes (the last one FIN). */
  const sendFragmented = (client: TestClient, text: string, size: number): void => {
    for (let i = 0; i < text.length; i += size) {
      client.ws.send(text.slice(i, i + size), { fin: i + size >= text.length });
    }
  };

  it('accepts a 100 KB and a 128 KB message in 32 KB fragments, and closes with 1009 above 128 KB', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    sendFragmented(client, 'x'.repeat(100 * 1024), 32 * 1024);
    expect(await client.nextJson()).to.include({ routeKey: '$default', bodyLength: 100 * 1024 });
    sendFragmented(client, 'x'.repeat(128 * 1024), 32 * 1024);
    expect(await client.nextJson()).to.include({ routeKey: '$default', bodyLength: 128 * 1024 });
    sendFragmented(client, 'x'.repeat(128 * 1024 + 1), 32 * 1024);
    const closed = await client.closed;
    expect(closed.code).to.equal(1009);
    await eventually(
      () => fx.eventsOf('disconnect').some((e) => e.requestContext.disconnectStatusCode === 1009),
      '$disconnect 1009',
    );
  });

  it('closes with 1009 on a single frame over 32 KB (API Gateway frame limit), without delivering it', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    client.send('y'.repeat(32 * 1024));
    expect(await client.nextJson()).to.include({ bodyLength: 32 * 1024 });
    client.send('z'.repeat(32 * 1024 + 1));
    const closed = await client.closed;
    expect(closed).to.deep.equal({ code: 1009, reason: 'Message too big' });
    await eventually(
      () => fx.eventsOf('disconnect').some((e) => e.requestContext.disconnectStatusCode === 1009),
      '$disconnect 1009',
    );
    const delivered = fx.eventsOf('default').map((e) => String((e as { body?: string }).body ?? '').length);
    expect(delivered).to.not.include(32 * 1024 + 1);
  });

  it('answers an integration error with API Gateway\'s "Internal server error" message', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    client.send('throw');
    const reply = await client.nextJson();
    expect(reply).to.include({ message: 'Internal server error' });
    expect(reply).to.have.property('connectionId');
    await client.close();
  });

  it('keeps module state in a worker and isolates the environment of each function', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    client.send('one');
    const first = await client.nextJson<{ invocations: number; threadId: number; secret: string | null }>();
    client.send('two');
    const second = await client.nextJson<{ invocations: number; threadId: number }>();
    if (second.threadId === first.threadId) expect(second.invocations).to.equal(first.invocations + 1);
    expect(first.secret, "the default function must not see the shout route's variable").to.equal(null);
    client.send(JSON.stringify({ action: 'shout' }));
    expect(await client.nextJson()).to.include({ secret: 'shout-only' });
    await client.close();
  });

  it('runs concurrent invocations on separate workers', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    const started = Date.now();
    client.send('sleep:700');
    client.send('sleep:700');
    const a = await client.nextJson<{ threadId: number }>();
    const b = await client.nextJson<{ threadId: number }>();
    expect(a.threadId).to.not.equal(b.threadId);
    expect(Date.now() - started).to.be.below(1300);
    await client.close();
  });

  it('replaces a worker that crashes, answering its invocation as an error', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    client.send('exit');
    expect(await client.nextJson()).to.include({ message: 'Internal server error' });
    client.send('after');
    expect(await client.nextJson()).to.include({ body: 'after' });
    await client.close();
  });

  describe('management API through @aws-sdk/client-apigatewaymanagementapi', () => {
    it('posts to, gets and deletes a connection, and DeleteConnection fires $disconnect', async () => {
      const client = await mustOpen(fx.gateway.websocketUrl, { headers: { 'User-Agent': 'agent/1' } });
      const id = fx.gateway.connectionIds().at(-1) as string;
      const sdk = managementClient(fx.gateway.managementEndpoint, fx.gateway.credentials);
      await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('pushed') }));
      expect((await client.next()).data).to.equal('pushed');
      const got = await sdk.send(new GetConnectionCommand({ ConnectionId: id }));
      expect(got.Identity).to.deep.equal({ SourceIp: '127.0.0.1', UserAgent: 'agent/1' });
      expect(got.ConnectedAt).to.be.instanceOf(Date);
      expect(got.LastActiveAt).to.be.instanceOf(Date);
      await sdk.send(new DeleteConnectionCommand({ ConnectionId: id }));
      const closed = await client.closed;
      expect(closed.code).to.equal(1000);
      await eventually(
        () => fx.eventsOf('disconnect').some((e) => e.requestContext.connectionId === id),
        '$disconnect after DeleteConnection',
      );
    });

    it('raises GoneException for unknown and closed ids, PayloadTooLargeException above 131,072 bytes', async () => {
      const sdk = managementClient(fx.gateway.managementEndpoint, fx.gateway.credentials);
      const gone = await sdk
        .send(new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: Buffer.from('x') }))
        .catch((e: Error) => e);
      expect(gone).to.have.property('name', 'GoneException');
      const getGone = await sdk.send(new GetConnectionCommand({ ConnectionId: 'nope' })).catch((e: Error) => e);
      expect(getGone).to.have.property('name', 'GoneException');
      const client = await mustOpen(fx.gateway.websocketUrl);
      const id = fx.gateway.connectionIds().at(-1) as string;
      await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.alloc(131_072, 97) }));
      expect((await client.next()).data).to.have.length(131_072);
      const large = await sdk
        .send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.alloc(131_073, 97) }))
        .catch((e: Error) => e);
      expect(large).to.have.property('name', 'PayloadTooLargeException');
      await client.close();
      await eventually(() => !fx.gateway.connectionIds().includes(id), 'connection removed');
      const closedGone = await sdk.send(new DeleteConnectionCommand({ ConnectionId: id })).catch((e: Error) => e);
      expect(closedGone).to.have.property('name', 'GoneException');
    });

    it('answers GetConnection with 410 as soon as DeleteConnection has closed the connection, like PostToConnection', async () => {
      const client = await mustOpen(fx.gateway.websocketUrl);
      const id = fx.gateway.connectionIds().at(-1) as string;
      const sdk = managementClient(fx.gateway.managementEndpoint, fx.gateway.credentials);
      await sdk.send(new DeleteConnectionCommand({ ConnectionId: id }));
      const get = await sdk.send(new GetConnectionCommand({ ConnectionId: id })).catch((e: Error) => e);
      expect(get).to.have.property('name', 'GoneException');
      const post = await sdk
        .send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('x') }))
        .catch((e: Error) => e);
      expect(post).to.have.property('name', 'GoneException');
      await client.closed;
    });

    it('serves /@connections/{id} without the stage prefix too, and refuses other stages', async () => {
      const base = fx.gateway.url;
      const gone = await managementClient(base, fx.gateway.credentials)
        .send(new GetConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' }))
        .catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
      expect(gone).to.have.property('name', 'GoneException');
      const other = await managementClient(`${base}/prod`, fx.gateway.credentials)
        .send(new GetConnectionCommand({ ConnectionId: 'abc' }))
        .catch((e: unknown) => e as { $metadata: { httpStatusCode: number } });
      expect(other).to.have.nested.property('$metadata.httpStatusCode', 403);
    });
  });

  describe('management API authentication (SigV4, no browsers)', () => {
    let client: TestClient;
    let connectionId: string;
    beforeEach(async () => {
      client = await mustOpen(fx.gateway.websocketUrl);
      connectionId = fx.gateway.connectionIds().at(-1) as string;
    });
    afterEach(async () => {
      await client.close();
    });
    /** Nothing arrived on the socket within a short wait. */
    const nothingReceived = async () => {
      const got = await client.next(300).then(
        (m) => m.data,
        () => undefined,
      );
      expect(got, 'a refused request reached the socket').to.equal(undefined);
    };
    const url = () => `${fx.gateway.managementEndpoint}/@connections/${encodeURIComponent(connectionId)}`;

    it('refuses unsigned POST, GET and DELETE (curl-style) with 403 MissingAuthenticationTokenException', async () => {
      for (const method of ['POST', 'GET', 'DELETE']) {
        const res = await fetch(url(), { method, ...(method === 'POST' ? { body: 'spoofed' } : {}) });
        expect(res.status, method).to.equal(403);
        expect(res.headers.get('x-amzn-errortype'), method).to.equal('MissingAuthenticationTokenException');
        expect(await res.json()).to.deep.equal({ message: 'Missing Authentication Token' });
      }
      await nothingReceived();
      expect(fx.gateway.connectionIds()).to.include(connectionId);
    });

    it('refuses a wrong secret (InvalidSignatureException) and an unknown key (UnrecognizedClientException)', async () => {
      const wrong = managementClient(fx.gateway.managementEndpoint, {
        ...fx.gateway.credentials,
        secretAccessKey: 'guessed',
      });
      const e1 = await wrong
        .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('x') }))
        .catch((e: unknown) => e as { name: string });
      expect(e1).to.have.property('name', 'InvalidSignatureException');
      const unknown = managementClient(fx.gateway.managementEndpoint, {
        accessKeyId: 'local',
        secretAccessKey: 'local',
      });
      const e2 = await unknown
        .send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
        .catch((e: unknown) => e as { name: string });
      expect(e2).to.have.property('name', 'UnrecognizedClientException');
      expect(fx.gateway.connectionIds()).to.include(connectionId);
    });

    it('refuses a browser request (Origin) with 403 and no CORS headers, even a no-cors simple POST', async () => {
      for (const method of ['POST', 'OPTIONS']) {
        const res = await fetch(url(), {
          method,
          headers: { Origin: 'http://127.0.0.1:3999', 'Content-Type': 'text/plain' },
          ...(method === 'POST' ? { body: '{"spoofed":true}' } : {}),
        });
        expect(res.status, method).to.equal(403);
        expect(
          [...res.headers.keys()].filter((h) => h.startsWith('access-control-')),
          method,
        ).to.deep.equal([]);
      }
      await nothingReceived();
    });

    it('still accepts WebSocket upgrades that carry Origin (browsers always send it)', async () => {
      const other = await mustOpen(fx.gateway.websocketUrl, { headers: { Origin: 'http://localhost:3000' } });
      await other.close();
    });
  });
});

describe('gateway timeouts and shutdown (fixture Lambdas)', function () {
  this.timeout(20000);

  it('closes an idle connection with 1001 after the idle timeout, activity postponing it', async () => {
    const fx = await startFixtureGateway({ gateway: { idleTimeoutMs: 600 } });
    try {
      const client = await mustOpen(fx.gateway.websocketUrl);
      const opened = Date.now();
      await new Promise((r) => setTimeout(r, 400));
      client.send('keepalive');
      // The echo itself is not awaited: a cold worker may take longer than the idle timeout to answer.
      const closed = await client.closed;
      expect(closed).to.deep.equal({ code: 1001, reason: 'Going away' });
      expect(Date.now() - opened).to.be.at.least(950);
      await eventually(() => fx.eventsOf('disconnect').length === 1, '$disconnect');
      expect(fx.eventsOf('disconnect')[0]?.requestContext).to.include({
        disconnectStatusCode: 1001,
        disconnectReason: 'Going away',
      });
    } finally {
      await fx.stop();
    }
  });

  it('closes a busy connection with 1001 at the maximum duration', async () => {
    const fx = await startFixtureGateway({ gateway: { maxConnectionDurationMs: 700 } });
    try {
      const client = await mustOpen(fx.gateway.websocketUrl);
      const timer = setInterval(() => client.ws.readyState === 1 && client.send('busy'), 100);
      const closed = await client.closed;
      clearInterval(timer);
      expect(closed.code).to.equal(1001);
    } finally {
      await fx.stop();
    }
  });

  it('closes every connection with 1001 on shutdown and runs each $disconnect before stopping', async () => {
    const fx = await startFixtureGateway();
    const clients = await Promise.all([1, 2, 3].map(() => mustOpen(fx.gateway.websocketUrl)));
    await fx.gateway.close();
    const codes = await Promise.all(clients.map((c) => c.closed));
    expect(codes.map((c) => c.code)).to.deep.equal([1001, 1001, 1001]);
    expect(fx.eventsOf('disconnect')).to.have.length(3);
    await fx.stop();
  });

  it('answers a handshake in progress at shutdown with 503 and runs the $disconnect its $connect calls for', async () => {
    const fx = await startFixtureGateway();
    const pending = openClient(`${fx.gateway.websocketUrl}?mode=slow`);
    await eventually(() => fx.eventsOf('authorizer').length === 1, 'authorizer invoked');
    await fx.gateway.close();
    const result = await pending;
    expect(result.ok ? 101 : result.status).to.equal(503);
    expect(fx.eventsOf('connect')).to.have.length(1);
    expect(fx.eventsOf('disconnect').map((e) => e.requestContext.disconnectStatusCode)).to.deep.equal([1001]);
    await fx.stop();
  });

  it('shuts down even when a client whose handshake was refused keeps its half of the socket open', async () => {
    const fx = await startFixtureGateway();
    const socket = net.connect({ port: fx.gateway.port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => {});
    try {
      const answered = new Promise<string>((resolve) =>
        socket.once('data', (d: Buffer) => resolve(d.toString('latin1'))),
      );
      socket.write(
        'GET /prod HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      expect(await answered).to.match(/^HTTP\/1\.1 403 /);
      const stopped = await Promise.race([
        fx.gateway.close().then(() => 'stopped'),
        new Promise<string>((r) => setTimeout(() => r('hung'), 2000)),
      ]);
      expect(stopped).to.equal('stopped');
    } finally {
      socket.destroy();
      await fx.stop();
    }
  });

  it('answers an invocation that exceeds the function timeout as an error and replaces the worker', async () => {
    // Long enough for a cold worker to load the SDK that its PostToConnection uses, even on a busy machine.
    const fx = await startFixtureGateway({ pool: { timeoutMs: 2000 } });
    try {
      const client = await mustOpen(fx.gateway.websocketUrl);
      client.send('sleep:6000');
      expect(await client.nextJson()).to.include({ message: 'Internal server error' });
      client.send('quick');
      expect(await client.nextJson()).to.include({ body: 'quick' });
      await client.close();
    } finally {
      await fx.stop();
    }
  });
});
