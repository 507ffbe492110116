// The simulation's small end against the real local stack: 500 clients drop their connections at once and
// reconnect with the web app's back-off, first in the simulation (the local stack's own limits: N workers per
// function that queue, no connection-rate throttling, service times calibrated on this machine), then for real
// through the local stack with the same seed and back-off. A benchmark: on shared cores the figures move.
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';
import { startStack, type RunningStack } from '../../local/stack.ts';
import { signInWithHostedUi } from '../cli/hosted-ui-sign-in.ts';
import { backoffDelay, type BackoffOptions } from '../../web/src/backoff.ts';
import { mapLimit } from '../cli/stats.ts';
import { MEASURED } from './inputs.ts';
import { seededRandom } from './rng.ts';
import { simulateStorm, type StormResult } from './storm.ts';

export interface ValidateOptions {
  clients: number;
  workers: number;
  seed: number;
  backoff: BackoffOptions;
  calibrationRounds: number;
}

export interface Calibration {
  /** Round trip of a bare ws handshake on this machine (both legs), median of sequential ones. */
  bareHandshakeMs: number;
  /** Full handshake through the stack (authorizer, $connect, PutItem), median of sequential ones. */
  fullHandshakeMs: number;
  /** The first handshake after start, on cold workers. */
  coldHandshakeMs: number;
  /** Handshakes per second the stack sustained in a burst (`burst` at once, 50 in flight). */
  burstPerSecond: number;
  burst: number;
}

export interface Measured {
  connected: number;
  gaveUp: number;
  handshakes: number;
  failedHandshakes: number;
  /** Failed handshakes by HTTP status or error. */
  failures: Record<string, number>;
  t50Ms?: number;
  t99Ms?: number;
  t100Ms?: number;
  peakWorkers: Record<string, number>;
}

export interface ValidateReport {
  options: ValidateOptions;
  calibration: Calibration;
  predicted: StormResult;
  measured: Measured;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** One handshake: ms until open (or refusal), and whether it opened. The socket is closed at once. */
function handshake(url: string, protocols?: string[]): Promise<{ ms: number; opened: boolean }> {
  return new Promise((resolve) => {
    const start = performance.now();
    const ws = new WebSocket(url, protocols, { handshakeTimeout: 30_000 });
    const done = (opened: boolean): void => {
      const ms = performance.now() - start;
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (opened) ws.close(1000);
      else ws.terminate();
      resolve({ ms, opened });
    };
    ws.once('open', () => done(true));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      done(false);
    });
    ws.once('error', () => done(false));
  });
}

async function calibrate(stack: RunningStack, url: string, rounds: number): Promise<Calibration> {
  const cold = await handshake(url);
  if (!cold.opened) throw new Error('the local stack refused the calibration handshake');
  await stack.gateway.idle();
  const bare = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => bare.once('listening', () => r()));
  const bareUrl = `ws://127.0.0.1:${(bare.address() as { port: number }).port}`;
  const series = async (u: string): Promise<number> => {
    const xs: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      xs.push((await handshake(u)).ms);
      await stack.gateway.idle();
    }
    return median(xs);
  };
  try {
    const bareHandshakeMs = await series(bareUrl);
    const fullHandshakeMs = await series(url);
    // Capacity under concurrency, where the workers and the machine's cores are shared.
    const burst = 100;
    const start = performance.now();
    await mapLimit(Array.from({ length: burst }), 50, () => handshake(url));
    const burstPerSecond = burst / ((performance.now() - start) / 1000);
    await stack.gateway.idle();
    return { bareHandshakeMs, fullHandshakeMs, coldHandshakeMs: cold.ms, burstPerSecond, burst };
  } finally {
    await new Promise<void>((r) => bare.close(() => r()));
  }
}

/** The simulation with the local stack's limits and the calibrated times. */
export function predict(o: ValidateOptions, c: Calibration): StormResult {
  const leg = c.bareHandshakeMs / 2;
  // The burst's throughput sets the time a handshake holds a worker of the slower stage (the authorizer's
  // verification and $connect's PutItem share the same cores); $connect keeps the rest of the sequential time.
  const authorizer = (o.workers * 1000) / c.burstPerSecond;
  const connect = Math.max(0.05, c.fullHandshakeMs - c.bareHandshakeMs - authorizer);
  const coldExtra = Math.max(0, c.coldHandshakeMs - c.fullHandshakeMs);
  const loads = MEASURED.bundleLoadMs;
  const authorizerShare = loads.authorizer / (loads.authorizer + loads.connect);
  return simulateStorm({
    clients: o.clients,
    seed: o.seed,
    backoff: o.backoff,
    dropSpreadMs: 0,
    // The local gateway does not throttle handshakes by default, and dynalite does not throttle writes.
    newConnectionsPerSecond: 1e9,
    newConnectionBurst: 1e9,
    lambda: { kind: 'local', workers: o.workers },
    warmMs: { authorizer, connect, disconnect: connect },
    initMs: {
      authorizer: coldExtra * authorizerShare,
      connect: coldExtra * (1 - authorizerShare),
      disconnect: coldExtra * (1 - authorizerShare),
    },
    writeUnitsPerSecond: 1e9,
    writeUnitsPerItem: 2,
    clientLegMs: leg,
    horizonMs: 600_000,
  });
}

