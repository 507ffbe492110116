// Reconnect storm: a seeded discrete-event simulation of N clients that lose their connection and reconnect
// with the web app's own back-off (web/src/backoff.ts, imported, not copied). Each handshake passes the
// account's new-connection token bucket, then runs the authorizer and $connect on Lambda execution
// environments (warm, cold with init + JWKS fetch, or throttled), and $connect writes to DynamoDB. Each drop
// also runs $disconnect, which competes for the same account concurrency and table writes.
import {
  backoffDelay,
  plannedReconnectDelay,
  type BackoffOptions,
  type PlannedReconnectOptions,
} from '../../web/src/backoff.ts';
import { EventQueue } from './event-queue.ts';
import { seededRandom } from './rng.ts';
import { TokenBucket } from './token-bucket.ts';

export type StormFunction = 'authorizer' | 'connect' | 'disconnect';
const STORM_FUNCTIONS: readonly StormFunction[] = ['authorizer', 'connect', 'disconnect'];

/** AWS: environments scale at `scalePer10s` per function (refilled continuously) up to the account limit;
 *  beyond that an invocation is throttled. Local: up to `workers` per function, then invocations queue. */
export type LambdaModel =
  | { kind: 'aws'; accountConcurrency: number; scalePer10s: number; warmEnvs: number }
  | { kind: 'local'; workers: number };

export interface StormParams {
  clients: number;
  seed: number;
  backoff: BackoffOptions;
  /** Drops spread uniformly over [0, dropSpreadMs] (server-side planned close with jitter); 0 = all at once. */
  dropSpreadMs: number;
  /**
   * Client-side spread: each client opens its replacement when the web app's planned reconnect says
   * (plannedReconnectDelay, a uniform point of the last window before the 2-hour cut) and closes the old one
   * then (make-before-break). Time 0 is the start of that window. Absent: the drop comes first and the client
   * waits the back-off's first delay, as the web app does after a close.
   */
  plannedReconnect?: PlannedReconnectOptions;
  newConnectionsPerSecond: number;
  newConnectionBurst: number;
  lambda: LambdaModel;
  /** Warm ms and cold-start ms (init, plus the JWKS fetch for the authorizer) per function. */
  warmMs: Record<StormFunction, number>;
  initMs: Record<StormFunction, number>;
  /** Table writes per second (on-demand: the level it has already reached) and units per put or delete. */
  writeUnitsPerSecond: number;
  writeUnitsPerItem: number;
  /** One network leg between the client and API Gateway. */
  clientLegMs: number;
  /** Stop here even if clients are still waiting. */
  horizonMs: number;
}

export interface StormResult {
  clients: number;
  connected: number;
  gaveUp: number;
  /** Still waiting for a retry (or in a handshake) when the horizon was reached. */
  pending: number;
  /** ms from the first drop until 50% / 99% / all were connected; undefined if never reached. */
  t50Ms?: number;
  t99Ms?: number;
  t100Ms?: number;
  /** Per client, from losing (or, make-before-break, replacing) its connection to the new one: p99 and max. */
  gapP99Ms?: number;
  gapMaxMs?: number;
  handshakes: number;
  throttledByQuota: number;
  throttledByLambda: number;
  throttledByDynamoDb: number;
  coldStarts: Record<StormFunction, number>;
  /** Each cold authorizer environment fetches the JWKS when its module loads. */
  jwksFetches: number;
  disconnectsLost: number;
  peakConcurrency: number;
  /** Highest number of handshakes accepted in any one second. */
  peakAcceptedPerSecond: number;
  maxAttempt: number;
  events: number;
}

type Ev =
  | { at: number; seq: number; kind: 'drop'; client: number }
  | { at: number; seq: number; kind: 'attempt'; client: number }
  | { at: number; seq: number; kind: 'fail'; client: number }
  | { at: number; seq: number; kind: 'connected'; client: number }
  | { at: number; seq: number; kind: 'done'; fn: StormFunction; client: number };

type Untimed<T> = T extends unknown ? Omit<T, 'at' | 'seq'> : never;
type EvBody = Untimed<Ev>;

