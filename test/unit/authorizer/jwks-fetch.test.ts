import { expect } from 'chai';
import { fetchJwks, JwksFetchError, type FetchLike } from '../../../functions/authorizer/jwks-fetch.ts';
import { serveJson, startJwksServer, type JwksServer } from './helpers.ts';

const limits = { timeoutMs: 400, headersTimeoutMs: 250, maxBytes: 150 * 1024 };
const realFetch: FetchLike = (url, init) => fetch(url, init);

async function failureOf(p: Promise<unknown>): Promise<JwksFetchError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(JwksFetchError);
    return err as JwksFetchError;
  }
  throw new Error('fetchJwks resolved but should have failed');
}

describe('fetchJwks', () => {
  let server: JwksServer;
  beforeEach(async () => {
    server = await startJwksServer(serveJson({ keys: [] }));
  });
  afterEach(() => server.close());

  it('returns the parsed document', async () => {
    server.respond = serveJson({ keys: [{ kid: 'a' }] });
    expect(await fetchJwks(realFetch, server.jwksUrl, limits)).to.deep.equal({ keys: [{ kid: 'a' }] });
  });

  it('fails with http_status on a 500', async () => {
    server.respond = serveJson({ error: 'boom' }, 500);
    expect((await failureOf(fetchJwks(realFetch, server.jwksUrl, limits))).kind).to.equal('http_status');
  });

  it('fails with bad_json on a malformed body', async () => {
    server.respond = serveJson('{"keys": [');
    expect((await failureOf(fetchJwks(realFetch, server.jwksUrl, limits))).kind).to.equal('bad_json');
  });

  it('fails with network when nothing listens', async () => {
    const url = server.jwksUrl;
    await server.close();
    expect((await failureOf(fetchJwks(realFetch, url, limits))).kind).to.equal('network');
    server = await startJwksServer(serveJson({}));
  });

  it('refuses redirects: keys come only from the configured URI', async () => {
    server.respond = (_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    };
    expect((await failureOf(fetchJwks(realFetch, server.jwksUrl, limits))).kind).to.equal('network');
  });

  it('times out when the response headers never come', async () => {
    server.respond = () => undefined; // never answers
    const started = Date.now();
    const err = await failureOf(fetchJwks(realFetch, server.jwksUrl, limits));
    expect(err.kind).to.equal('timeout');
    expect(err.message, 'the headers deadline fired, not the overall one').to.contain('no response headers within 250 ms');
    expect(Date.now() - started).to.be.within(240, 2000);
  });

  it('times out when the body trickles past the overall limit', async () => {
    server.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    };
    const started = Date.now();
    const err = await failureOf(fetchJwks(realFetch, server.jwksUrl, limits));
    expect(err.kind).to.equal('timeout');
    expect(err.message).to.contain('no complete response within 400 ms');
    expect(Date.now() - started).to.be.within(390, 2500);
  });

  it('refuses a declared content-length over the cap without reading the body', async () => {
    server.respond = serveJson({ keys: [], pad: 'x'.repeat(200 * 1024) });
    const err = await failureOf(fetchJwks(realFetch, server.jwksUrl, limits));
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
    const err = await failureOf(fetchJwks(realFetch, server.jwksUrl, { ...limits, timeoutMs: 10_000, headersTimeoutMs: 5_000 }));
    expect(err.kind).to.equal('too_large');
    expect(err.message).to.contain('body exceeds');
    expect(written).to.be.below(10 * 1024 * 1024);
  });

  it('times out even when an injected fetch ignores the abort signal', async () => {
    const hanging: FetchLike = () => new Promise<Response>(() => undefined);
    expect((await failureOf(fetchJwks(hanging, 'http://127.0.0.1:1/x', limits))).kind).to.equal('timeout');
  });

  it('sends redirect: error and an abort signal to the injected fetch', async () => {
    let seen: RequestInit | undefined;
    const spy: FetchLike = async (_url, init) => {
      seen = init;
      return new Response('{"keys":[]}', { status: 200 });
    };
    await fetchJwks(spy, 'https://keys.example.com/jwks.json', limits);
    expect(seen?.redirect).to.equal('error');
    expect(seen?.signal).to.be.instanceOf(AbortSignal);
  });
});