/** 500 real clients: open, then all close at once and reconnect with the back-off, as the web app does. */
async function measure(stack: RunningStack, url: string, o: ValidateOptions): Promise<Measured> {
  const random = seededRandom(o.seed);
  const sockets: WebSocket[] = [];
  for (let i = 0; i < o.clients; i += 50) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(50, o.clients - i) },
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(url, { handshakeTimeout: 30_000 });
            ws.once('open', () => resolve(ws));
            ws.once('error', reject);
          }),
      ),
    );
    sockets.push(...batch);
  }
  await stack.gateway.idle();
  for (const pool of Object.values(stack.pools)) pool.peakWorkers = pool.workerCount;

  const connectedAt: number[] = [];
  let handshakes = 0;
  let failed = 0;
  let gaveUp = 0;
  const failures: Record<string, number> = {};
  const fail = (why: string): void => {
    failed += 1;
    failures[why] = (failures[why] ?? 0) + 1;
  };
  const open: WebSocket[] = [];
  const t0 = performance.now();
  await Promise.all(
    sockets.map(
      (old) =>
        new Promise<void>((resolve) => {
          let attempt = 0;
          const retry = (): void => {
            attempt += 1;
            const delay = backoffDelay(attempt, random, o.backoff);
            if (delay === undefined) {
              gaveUp += 1;
              resolve();
              return;
            }
            setTimeout(() => {
              handshakes += 1;
              const ws = new WebSocket(url, { handshakeTimeout: 30_000 });
              ws.once('open', () => {
                connectedAt.push(performance.now() - t0);
                open.push(ws);
                resolve();
              });
              ws.once('unexpected-response', (_req, res) => {
                res.resume();
                fail(`HTTP ${res.statusCode ?? '?'}`);
                retry();
              });
              ws.once('error', (err) => {
                fail(err.message.slice(0, 60));
                retry();
              });
            }, delay);
          };
          old.once('close', () => {});
          old.close(1000);
          retry();
        }),
    ),
  );
  const peakWorkers = Object.fromEntries(Object.entries(stack.pools).map(([k, p]) => [k, p.peakWorkers]));
  await Promise.all(
    open.map(
      (ws) =>
        new Promise<void>((r) => {
          ws.once('close', () => r());
          ws.close(1000);
        }),
    ),
  );
  await stack.gateway.idle();
  connectedAt.sort((a, b) => a - b);
  const at = (share: number): number | undefined => {
    const n = Math.ceil(share * o.clients);
    return connectedAt.length >= n ? connectedAt[n - 1] : undefined;
  };
  const m: Measured = {
    connected: connectedAt.length,
    gaveUp,
    handshakes,
    failedHandshakes: failed,
    failures,
    peakWorkers,
  };
  const t50 = at(0.5);
  const t99 = at(0.99);
  const t100 = at(1);
  if (t50 !== undefined) m.t50Ms = t50;
  if (t99 !== undefined) m.t99Ms = t99;
  if (t100 !== undefined) m.t100Ms = t100;
  return m;
}

export async function validate(o: ValidateOptions): Promise<ValidateReport> {
  const stack = await startStack({
    ports: { web: 0, gateway: 0, issuer: 0, dynamodb: 0 },
    web: false,
    logLevel: 'error',
    functionTimeoutMs: 30_000,
    maxConcurrency: o.workers,
    // One user holds all 500 connections: the per-user limit is not what is measured.
    functionEnv: { connect: { MAX_CONNECTIONS_PER_USER: '0' } },
  });
  try {
    const { accessToken } = await signInWithHostedUi({
      hostedUiUrl: stack.config.hostedUiUrl,
      clientId: stack.config.clientId,
      redirectUri: stack.config.redirectUri,
      ...stack.demoUser,
    });
    const url = `${stack.config.websocketUrl}?token=${accessToken}`;
    const calibration = await calibrate(stack, url, o.calibrationRounds);
    const predicted = predict(o, calibration);
    const measured = await measure(stack, url, o);
    return { options: o, calibration, predicted, measured };
  } finally {
    await stack.stop();
  }
}

export function validateText(r: ValidateReport): string {
  const s = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(2)} s`);
  const c = r.calibration;
  const p = r.predicted;
  const m = r.measured;
  const rows: [string, string, string][] = [
    ['connected', String(p.connected), String(m.connected)],
    ['gave up', String(p.gaveUp), String(m.gaveUp)],
    ['handshakes', String(p.handshakes), String(m.handshakes)],
    [
      'failed handshakes',
      String(p.throttledByQuota + p.throttledByLambda + p.throttledByDynamoDb),
      String(m.failedHandshakes),
    ],
    ['50% reconnected after', s(p.t50Ms), s(m.t50Ms)],
    ['99% reconnected after', s(p.t99Ms), s(m.t99Ms)],
    ['all reconnected after', s(p.t100Ms), s(m.t100Ms)],
    [
      'authorizer workers started (JWKS fetches)',
      String(p.coldStarts.authorizer),
      String(m.peakWorkers['authorizer'] ?? '?'),
    ],
  ];
  const w = Math.max(...rows.map((x) => x[0].length));
  return [
    `validate: ${r.options.clients} clients drop at once and reconnect with back-off ${r.options.backoff.baseMs} ms → ${r.options.backoff.maxMs} ms, ${r.options.backoff.maxAttempts} attempts; ${r.options.workers} workers per function; seed ${r.options.seed}`,
    `calibration: sequential handshakes (median of ${r.options.calibrationRounds}) bare ws ${c.bareHandshakeMs.toFixed(2)} ms, through the stack ${c.fullHandshakeMs.toFixed(2)} ms, first (cold) ${c.coldHandshakeMs.toFixed(1)} ms; a burst of ${c.burst} (50 in flight) ${c.burstPerSecond.toFixed(1)} handshakes/s`,
    `${'figure'.padEnd(w)}  ${'predicted'.padStart(10)}  ${'measured'.padStart(10)}`,
    ...rows.map(([k, a, b]) => `${k.padEnd(w)}  ${a.padStart(10)}  ${b.padStart(10)}`),
    ...(m.failedHandshakes > 0 ? [`measured failures: ${JSON.stringify(m.failures)}`] : []),
  ].join('\n');
}
