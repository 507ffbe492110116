// Starts the gateway over fixture Lambdas (test/integration/fixtures/lambdas) with a recorder that collects
// every event the fixtures receive.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FunctionPool, type FunctionSpec } from '../../../local/lambda-runner/pool.ts';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../../local/gateway/server.ts';
import type { Logger } from '../../../functions/shared/log.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lambdas');

/** An event as a fixture Lambda recorded it: the fields the tests read are typed, the rest stays unknown. */
export interface RecordedEvent {
  [field: string]: unknown;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  requestContext: Record<string, unknown> & {
    authorizer?: Record<string, unknown>;
    identity?: Record<string, unknown>;
  };
}

export interface Recorded {
  fn: string;
  event: RecordedEvent;
}

export interface FixtureGateway {
  gateway: RunningGateway;
  pools: Record<string, FunctionPool>;
  events: Recorded[];
  logs: string[];
  eventsOf(fn: string): Recorded['event'][];
  stop(): Promise<void>;
}

export interface FixtureOptions {
  gateway?: Partial<Omit<GatewayOptions, 'functions' | 'log'>>;
  /** Which functions exist; default all of authorizer, connect, default, disconnect. */
  functions?: Array<'authorizer' | 'connect' | 'default' | 'disconnect'>;
  routes?: Record<string, { env?: Record<string, string> }>;
  pool?: Partial<FunctionSpec>;
  env?: Record<string, Record<string, string>>;
}

export async function startFixtureGateway(options: FixtureOptions = {}): Promise<FixtureGateway> {
  const events: Recorded[] = [];
  const logs: string[] = [];
  const recorder = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      events.push(JSON.parse(body) as Recorded);
      res.end();
    });
  });
  await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
  const recorderUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}/`;

  const log: Logger = (level, reason, fields = {}) => logs.push(JSON.stringify({ level, reason, ...fields }));
  const pools: Record<string, FunctionPool> = {};
  let managementEndpoint = '';
  let credentials = { accessKeyId: '', secretAccessKey: '' };
  let region = 'us-east-1';
  const envFor = (name: string): Record<string, string> => ({
    RECORDER_URL: recorderUrl,
    FIXTURE_NAME: name,
    AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: managementEndpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(options.env?.[name] ?? {}),
  });
  // The management endpoint is known only once the gateway listens; pools start workers lazily, so the
  // environment is completed before any worker exists.
  const makePool = (name: string, file: string): FunctionPool => {
    const spec: FunctionSpec = {
      name,
      bundlePath: path.join(fixtures, file),
      env: {},
      timeoutMs: 5000,
      ...options.pool,
    };
    const pool = new FunctionPool(spec, (fn, _stream, line) => logs.push(`${fn}: ${line}`));
    pools[name] = pool;
    return pool;
  };
  type Fn = 'authorizer' | 'connect' | 'default' | 'disconnect';
  const wanted = new Set<Fn>(options.functions ?? ['authorizer', 'connect', 'default', 'disconnect']);
  const files: Record<string, string> = {
    authorizer: 'authorizer.cjs',
    connect: 'connect.cjs',
    default: 'echo.cjs',
    disconnect: 'disconnect.cjs',
  };
  const fns: GatewayOptions['functions'] = { routes: {} };
  for (const name of wanted) {
    const pool = makePool(name, files[name] as string);
    fns[name] = pool.invoke;
  }
  for (const route of Object.keys(options.routes ?? {})) {
    (fns.routes as Record<string, FunctionPool['invoke']>)[route] = makePool(route, 'echo.cjs').invoke;
  }
  const gateway = await startGateway({ ...options.gateway, functions: fns, log });
  managementEndpoint = gateway.managementEndpoint;
  credentials = gateway.credentials;
  region = gateway.api.region;
  for (const [name, pool] of Object.entries(pools)) {
    pool.setEnvironment({ ...envFor(name), ...(options.routes?.[name]?.env ?? {}) });
  }
  return {
    gateway,
    pools,
    events,
    logs,
    eventsOf: (fn) => events.filter((e) => e.fn === fn).map((e) => e.event),
    stop: async () => {
      await gateway.close();
      await Promise.all(Object.values(pools).map((p) => p.close()));
      recorder.closeAllConnections();
      await new Promise<void>((r) => recorder.close(() => r()));
    },
  };
}
