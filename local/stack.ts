// The whole system on localhost: Cognito-compatible issuer, DynamoDB (dynalite), the WebSocket gateway
// running the built Lambda bundles in isolated workers, and the web app. Used by `make local` (main.ts),
// the integration tests, the load test and the web app's e2e test.
import { createServer } from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startIssuer, type RunningIssuer } from './issuer/index.ts';
import type { IssuerUser } from './issuer/users.ts';
import { FunctionPool, type Invoke } from './lambda-runner/pool.ts';
import { startGateway, type RunningGateway } from './gateway/server.ts';
import { ensureConnectionsTable, localDynamoClient, startDynamo, sweepExpired, type DynamoServer } from './dynamodb.ts';
import { bundlePath, bundlesStale, runBuild, FUNCTION_NAMES, type FunctionName } from './bundles.ts';
import { createStackLog, type StackLog, type StackLogLevel } from './stack-log.ts';
import { loadConfig as loadAuthorizerConfig } from '../functions/authorizer/config.ts';
import { loadConnectionConfig } from '../functions/shared/connection-config.ts';
import { ConfigError } from '../functions/shared/env.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface StackConfig {
  websocketUrl: string;
  managementEndpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  redirectUri: string;
  issuer: string;
  jwksUri: string;
  hostedUiUrl: string;
  dynamodbEndpoint: string;
  tableName: string;
  webUrl: string;
}

export interface RunningStack {
  config: StackConfig;
  /** The demo user's credentials, for banners and tests. */
  demoUser: { username: string; password: string };
  /** The pieces, for tests that need to look inside (e.g. rotate issuer keys, count workers). */
  issuer: RunningIssuer;
  gateway: RunningGateway;
  pools: Record<string, FunctionPool>;
  stop(): Promise<void>;
}

export interface CustomRoute {
  /** CommonJS bundle with `exports.handler`. */
  bundlePath: string;
  env?: Record<string, string>;
}

export interface StackOptions {
  host?: string;
  /** Defaults: web 3000, gateway 3001, issuer 9229, dynamodb 8000; 0 picks a free port. */
  ports?: { web?: number; gateway?: number; issuer?: number; dynamodb?: number };
  stage?: string;
  region?: string;
  clientId?: string;
  tableName?: string;
  /** Directory to persist DynamoDB data in; in memory when absent. */
  dynamodbPath?: string;
  accessTokenTtlSeconds?: number;
  idTokenTtlSeconds?: number;
  demoUser?: { username: string; password: string };
  /** More users (e.g. with groups) besides the demo user. */
  users?: IssuerUser[];
  /** Per-function environment overrides, e.g. { authorizer: { REQUIRED_SCOPES: 'openid' } }. */
  functionEnv?: Partial<Record<FunctionName, Record<string, string>>>;
  /** API Gateway identity sources of the authorizer (none by default: the authorizer decides). */
  identitySources?: string[];
  idleTimeoutMs?: number;
  maxConnectionDurationMs?: number;
  /** Custom routes (route key → bundle) beside $default. */
  routes?: Record<string, CustomRoute>;
  /** Serve the web app (default true when web/server.ts exists). */
  web?: boolean;
  distDir?: string;
  /**
   * true (default): rebuild bundles missing or older than their sources; 'if-missing': only when one is
   * missing (tests: `make test` has just built them); false: never.
   */
  build?: boolean | 'if-missing';
  functionTimeoutMs?: number;
  /** Workers per function, like Lambda's concurrency limit (default 4). */
  maxConcurrency?: number;
  /** How often expired items are swept (dynalite has no TTL); 0 disables. Default 60 s. */
  ttlSweepIntervalMs?: number;
  /** Best-effort $disconnect: return false to lose a connection's $disconnect (tests of stale items). */
  deliverDisconnect?: (connectionId: string) => boolean;
  logLevel?: StackLogLevel;
  /** Where log lines go (default stdout). */
  logSink?: (line: string) => void;
}

/** A start failure with a message meant for a person, not a stack trace. */
export class StackStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackStartError';
  }
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Wraps listen failures into one clear sentence naming the component, port and variable. */
function describeListenError(err: unknown, what: string, port: number, variable: string): Error {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'EADDRINUSE' || /already in use|EADDRINUSE/.test(message)) {
    return new StackStartError(
      `${what} cannot start: port ${port} is already in use (set ${variable} to another port, or 0 for a free one)`,
    );
  }
  if (code === 'EACCES' || /permission denied|EACCES/i.test(message)) {
    return new StackStartError(`${what} cannot start: permission denied for port ${port} (set ${variable})`);
  }
  return new StackStartError(`${what} cannot start: ${message}`);
}

type WebServer = { url: string; port: number; close(): Promise<void> };
type StartWebServer = (opts: {
  host?: string;
  port: number;
  config: {
    hostedUiUrl: string;
    clientId: string;
    websocketUrl: string;
    redirectUri: string;
    logoutUri: string;
    scopes: string[];
  };
}) => Promise<WebServer>;

