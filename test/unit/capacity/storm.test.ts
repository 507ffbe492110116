import { expect } from 'chai';
import { simulateStorm, type StormParams } from '../../../scripts/capacity/storm.ts';
import { stormParams, defaultStormOptions } from '../../../scripts/capacity/storm-cases.ts';
import { defaultInputs, WORKLOADS } from '../../../scripts/capacity/inputs.ts';
import { DEFAULT_BACKOFF } from '../../../web/src/backoff.ts';
import { EventQueue } from '../../../scripts/capacity/event-queue.ts';
import { TokenBucket } from '../../../scripts/capacity/token-bucket.ts';
import { seededRandom } from '../../../scripts/capacity/rng.ts';

function params(over: Partial<StormParams> = {}): StormParams {
  return {
    clients: 3000,
    seed: 7,
    backoff: DEFAULT_BACKOFF,
    dropSpreadMs: 0,
    newConnectionsPerSecond: 200,
    newConnectionBurst: 200,
    lambda: { kind: 'aws', accountConcurrency: 1000, scalePer10s: 1000, warmEnvs: 5 },
    warmMs: { authorizer: 1, connect: 12, disconnect: 8 },
    initMs: { authorizer: 238, connect: 178, disconnect: 180 },
    writeUnitsPerSecond: 4000,
    writeUnitsPerItem: 2,
    clientLegMs: 50,
    horizonMs: 3_600_000,
    ...over,
  };
}

