import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fetchJwks, JwksFetchError } from '../../../functions/shared/token/jwks-fetch.ts';
import { nodeHttpGet, type HttpGet, type HttpGetOptions } from '../../../functions/shared/token/http-request.ts';
import { serveJson, startJwksServer, type JwksServer } from '../authorizer/helpers.ts';
import { rejectionOf } from '../../support/failures.ts';

const limits = { timeoutMs: 400, connectTimeoutMs: 250, maxBytes: 150 * 1024 };

function failureOf(p: Promise<unknown>): Promise<JwksFetchError> {
  return rejectionOf(p, JwksFetchError);
}

/** A response body that yields the given chunks, each on a later tick as from a socket. */
async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield await Promise.resolve(part);
}

describe('fetchJwks over node:http', () => {
  let server: JwksServer;
  beforeEach(async () => {
    server = await startJwksServer(serveJson({ keys: [] }));
  });
  afterEach(() => server.close());

  it('returns the parsed document', async () => {
    server.respond = serveJson({ keys: [{ kid: 'a' }] });
    expect(await fetchJwks(nodeHttpGet, server.jwksUrl, limits)).to.deep.equal({ keys: [{ kid: 'a' }] });
  });

  it('fails with http_status on a 500', async () => {
    server.respond = serveJson({ error: 'boom' }, 500);
    const err = await failureOf(fetchJwks(nodeHttpGet, server.jwksUrl, limits));
    expect(err.kind).to.equal('http_status');
    expect(err.message).to.contain('500');
  });

  it('fails with bad_json on a malformed body', async () => {
    server.respond = serveJson('{"keys": [');
    expect((await failureOf(fetchJwks(nodeHttpGet, server.jwksUrl, limits))).kind).to.equal('bad_json');
  });

  it('fails with network when nothing listens', async () => {
    const url = server.jwksUrl;
    await server.close();
    expect((await failureOf(fetchJwks(nodeHttpGet, url, limits))).kind).to.equal('network');
    server = await startJwksServer(serveJson({}));
  });

  it('does not follow redirects: keys come only from the configured URI', async () => {
    let elsewhere = 0;
    const other = await startJwksServer((_req, res) => {
      elsewhere += 1;
      serveJson({ keys: [] })(_req, res);
    });
    server.respond = (_req, res) => {
      res.writeHead(302, { location: other.jwksUrl });
      res.end();
    };
    const err = await failureOf(fetchJwks(nodeHttpGet, server.jwksUrl, limits));
    expect(err.kind).to.equal('http_status');
    expect(elsewhere).to.equal(0);
    await other.close();
  });

  it('times out when the response never comes', async () => {
    server.respond = () => undefined; // accepts, never answers
    const started = Date.now();
    const err = await failureOf(fetchJwks(nodeHttpGet, server.jwksUrl, limits));
    expect(err.kind).to.equal('timeout');
    expect(err.message).to.contain('no complete response within 400 ms');
    expect(Date.now() - started).to.be.within(390, 2500);
  });

  it('times out when the body trickles past the overall limit', async () => {
    server.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    };
    const err = await failureOf(fetchJwks(nodeHttpGet, server.jwksUrl, limits));
    expect(err.kind).to.equal('timeout');
    expect(err.message).to.contain('no complete response within 400 ms');
  });

  it('times out at the connect deadline when the TLS handshake never completes', async () => {
    // A TCP server that accepts and stays silent: for https, "connected" means the handshake is done.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    const err = await failureOf(
      fetchJwks(nodeHttpGet, `https://127.0.0.1:${port}/jwks.json`, { ...limits, timeoutMs: 5000 }),
    );
    expect(err.kind).to.equal('timeout');
    expect(err.message).to.contain('not connected within 250 ms');
    expect(Date.now() - started).to.be.within(240, 2500);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('refuses a declared content-length over the cap without reading the body', async () => {
    server.respond = serveJson({ keys: [], pad: 'x'.repeat(200 * 1024) });
    const err = await failureOf(fetchJwks(nodeHttpGet, server.jwksUrl, limits));
    expect(err.kind).to.equal('too_large');
    expect(err.message).to.contain('content-length');
  });

  it('cuts off an endless chunked body while streaming, long before it ends', async () => {
    let written = 0;
    server.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && written < 50 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    };
    // Generous deadlines: this case is about the size cap, and a loaded machine must not turn it into a timeout.
    const err = await failureOf(
      fetchJwks(nodeHttpGet, server.jwksUrl, { ...limits, timeoutMs: 10_000, connectTimeoutMs: 5_000 }),
    );
    expect(err.kind).to.equal('too_large');
    expect(err.message).to.contain('body exceeds');
    expect(written).to.be.below(10 * 1024 * 1024);
  });
});

describe('fetchJwks with an injected transport', () => {
  it('times out even when the transport ignores the abort signal', async () => {
    const hanging: HttpGet = () => new Promise(() => undefined);
    expect((await failureOf(fetchJwks(hanging, 'http://127.0.0.1:1/x', limits))).kind).to.equal('timeout');
  });

  it('passes the abort signal, the connect deadline and an accept header', async () => {
    let seen: HttpGetOptions | undefined;
    const spy: HttpGet = (_url, options) => {
      seen = options;
      return Promise.resolve({
        status: 200,
        contentLength: undefined,
        body: chunks(Buffer.from('{"keys":[]}')),
        cancel: () => undefined,
      });
    };
    expect(await fetchJwks(spy, 'https://keys.example.com/jwks.json', limits)).to.deep.equal({ keys: [] });
    expect(seen?.signal).to.be.instanceOf(AbortSignal);
    expect(seen?.connectTimeoutMs).to.equal(250);
    expect(seen?.headers).to.deep.equal({ accept: 'application/json' });
  });

  it('cancels the body it refuses', async () => {
    let cancelled = 0;
    const get: HttpGet = () =>
      Promise.resolve({
        status: 503,
        contentLength: 2,
        body: chunks(Buffer.from('{}')),
        cancel: () => (cancelled += 1),
      });
    expect((await failureOf(fetchJwks(get, 'https://keys.example.com/jwks.json', limits))).kind).to.equal(
      'http_status',
    );
    expect(cancelled).to.equal(1);
  });
});
