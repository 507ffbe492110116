// Gateway semantics of the handshake, with fixture Lambdas: authorizer outcomes mapped to 401/403/500 as API
// Gateway maps them, identity sources, event shapes, $connect answers and subprotocols.
import { expect } from 'chai';
import net from 'node:net';
import { startFixtureGateway, type FixtureGateway, type RecordedEvent } from '../helpers/fixture-gateway.ts';
import { eventually, mustOpen, openClient } from '../helpers/ws-client.ts';

/** Sends a raw handshake; resolves with the status line once the gateway closes the socket (or after 3 s). */
function rawHandshake(port: number, request: string, halfCloseAfterMs?: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.write(request);
    if (halfCloseAfterMs !== undefined) setTimeout(() => socket.end(), halfCloseAfterMs);
    setTimeout(() => socket.destroy(), 3000);
  });
}

function upgradeRequest(
  options: { method?: string; path?: string; key?: string; upgrade?: string; extra?: string } = {},
): string {
  return (
    `${options.method ?? 'GET'} ${options.path ?? '/dev'} HTTP/1.1\r\nHost: localhost\r\nUpgrade: ${options.upgrade ?? 'websocket'}\r\n` +
    `Connection: Upgrade\r\nSec-WebSocket-Key: ${options.key ?? 'dGhlIHNhbXBsZSBub25jZQ=='}\r\nSec-WebSocket-Version: 13\r\n${options.extra ?? ''}\r\n`
  );
}