describe('capacity: reconnect storm simulation', () => {
  it('conserves clients: connected + gave up + pending = N, in every case', () => {
    const cases: Partial<StormParams>[] = [
      {},
      { plannedReconnect: { maxConnectionMs: 7_200_000, windowMs: 60_000, marginMs: 30_000 } },
      { dropSpreadMs: 60_000 },
      { backoff: { baseMs: 100, maxMs: 200, maxAttempts: 2 } },
      { horizonMs: 2000 },
      { lambda: { kind: 'local', workers: 2 } },
    ];
    for (const c of cases) {
      const r = simulateStorm(params(c));
      expect(r.connected + r.gaveUp + r.pending, JSON.stringify(c)).to.equal(3000);
      expect(r.handshakes, 'every handshake is accepted or throttled once').to.be.at.least(r.connected);
      expect(r.connected + r.throttledByQuota + r.throttledByLambda + r.throttledByDynamoDb).to.be.at.most(
        r.handshakes,
      );
    }
  });

  it("client-side spread: replacements open inside the web app's planned window, before the cut", () => {
    const planned = { maxConnectionMs: 7_200_000, windowMs: 60_000, marginMs: 30_000 };
    const r = simulateStorm(
      params({ plannedReconnect: planned, newConnectionsPerSecond: 1e4, newConnectionBurst: 1e4 }),
    );
    expect(r.connected).to.equal(3000);
    // The last replacement starts by 30 s into the window; its handshake adds a few legs and a cold start.
    expect(r.t100Ms).to.be.within(25_000, 31_000);
    expect(r.gapP99Ms ?? Infinity).to.be.lessThan(1000);
  });

  it('a short horizon leaves clients pending, and a hopeless back-off makes them give up', () => {
    expect(simulateStorm(params({ horizonMs: 2000 })).pending).to.be.greaterThan(0);
    const r = simulateStorm(params({ backoff: { baseMs: 100, maxMs: 200, maxAttempts: 2 } }));
    expect(r.gaveUp).to.be.greaterThan(0);
    expect(r.pending).to.equal(0);
  });

  it('is deterministic under a seed, and the seed matters', () => {
    const a = simulateStorm(params());
    const b = simulateStorm(params());
    expect(b).to.deep.equal(a);
    const c = simulateStorm(params({ seed: 8 }));
    expect(c.t99Ms).to.not.equal(a.t99Ms);
  });

  it('is monotonic in the quota: a higher connection rate never connects 99% later or throttles more', () => {
    const results = [100, 200, 400, 800, 1600].map((rate) =>
      simulateStorm(params({ newConnectionsPerSecond: rate, newConnectionBurst: rate })),
    );
    for (let i = 1; i < results.length; i += 1) {
      const prev = results[i - 1]!;
      const cur = results[i]!;
      expect(cur.t99Ms ?? Infinity, `rate step ${i}`).to.be.at.most(prev.t99Ms ?? Infinity);
      expect(cur.throttledByQuota, `rate step ${i}`).to.be.at.most(prev.throttledByQuota);
    }
  });

  it('never throttles when the quota covers everyone at once', () => {
    const r = simulateStorm(params({ newConnectionsPerSecond: 3000, newConnectionBurst: 3000 }));
    expect(r.throttledByQuota).to.equal(0);
    expect(r.connected).to.equal(3000);
  });

  it('accepts no more handshakes in a second than the rate plus the burst', () => {
    const r = simulateStorm(params());
    expect(r.peakAcceptedPerSecond).to.be.at.most(400);
    expect(r.peakAcceptedPerSecond).to.be.greaterThan(150);
  });

  it('counts one JWKS fetch per cold authorizer, and spreading the storm needs far fewer', () => {
    const sync = simulateStorm(params());
    expect(sync.jwksFetches).to.equal(sync.coldStarts.authorizer);
    const spread = simulateStorm(params({ dropSpreadMs: 600_000 }));
    expect(spread.jwksFetches).to.be.lessThan(sync.jwksFetches);
    expect(spread.throttledByQuota).to.equal(0);
  });

  it('never exceeds the account concurrency, and the $disconnect surge loses deliveries when it is small', () => {
    const r = simulateStorm(
      params({ lambda: { kind: 'aws', accountConcurrency: 50, scalePer10s: 1000, warmEnvs: 0 } }),
    );
    expect(r.peakConcurrency).to.be.at.most(50);
    expect(r.disconnectsLost).to.be.greaterThan(0);
  });

  it('local model: invocations queue for the workers instead of being throttled', () => {
    const r = simulateStorm(
      params({ lambda: { kind: 'local', workers: 2 }, newConnectionsPerSecond: 1e6, newConnectionBurst: 1e6 }),
    );
    expect(r.throttledByLambda).to.equal(0);
    expect(r.connected).to.equal(3000);
    expect(r.peakConcurrency).to.be.at.most(6);
  });

  it('DynamoDB write throttling fails handshakes that then retry', () => {
    const r = simulateStorm(params({ writeUnitsPerSecond: 50, newConnectionsPerSecond: 1e4, newConnectionBurst: 1e4 }));
    expect(r.throttledByDynamoDb).to.be.greaterThan(0);
  });

  it('the three documented cases run from the model inputs', () => {
    const inp = defaultInputs(1000, WORKLOADS.notifications);
    const o = { ...defaultStormOptions(2000), spreadMs: 60_000 };
    const sync = simulateStorm(stormParams(inp, o, 'synchronized'));
    const client = simulateStorm(stormParams(inp, o, 'client-spread'));
    const server = simulateStorm(stormParams(inp, o, 'server-spread'));
    for (const r of [sync, client, server]) expect(r.connected).to.equal(2000);
    expect(client.gapP99Ms ?? Infinity).to.be.lessThan(sync.gapP99Ms ?? 0);
    expect(server.throttledByQuota).to.equal(0);
  });
});

describe('capacity: simulation building blocks', () => {
  it('the event queue pops in time order, ties in insertion order', () => {
    const q = new EventQueue<{ at: number; seq: number }>();
    const random = seededRandom(3);
    const items = Array.from({ length: 500 }, (_, seq) => ({ at: Math.floor(random() * 50), seq }));
    for (const i of items) q.push(i);
    const out: { at: number; seq: number }[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e);
    const sorted = [...items].sort((a, b) => a.at - b.at || a.seq - b.seq);
    expect(out).to.deep.equal(sorted);
  });

  it('the token bucket allows the burst, then the rate', () => {
    const b = new TokenBucket(10, 5);
    let taken = 0;
    for (let i = 0; i < 20; i += 1) if (b.take(0)) taken += 1;
    expect(taken).to.equal(5);
    expect(b.take(50)).to.equal(false);
    expect(b.take(100)).to.equal(true);
    expect(b.take(10_000, 5)).to.equal(true);
    expect(b.take(10_000, 1)).to.equal(false);
  });

  it('the PRNG is seeded and uniform enough', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).to.deep.equal(xs);
    expect(Math.min(...xs)).to.be.at.least(0);
    expect(Math.max(...xs)).to.be.lessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).to.be.closeTo(0.5, 0.02);
  });
});