interface Pool {
  envs: number;
  busy: number;
  scale?: TokenBucket;
  waiting: Array<(at: number, cold: boolean) => void>;
}

export function simulateStorm(p: StormParams): StormResult {
  const random = seededRandom(p.seed);
  const queue = new EventQueue<Ev>();
  let seq = 0;
  const at = (t: number, e: EvBody): void => queue.push({ ...e, at: t, seq: seq++ });

  const quota = new TokenBucket(p.newConnectionsPerSecond, p.newConnectionBurst);
  const table = new TokenBucket(p.writeUnitsPerSecond, p.writeUnitsPerSecond);
  const pools = {} as Record<StormFunction, Pool>;
  for (const fn of STORM_FUNCTIONS)
    pools[fn] =
      p.lambda.kind === 'aws'
        ? {
            envs: p.lambda.warmEnvs,
            busy: 0,
            scale: new TokenBucket(p.lambda.scalePer10s / 10, p.lambda.scalePer10s),
            waiting: [],
          }
        : { envs: 0, busy: 0, waiting: [] };

  const attempt = new Array<number>(p.clients).fill(0);
  const droppedAt = new Array<number>(p.clients).fill(0);
  const connectedAt: number[] = [];
  const gaps: number[] = [];
  const r: StormResult = {
    clients: p.clients,
    connected: 0,
    gaveUp: 0,
    pending: 0,
    handshakes: 0,
    throttledByQuota: 0,
    throttledByLambda: 0,
    throttledByDynamoDb: 0,
    coldStarts: { authorizer: 0, connect: 0, disconnect: 0 },
    jwksFetches: 0,
    disconnectsLost: 0,
    peakConcurrency: 0,
    peakAcceptedPerSecond: 0,
    maxAttempt: 0,
    events: 0,
  };
  const acceptedPerSecond = new Map<number, number>();
  let busyTotal = 0;

  /** Starts `fn` at time t: calls `run(startAt, cold)` now or when an environment frees; false if throttled. */
  const invoke = (fn: StormFunction, t: number, run: (start: number, cold: boolean) => void): boolean => {
    const pool = pools[fn];
    const start = (cold: boolean): void => {
      pool.busy += 1;
      busyTotal += 1;
      r.peakConcurrency = Math.max(r.peakConcurrency, busyTotal);
      if (cold) {
        r.coldStarts[fn] += 1;
        if (fn === 'authorizer') r.jwksFetches += 1;
      }
      run(t, cold);
    };
    // The account limit counts invocations in flight, on warm environments too.
    if (p.lambda.kind === 'aws' && busyTotal >= p.lambda.accountConcurrency) return false;
    if (pool.busy < pool.envs) {
      start(false);
      return true;
    }
    if (p.lambda.kind === 'aws') {
      if (!pool.scale?.take(t)) return false;
      pool.envs += 1;
      start(true);
      return true;
    }
    if (pool.envs < p.lambda.workers) {
      pool.envs += 1;
      start(true);
      return true;
    }
    pool.waiting.push((startAt, cold) => {
      pool.busy += 1;
      busyTotal += 1;
      r.peakConcurrency = Math.max(r.peakConcurrency, busyTotal);
      run(startAt, cold);
    });
    return true;
  };
  const release = (fn: StormFunction, t: number): void => {
    const pool = pools[fn];
    pool.busy -= 1;
    busyTotal -= 1;
    const next = pool.waiting.shift();
    if (next) next(t, false);
  };
  const duration = (fn: StormFunction, cold: boolean): number => p.warmMs[fn] + (cold ? p.initMs[fn] : 0);

  const scheduleRetry = (client: number, t: number): void => {
    attempt[client] = (attempt[client] as number) + 1;
    r.maxAttempt = Math.max(r.maxAttempt, attempt[client]);
    const delay = backoffDelay(attempt[client], random, p.backoff);
    if (delay === undefined) r.gaveUp += 1;
    else at(t + delay, { kind: 'attempt', client });
  };

  for (let c = 0; c < p.clients; c += 1) {
    const dropAt = p.dropSpreadMs > 0 ? random() * p.dropSpreadMs : 0;
    if (p.plannedReconnect) {
      // Make-before-break: the new connection is attempted first; the old one closes when it is replaced.
      const windowStart = p.plannedReconnect.maxConnectionMs - p.plannedReconnect.windowMs;
      const first = dropAt + plannedReconnectDelay(random, p.plannedReconnect) - windowStart;
      at(first, { kind: 'attempt', client: c });
      at(first, { kind: 'drop', client: c });
    } else {
      at(dropAt, { kind: 'drop', client: c });
    }
  }

  for (let ev = queue.pop(); ev !== undefined; ev = queue.pop()) {
    if (ev.at > p.horizonMs) break;
    r.events += 1;
    const t = ev.at;
    const client = ev.client;
    switch (ev.kind) {
      case 'drop': {
        droppedAt[client] = t;
        const ran = invoke('disconnect', t, (start, cold) => {
          at(start + duration('disconnect', cold), { kind: 'done', fn: 'disconnect', client });
        });
        if (!ran) r.disconnectsLost += 1;
        if (!p.plannedReconnect) scheduleRetry(client, t);
        break;
      }
      case 'attempt': {
        r.handshakes += 1;
        const arrive = t + p.clientLegMs;
        if (!quota.take(arrive)) {
          r.throttledByQuota += 1;
          at(arrive + p.clientLegMs, { kind: 'fail', client });
          break;
        }
        const second = Math.floor(arrive / 1000);
        const accepted = (acceptedPerSecond.get(second) ?? 0) + 1;
        acceptedPerSecond.set(second, accepted);
        r.peakAcceptedPerSecond = Math.max(r.peakAcceptedPerSecond, accepted);
        const ran = invoke('authorizer', arrive, (start, cold) => {
          at(start + duration('authorizer', cold), { kind: 'done', fn: 'authorizer', client });
        });
        if (!ran) {
          r.throttledByLambda += 1;
          at(arrive + p.clientLegMs, { kind: 'fail', client });
        }
        break;
      }
      case 'done': {
        release(ev.fn, t);
        if (ev.fn === 'disconnect') {
          if (!table.take(t, p.writeUnitsPerItem)) r.disconnectsLost += 1;
        } else if (ev.fn === 'authorizer') {
          const ran = invoke('connect', t, (start, cold) => {
            at(start + duration('connect', cold), { kind: 'done', fn: 'connect', client });
          });
          if (!ran) {
            r.throttledByLambda += 1;
            at(t + p.clientLegMs, { kind: 'fail', client });
          }
        } else if (!table.take(t, p.writeUnitsPerItem)) {
          r.throttledByDynamoDb += 1;
          at(t + p.clientLegMs, { kind: 'fail', client });
        } else {
          at(t + p.clientLegMs, { kind: 'connected', client });
        }
        break;
      }
      case 'fail':
        scheduleRetry(client, t);
        break;
      case 'connected':
        r.connected += 1;
        connectedAt.push(t);
        gaps.push(t - (droppedAt[client] as number));
        break;
    }
  }

  r.pending = p.clients - r.connected - r.gaveUp;
  connectedAt.sort((a, b) => a - b);
  const when = (share: number): number | undefined => {
    const n = Math.ceil(share * p.clients);
    return connectedAt.length >= n ? connectedAt[n - 1] : undefined;
  };
  const t50 = when(0.5);
  const t99 = when(0.99);
  const t100 = when(1);
  if (t50 !== undefined) r.t50Ms = t50;
  if (t99 !== undefined) r.t99Ms = t99;
  if (t100 !== undefined) r.t100Ms = t100;
  if (gaps.length > 0) {
    gaps.sort((a, b) => a - b);
    r.gapP99Ms = gaps[Math.min(gaps.length, Math.ceil(0.99 * gaps.length)) - 1];
    r.gapMaxMs = gaps[gaps.length - 1];
  }
  return r;
}