describe('gateway handshake (fixture Lambdas)', function () {
  this.timeout(20000);
  let fx: FixtureGateway;
  before(async () => {
    fx = await startFixtureGateway({ gateway: { stage: 'dev', region: 'eu-west-1', apiId: 'abc123defg' } });
  });
  after(async () => fx.stop());

  const status = async (query: string, headers: Record<string, string> = {}): Promise<number> => {
    const result = await openClient(`${fx.gateway.websocketUrl}${query}`, { headers });
    if (result.ok) {
      await result.client.close();
      return 101;
    }
    return result.status;
  };

  it('maps an authorizer throwing exactly "Unauthorized" to 401', async () => {
    expect(await status('?mode=unauthorized')).to.equal(401);
  });
  it('maps any other authorizer error (even "unauthorized" in lower case) to 500', async () => {
    expect(await status('?mode=error')).to.equal(500);
    expect(await status('?mode=unauthorized-lower')).to.equal(500);
  });
  it('maps an explicit Deny to 403', async () => {
    expect(await status('?mode=deny')).to.equal(403);
  });
  it('maps an Allow for another resource to 403', async () => {
    expect(await status('?mode=other-resource')).to.equal(403);
  });
  it('accepts an Allow whose resource wildcard covers the method ARN', async () => {
    expect(await status('?mode=wildcard')).to.equal(101);
  });
  it('answers 500 for a non-flat context, a result over 8 KB, a policy-less or non-object result', async () => {
    expect(await status('?mode=nested')).to.equal(500);
    expect(await status('?mode=big')).to.equal(500);
    expect(await status('?mode=malformed')).to.equal(500);
    expect(await status('?mode=string')).to.equal(500);
  });
  it('answers 403 for another stage and 414 for a handshake URL over 4,096 characters', async () => {
    const other = await openClient(fx.gateway.websocketUrl.replace(/\/dev$/, '/prod'));
    expect(other.ok ? 101 : other.status).to.equal(403);
    expect(await status(`?pad=${'a'.repeat(4100)}`)).to.equal(414);
  });

  it('refuses a malformed upgrade (bad key, method, Upgrade, subprotocol list) before invoking the authorizer or $connect', async () => {
    const authorizerBefore = fx.eventsOf('authorizer').length;
    const connectBefore = fx.eventsOf('connect').length;
    const port = fx.gateway.port;
    expect(await rawHandshake(port, upgradeRequest({ key: 'abc' }))).to.match(/^HTTP\/1\.1 400 /);
    expect(await rawHandshake(port, upgradeRequest({ method: 'POST' }))).to.match(/^HTTP\/1\.1 4\d\d /);
    expect(await rawHandshake(port, upgradeRequest({ upgrade: 'h2c' }))).to.match(/^HTTP\/1\.1 400 /);
    expect(await rawHandshake(port, upgradeRequest({ extra: 'Sec-WebSocket-Protocol: a,,b\r\n' }))).to.match(
      /^HTTP\/1\.1 400 /,
    );
    await fx.gateway.idle();
    expect(fx.eventsOf('authorizer').length - authorizerBefore, 'authorizer invocations').to.equal(0);
    expect(fx.eventsOf('connect').length - connectBefore, '$connect invocations').to.equal(0);
  });

  it('runs $disconnect for every $connect when the client half-closes during the handshake', async () => {
    const connectBefore = fx.eventsOf('connect').length;
    const disconnectBefore = fx.eventsOf('disconnect').length;
    const port = fx.gateway.port;
    // FIN while the authorizer runs, then while $connect runs.
    await rawHandshake(port, upgradeRequest({ path: '/dev?mode=slow' }), 100);
    await rawHandshake(port, upgradeRequest({ path: '/dev?connectDelay=400' }), 100);
    await new Promise((r) => setTimeout(r, 200));
    await fx.gateway.idle();
    const connects = fx.eventsOf('connect').length - connectBefore;
    expect(connects, '$connect invocations').to.be.at.least(1);
    expect(fx.eventsOf('disconnect').length - disconnectBefore, '$disconnect invocations').to.equal(connects);
    expect(fx.gateway.connectionIds()).to.deep.equal([]);
  });

  it('sends the REQUEST authorizer event in the shape of the reference, headers in the client casing', async () => {
    const before = fx.eventsOf('authorizer').length;
    const client = await mustOpen(`${fx.gateway.websocketUrl}?a=1&a=2&b=x%20y`, {
      headers: { AUTHORIZATION: 'Bearer abc', 'x-Custom': 'v' },
    });
    await client.close();
    const event = fx.eventsOf('authorizer')[before] as RecordedEvent;
    expect(event.type).to.equal('REQUEST');
    expect(event.methodArn).to.equal('arn:aws:execute-api:eu-west-1:000000000000:abc123defg/dev/$connect');
    expect(event.headers?.AUTHORIZATION).to.equal('Bearer abc');
    expect(event.headers?.['x-Custom']).to.equal('v');
    expect(event.headers).to.include.keys(
      'Sec-WebSocket-Key',
      'Sec-WebSocket-Version',
      'Connection',
      'Upgrade',
      'X-Forwarded-For',
    );
    expect(event.multiValueHeaders?.AUTHORIZATION).to.deep.equal(['Bearer abc']);
    expect(event.queryStringParameters).to.deep.equal({ a: '2', b: 'x y' });
    expect(event.multiValueQueryStringParameters).to.deep.equal({ a: ['1', '2'], b: ['x y'] });
    const rc = event.requestContext;
    expect(rc).to.include({
      routeKey: '$connect',
      eventType: 'CONNECT',
      stage: 'dev',
      apiId: 'abc123defg',
      messageDirection: 'IN',
    });
    expect(rc.connectionId).to.match(/^[A-Za-z0-9+/]{15}=$/);
    expect(rc.requestTime).to.match(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(rc.connectedAt).to.be.a('number');
    expect(rc.requestTimeEpoch).to.be.a('number');
    expect(rc.identity?.sourceIp).to.equal('127.0.0.1');
    expect(rc.domainName).to.equal(fx.gateway.api.domainName);
    expect(rc.extendedRequestId).to.be.a('string');
    expect(rc.requestId).to.be.a('string');
  });

  it('omits the query string maps when the handshake has none', async () => {
    const before = fx.eventsOf('authorizer').length;
    const client = await mustOpen(fx.gateway.websocketUrl);
    await client.close();
    const event = fx.eventsOf('authorizer')[before] as Record<string, unknown>;
    expect(event).to.not.have.property('queryStringParameters');
    expect(event).to.not.have.property('multiValueQueryStringParameters');
  });

  it('gives $connect the authorizer context as strings with principalId and integrationLatency, without Connection/Upgrade', async () => {
    const before = fx.eventsOf('connect').length;
    const client = await mustOpen(`${fx.gateway.websocketUrl}?x=1`, { headers: { 'User-Agent': 'test-agent' } });
    await client.close();
    const event = fx.eventsOf('connect')[before] as RecordedEvent;
    expect(event.requestContext.authorizer).to.include({
      principalId: 'user-1',
      sub: 'user-1',
      exp: '1700000000',
      admin: 'true',
      env: 'authorizer',
    });
    expect(event.requestContext.authorizer?.integrationLatency).to.be.a('number');
    expect(event.requestContext.identity).to.deep.equal({ sourceIp: '127.0.0.1', userAgent: 'test-agent' });
    expect(event.isBase64Encoded).to.equal(false);
    expect(Object.keys(event.headers ?? {}).map((h: string) => h.toLowerCase())).to.not.include.members([
      'connection',
      'upgrade',
    ]);
  });

  it('rejects the handshake with the status of a non-2xx $connect answer, 500 when $connect throws', async () => {
    expect(await status('?connectStatus=403')).to.equal(403);
    expect(await status('?connectStatus=401')).to.equal(401);
    expect(await status('?connectStatus=502')).to.equal(502);
    expect(await status('?connectStatus=302')).to.equal(500);
    expect(await status('?connectError=1')).to.equal(500);
  });

  it('answers with the subprotocol $connect returns, and with none when $connect returns none', async () => {
    const chosen = await mustOpen(`${fx.gateway.websocketUrl}?protocol=bearer`, { protocols: ['bearer', 'tok123'] });
    expect(chosen.protocol).to.equal('bearer');
    await chosen.close();
    // ws (like browsers) fails a handshake that offered subprotocols and got none back.
    const none = await openClient(fx.gateway.websocketUrl, { protocols: ['bearer', 'tok123'] }).catch((e: Error) => e);
    expect(none).to.be.instanceOf(Error);
    expect((none as Error).message).to.match(/subprotocol/i);
  });

  it('answers 410 to PostToConnection from $connect: the connection does not exist until $connect succeeds', async () => {
    const client = await mustOpen(`${fx.gateway.websocketUrl}?postSelf=1`);
    await client.close();
    expect(fx.eventsOf('connect-post').map((e) => (e as unknown as { status: number }).status)).to.deep.equal([410]);
  });

  it('sends $disconnect with the reference headers, close code and reason, and the authorizer context', async () => {
    const client = await mustOpen(fx.gateway.websocketUrl);
    await client.close(4001, 'bye now');
    await eventually(
      () => fx.eventsOf('disconnect').some((e) => e.requestContext.disconnectStatusCode === 4001),
      '$disconnect',
    );
    const event = fx
      .eventsOf('disconnect')
      .find((e) => e.requestContext.disconnectStatusCode === 4001) as RecordedEvent;
    expect(Object.keys(event.headers ?? {}).sort()).to.deep.equal([
      'Host',
      'X-Forwarded-For',
      'x-api-key',
      'x-restapi',
    ]);
    expect(event.requestContext).to.include({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectReason: 'bye now',
    });
    expect(event.requestContext.authorizer?.principalId).to.equal('user-1');
  });
});

describe('gateway forwarding headers (as API Gateway sets them)', function () {
  this.timeout(20000);
  let fx: FixtureGateway;
  before(async () => {
    fx = await startFixtureGateway();
  });
  after(async () => fx.stop());

  it('puts the real peer last in X-Forwarded-For after a spoofed value, and its own proto and port', async () => {
    const before = fx.eventsOf('authorizer').length;
    const client = await mustOpen(fx.gateway.websocketUrl, {
      headers: { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443' },
    });
    await client.close();
    for (const event of [fx.eventsOf('authorizer')[before], fx.eventsOf('connect').at(-1)] as RecordedEvent[]) {
      expect(event.headers?.['X-Forwarded-For']).to.equal('203.0.113.7, 127.0.0.1');
      expect(event.headers?.['X-Forwarded-Proto']).to.equal('http');
      expect(event.headers?.['X-Forwarded-Port']).to.equal(String(fx.gateway.port));
      expect(event.multiValueHeaders?.['X-Forwarded-For']).to.deep.equal(['203.0.113.7, 127.0.0.1']);
      expect(event.requestContext.identity?.sourceIp).to.equal('127.0.0.1');
    }
  });

  it('adds X-Amzn-Trace-Id only when the client sent none', async () => {
    const before = fx.eventsOf('authorizer').length;
    const traced = await mustOpen(fx.gateway.websocketUrl, {
      headers: { 'X-Amzn-Trace-Id': 'Root=1-00000000-client' },
    });
    await traced.close();
    const plain = await mustOpen(fx.gateway.websocketUrl);
    await plain.close();
    const [first, second] = fx.eventsOf('authorizer').slice(before);
    expect(first?.headers?.['X-Amzn-Trace-Id']).to.equal('Root=1-00000000-client');
    expect(second?.headers?.['X-Amzn-Trace-Id']).to.match(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });
});

describe('gateway throttling (THROTTLING_BURST_LIMIT / THROTTLING_RATE_LIMIT)', function () {
  this.timeout(20000);

  it('answers 429 to handshakes over the burst without invoking the authorizer', async () => {
    const fx = await startFixtureGateway({ gateway: { throttling: { burst: 2, rate: 0.001 } } });
    try {
      const a = await mustOpen(fx.gateway.websocketUrl);
      const b = await mustOpen(fx.gateway.websocketUrl);
      const third = await openClient(fx.gateway.websocketUrl);
      expect(third.ok ? 101 : third.status).to.equal(429);
      expect(fx.eventsOf('authorizer')).to.have.length(2);
      await a.close();
      await b.close();
    } finally {
      await fx.stop();
    }
  });

  it('answers a throttled message with the gateway error frame, keeps the connection, and recovers', async () => {
    const fx = await startFixtureGateway({ gateway: { throttling: { burst: 2, rate: 0.25 } } });
    try {
      const client = await mustOpen(fx.gateway.websocketUrl); // 1 token
      client.send('one'); // 2nd token
      expect(await client.nextJson()).to.include({ body: 'one' });
      client.send('two'); // throttled
      const frame = await client.nextJson();
      expect(frame).to.include({ message: 'Too Many Requests' });
      expect(frame).to.have.keys(['message', 'connectionId', 'requestId']);
      await new Promise((r) => setTimeout(r, 4200)); // one token back at 0.25 per second
      client.send('three');
      expect(await client.nextJson()).to.include({ body: 'three' });
      expect(fx.eventsOf('default').map((e) => (e as { body?: string }).body)).to.not.include('two');
      await client.close();
    } finally {
      await fx.stop();
    }
  });

  it('is off by default: 50 handshakes and messages in a burst all pass', async () => {
    const fx = await startFixtureGateway();
    try {
      const clients = await Promise.all(Array.from({ length: 50 }, () => mustOpen(fx.gateway.websocketUrl)));
      for (const c of clients) c.send('m');
      for (const c of clients) expect(await c.nextJson()).to.include({ body: 'm' });
      await Promise.all(clients.map((c) => c.close()));
    } finally {
      await fx.stop();
    }
  });
});

describe('gateway identity sources', function () {
  this.timeout(20000);
  let fx: FixtureGateway;
  before(async () => {
    fx = await startFixtureGateway({
      gateway: { identitySources: ['route.request.header.Authorization', 'route.request.querystring.token'] },
    });
  });
  after(async () => fx.stop());

  it('answers 401 without invoking the authorizer when a configured source is missing or empty', async () => {
    const missing = await openClient(`${fx.gateway.websocketUrl}?token=abc`);
    const empty = await openClient(`${fx.gateway.websocketUrl}?token=`, { headers: { Authorization: 'x' } });
    expect(missing.ok ? 101 : missing.status).to.equal(401);
    expect(empty.ok ? 101 : empty.status).to.equal(401);
    expect(fx.eventsOf('authorizer')).to.have.length(0);
  });

  it('invokes the authorizer when every source is present (header name in any casing)', async () => {
    const client = await mustOpen(`${fx.gateway.websocketUrl}?token=abc`, { headers: { authorization: 'x' } });
    await client.close();
    expect(fx.eventsOf('authorizer')).to.have.length(1);
  });
});