/**
 * Checks the function environments with the functions' own parsers before anything starts, so a bad
 * REQUIRED_SCOPES stops the stack at once instead of failing every connection. Endpoints and the pool id are
 * placeholders here; the real ones are generated by the stack and always valid.
 */
function validateFunctionEnv(options: StackOptions, region: string, tableName: string): void {
  try {
    loadAuthorizerConfig({
      USER_POOL_ID: `${region}_local0001`,
      CLIENT_IDS: options.clientId ?? 'localwebclient0000000000a1',
      ISSUER: 'http://127.0.0.1:1/pool',
      JWKS_URI: 'http://127.0.0.1:1/pool/.well-known/jwks.json',
      ...options.functionEnv?.authorizer,
    });
    for (const name of ['connect', 'default', 'disconnect'] as const) {
      loadConnectionConfig({
        CONNECTIONS_TABLE: tableName,
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
        AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:1/dev',
        ...options.functionEnv?.[name],
      });
    }
  } catch (err) {
    if (err instanceof ConfigError) throw new StackStartError(err.message);
    throw err;
  }
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const host = options.host ?? '127.0.0.1';
  const stage = options.stage ?? 'dev';
  const region = options.region ?? 'us-east-1';
  const clientId = options.clientId ?? 'localwebclient0000000000a1';
  const tableName = options.tableName ?? 'connections-local';
  const demoUser = options.demoUser ?? { username: 'demo', password: 'Demo-passw0rd!' };
  const distDir = options.distDir ?? path.join(root, 'dist');
  const ports = { web: 3000, gateway: 3001, issuer: 9229, dynamodb: 8000, ...options.ports };
  const log: StackLog = createStackLog(options.logLevel ?? 'info', options.logSink);
  const webServerPath = path.join(root, 'web', 'server.ts');
  const wantWeb = options.web ?? existsSync(webServerPath);

  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (err) {
        log.emit('warn', 'stack', 'stop_failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  };

  try {
    validateFunctionEnv(options, region, tableName);
    const build = options.build ?? true;
    const missing = FUNCTION_NAMES.some((name) => !existsSync(bundlePath(distDir, name)));
    if ((build === true && bundlesStale(root, distDir)) || (build === 'if-missing' && missing)) {
      log.emit('info', 'stack', 'building_functions', {});
      await runBuild(root, distDir);
    }
    for (const name of FUNCTION_NAMES) {
      if (!existsSync(bundlePath(distDir, name))) {
        throw new StackStartError(
          `missing ${path.relative(root, bundlePath(distDir, name))}: run \`make build\` first`,
        );
      }
    }

    // The web port must be known before the issuer starts: it is the client's registered callback.
    const webPort = ports.web === 0 ? await freePort(host) : ports.web;
    const redirectUri = `http://localhost:${webPort}/`;

    const dynamo: DynamoServer = await startDynamo({
      host,
      port: ports.dynamodb,
      ...(options.dynamodbPath ? { path: options.dynamodbPath } : {}),
    }).catch((err: unknown) => {
      throw describeListenError(err, 'DynamoDB (dynalite)', ports.dynamodb, 'DYNAMODB_PORT');
    });
    cleanups.push(() => dynamo.close());
    const dynamoClient = localDynamoClient(dynamo.endpoint, region);
    cleanups.push(() => Promise.resolve(dynamoClient.destroy()));
    const table = await ensureConnectionsTable(dynamoClient, tableName);
    log.emit('info', 'dynamodb', 'table_ready', {
      tableName,
      created: table.created,
      ttl: table.ttl === 'enabled' ? 'native' : 'emulated_by_sweeper',
    });

    const issuer = await startIssuer({
      host,
      port: ports.issuer,
      region,
      clients: [{ clientId, callbackUrls: [redirectUri], logoutUrls: [redirectUri] }],
      users: [{ ...demoUser, email: `${demoUser.username}@example.com` }, ...(options.users ?? [])],
      ...(options.accessTokenTtlSeconds === undefined ? {} : { accessTokenTtlSeconds: options.accessTokenTtlSeconds }),
      ...(options.idTokenTtlSeconds === undefined ? {} : { idTokenTtlSeconds: options.idTokenTtlSeconds }),
      log: (line) => log.forward('issuer', line),
    }).catch((err: unknown) => {
      throw describeListenError(err, 'Issuer', ports.issuer, 'ISSUER_PORT');
    });
    cleanups.push(() => issuer.close());

    const awsEnv = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    };
    const authorizerEnv: Record<string, string> = {
      USER_POOL_ID: issuer.poolId,
      CLIENT_IDS: clientId,
      TOKEN_USE: 'access',
      TOKEN_SOURCES: 'header,query,protocol',
      TOKEN_HEADER: 'Authorization',
      TOKEN_QUERY_PARAM: 'token',
      REQUIRED_SCOPES: '',
      ALLOWED_GROUPS: '',
      ISSUER: issuer.issuer,
      JWKS_URI: issuer.jwksUri,
      AWS_REGION: region,
      ...options.functionEnv?.authorizer,
    };
    const connectionEnv = (name: FunctionName, managementEndpoint: string): Record<string, string> => ({
      CONNECTIONS_TABLE: tableName,
      CONNECTION_TTL_SECONDS: String(Math.ceil((options.maxConnectionDurationMs ?? 7_200_000) / 1000) + 60),
      STORED_HEADERS: 'user-agent,origin',
      TOKEN_QUERY_PARAM: authorizerEnv.TOKEN_QUERY_PARAM ?? 'token',
      ...awsEnv,
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: managementEndpoint,
      ...options.functionEnv?.[name],
    });

    const pools: Record<string, FunctionPool> = {};
    const output = (fn: string, _stream: 'stdout' | 'stderr', line: string): void => log.forward(fn, line);
    const makePool = (name: string, file: string, env: Record<string, string>): FunctionPool => {
      const pool = new FunctionPool(
        {
          name,
          bundlePath: file,
          env,
          timeoutMs: options.functionTimeoutMs ?? 10_000,
          maxConcurrency: options.maxConcurrency ?? 4,
        },
        output,
      );
      pools[name] = pool;
      return pool;
    };
    for (const name of FUNCTION_NAMES)
      makePool(name, bundlePath(distDir, name), name === 'authorizer' ? authorizerEnv : {});
    const routes: Record<string, Invoke> = {};
    for (const [key, route] of Object.entries(options.routes ?? {})) {
      routes[key] = makePool(`route:${key}`, route.bundlePath, { ...awsEnv, ...route.env }).invoke;
    }
    cleanups.push(async () => {
      await Promise.all(Object.values(pools).map((pool) => pool.close()));
    });

    const gateway = await startGateway({
      host,
      port: ports.gateway,
      stage,
      region,
      functions: {
        authorizer: (pools.authorizer as FunctionPool).invoke,
        connect: (pools.connect as FunctionPool).invoke,
        default: (pools.default as FunctionPool).invoke,
        disconnect: (pools.disconnect as FunctionPool).invoke,
        routes,
      },
      ...(options.identitySources ? { identitySources: options.identitySources } : {}),
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
      ...(options.maxConnectionDurationMs === undefined
        ? {}
        : { maxConnectionDurationMs: options.maxConnectionDurationMs }),
      ...(options.deliverDisconnect ? { deliverDisconnect: options.deliverDisconnect } : {}),
      log: (level, reason, fields) => log.emit(level, 'gateway', reason, fields ?? {}),
    }).catch((err: unknown) => {
      throw describeListenError(err, 'WebSocket gateway', ports.gateway, 'GATEWAY_PORT');
    });
    cleanups.push(() => gateway.close());
    // Workers start lazily, so the management endpoint (known only now) is in place before the first one.
    for (const name of ['connect', 'default', 'disconnect'] as const) {
      (pools[name] as FunctionPool).setEnvironment(connectionEnv(name, gateway.managementEndpoint));
    }
    for (const [key, route] of Object.entries(options.routes ?? {})) {
      (pools[`route:${key}`] as FunctionPool).setEnvironment({
        ...awsEnv,
        AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: gateway.managementEndpoint,
        ...route.env,
      });
    }

    const sweepEvery = options.ttlSweepIntervalMs ?? 60_000;
    if (table.ttl === 'unsupported' && sweepEvery > 0) {
      let sweeping = false;
      const timer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        sweepExpired(dynamoClient, tableName, Date.now())
          .then((n) => n > 0 && log.emit('info', 'dynamodb', 'ttl_expired_items_deleted', { count: n }))
          .catch((err: unknown) =>
            log.emit('warn', 'dynamodb', 'ttl_sweep_failed', {
              error: err instanceof Error ? err.message : String(err),
            }),
          )
          .finally(() => (sweeping = false));
      }, sweepEvery);
      timer.unref();
      cleanups.push(() => Promise.resolve(clearInterval(timer)));
    }

    if (wantWeb) {
      const mod = (await import(pathToFileURL(webServerPath).href)) as { startWebServer: StartWebServer };
      const web = await mod
        .startWebServer({
          host,
          port: webPort,
          config: {
            hostedUiUrl: issuer.url,
            clientId,
            websocketUrl: gateway.websocketUrl,
            redirectUri,
            logoutUri: redirectUri,
            scopes: ['openid', 'email', 'profile'],
          },
        })
        .catch((err: unknown) => {
          throw describeListenError(err, 'Web app', webPort, 'WEB_PORT');
        });
      cleanups.push(() => web.close());
    }

    const config: StackConfig = {
      websocketUrl: gateway.websocketUrl,
      managementEndpoint: gateway.managementEndpoint,
      region,
      userPoolId: issuer.poolId,
      clientId,
      redirectUri,
      issuer: issuer.issuer,
      jwksUri: issuer.jwksUri,
      hostedUiUrl: issuer.url,
      dynamodbEndpoint: dynamo.endpoint,
      tableName,
      webUrl: redirectUri,
    };
    let stopping: Promise<void> | undefined;
    return {
      config,
      demoUser,
      issuer,
      gateway,
      pools,
      // Gateway first (closes sockets with 1001 and waits for every $disconnect), then workers, then servers.
      stop: () => (stopping ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
