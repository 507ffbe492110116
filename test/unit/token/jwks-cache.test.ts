import { expect } from 'chai';
import sinon from 'sinon';
import { createJwksCache, type JwksCache, type JwksCacheOptions } from '../../../functions/shared/token/jwks-cache.ts';
import { nodeHttpGet, type HttpGet } from '../../../functions/shared/token/http-request.ts';
import { createLogger } from '../../../functions/shared/log.ts';
import { fakeClock, rsaKey, serveJson, startJwksServer, type JwksServer } from '../authorizer/helpers.ts';
import { captureLog, type LogCapture } from '../../support/log-capture.ts';

const k1 = rsaKey('k1');
const k2 = rsaKey('k2');

describe('JWKS cache', () => {
  let server: JwksServer;
  let clock: ReturnType<typeof fakeClock>;
  let logs: LogCapture;

  function cache(extra: Partial<JwksCacheOptions> = {}): JwksCache {
    return createJwksCache({
      jwksUri: server.jwksUrl,
      get: nodeHttpGet,
      now: clock.now,
      log: createLogger('authorizer', logs.sink),
      ...extra,
    });
  }

  beforeEach(async () => {
    server = await startJwksServer(serveJson({ keys: [k1.jwk] }));
    clock = fakeClock();
    logs = captureLog();
  });
  afterEach(() => server.close());

  it('serves a fetched key from peek without further requests', async () => {
    const c = cache();
    expect(await c.refresh()).to.equal(true);
    for (let i = 0; i < 100; i += 1) expect(c.peek('k1')).to.equal(c.peek('k1')).and.not.equal(undefined);
    expect(server.requests).to.equal(1);
    expect(logs.reasons()).to.deep.equal(['jwks_refreshed']);
  });

  it('shares one in-flight fetch among concurrent lookups (cold start)', async () => {
    const c = cache();
    const results = await Promise.all([c.refresh(), ...Array.from({ length: 20 }, () => c.resolve('k1')), c.refresh()]);
    expect(server.requests).to.equal(1);
    for (const r of results.slice(1, -1)) expect(r).to.have.property('ok', true);
  });

  it('refetches on an unknown kid once, then refuses unknown kids without a request for the 10 s cooldown', async () => {
    const c = cache();
    await c.refresh();
    expect(server.requests).to.equal(1);
    clock.advance(10_000);
    expect(await c.resolve('nope')).to.deep.equal({ ok: false, reason: 'unknown_kid' });
    expect(server.requests).to.equal(2);
    for (let i = 0; i < 50; i += 1) {
      clock.advance(100); // 5 s in total, still inside the cooldown
      expect(await c.resolve(`random-${i}`)).to.deep.equal({ ok: false, reason: 'unknown_kid' });
    }
    expect(server.requests).to.equal(2);
    clock.advance(5_000);
    await c.resolve('again');
    expect(server.requests).to.equal(3);
  });

  it('picks up a rotated key through the unknown-kid refetch', async () => {
    const c = cache();
    await c.refresh();
    server.respond = serveJson({ keys: [k1.jwk, k2.jwk] });
    clock.advance(11_000);
    const r = await c.resolve('k2');
    expect(r.ok).to.equal(true);
    expect(server.requests).to.equal(2);
  });

  it('reports jwks_unavailable while it holds no keys, retries once at once, then backs off exponentially', async () => {
    server.respond = serveJson('oops', 500);
    const c = cache({ backoffInitialMs: 1000, backoffMaxMs: 4000 });
    expect(await c.refresh()).to.equal(false);
    expect(server.requests).to.equal(1);
    expect(await c.resolve('k1')).to.deep.equal({ ok: false, reason: 'jwks_unavailable' });
    expect(server.requests, 'one immediate retry (a fetch frozen at init may have timed out on thaw)').to.equal(2);
    expect(await c.resolve('k1')).to.deep.equal({ ok: false, reason: 'jwks_unavailable' });
    expect(server.requests, 'no request inside the first back-off').to.equal(2);
    clock.advance(999);
    await c.resolve('k1');
    expect(server.requests).to.equal(2);
    clock.advance(1);
    await c.resolve('k1');
    expect(server.requests, 'retried after 1 s').to.equal(3);
    clock.advance(1999);
    await c.resolve('k1');
    expect(server.requests, 'second back-off is 2 s').to.equal(3);
    clock.advance(1);
    await c.resolve('k1');
    expect(server.requests).to.equal(4);
    clock.advance(4000); // capped at backoffMaxMs
    server.respond = serveJson({ keys: [k1.jwk] });
    expect((await c.resolve('k1')).ok).to.equal(true);
    expect(server.requests).to.equal(5);
    server.respond = serveJson('oops', 500);
    expect(await c.refresh()).to.equal(false);
    const failed = logs.records().filter((l) => l['reason'] === 'jwks_fetch_failed');
    expect(
      failed.map((l) => l['retryInMs']),
      'the success reset the back-off: the next failure retries at once',
    ).to.deep.equal([0, 1000, 2000, 4000, 0]);
  });

  it('keeps serving held keys when a refresh fails (down, malformed JSON, 500, oversized)', async () => {
    const c = cache({ maxAgeMs: 60_000, refreshAfterMs: 30_000 });
    await c.refresh();
    const failures = [
      serveJson('{"keys":', 200),
      serveJson('x', 500),
      serveJson({ keys: [], pad: 'x'.repeat(200 * 1024) }),
    ];
    for (const respond of failures) {
      server.respond = respond;
      clock.advance(61_000);
      const r = await c.resolve('k1');
      expect(r.ok, 'the held key still resolves').to.equal(true);
    }
    await server.close();
    clock.advance(61_000);
    expect((await c.resolve('k1')).ok).to.equal(true);
    server = await startJwksServer(serveJson({ keys: [k1.jwk] }));
  });

  it('refreshes in the background after refreshAfterMs without making the request wait', async () => {
    const c = cache({ maxAgeMs: 60_000, refreshAfterMs: 50_000 });
    await c.refresh();
    server.respond = serveJson({ keys: [k2.jwk] });
    clock.advance(50_000);
    expect(c.peek('k1'), 'peek declines aged keys').to.equal(undefined);
    const r = await c.resolve('k1');
    expect(r.ok, 'still served while refreshing').to.equal(true);
    await c.refresh(); // joins the background fetch
    expect(server.requests).to.equal(2);
    expect(c.peek('k1'), 'removed key gone').to.equal(undefined);
    expect(c.peek('k2')).to.not.equal(undefined);
  });

  it('past the maximum age, waits for the refresh so a key removed from the JWKS stops verifying', async () => {
    const c = cache({ maxAgeMs: 60_000, refreshAfterMs: 60_000 });
    await c.refresh();
    server.respond = serveJson({ keys: [k2.jwk] });
    clock.advance(60_000);
    expect(await c.resolve('k1')).to.deep.equal({ ok: false, reason: 'unknown_kid' });
    expect(server.requests).to.equal(2);
    expect((await c.resolve('k2')).ok).to.equal(true);
  });

  it('drops every key when the JWKS legitimately publishes none, and logs it', async () => {
    const c = cache({ maxAgeMs: 60_000, refreshAfterMs: 60_000 });
    await c.refresh();
    server.respond = serveJson({ keys: [] });
    clock.advance(60_000);
    expect(await c.resolve('k1')).to.deep.equal({ ok: false, reason: 'unknown_kid' });
    expect(logs.reasons()).to.include('jwks_no_usable_keys');
  });

  it('logs skipped keys with their reason', async () => {
    server.respond = serveJson({ keys: [k1.jwk, rsaKey('small', 1024).jwk] });
    const c = cache();
    await c.refresh();
    expect(logs.records().find((l) => l['reason'] === 'jwks_key_skipped')).to.include({
      kid: 'small',
      skip: 'key_too_small',
    });
  });

  it('never rejects, even when the injected transport throws synchronously', async () => {
    const throwing = sinon.stub<Parameters<HttpGet>, ReturnType<HttpGet>>().throws(new TypeError('boom'));
    const c = cache({ get: throwing });
    expect(await c.refresh()).to.equal(false);
    expect(await c.resolve('k1')).to.deep.equal({ ok: false, reason: 'jwks_unavailable' });
    expect(throwing.callCount, 'the initial attempt and the one immediate retry').to.equal(2);
  });
});
