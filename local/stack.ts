// The whole system on localhost: Cognito-compatible issuer, DynamoDB (dynalite behind a SigV4 gate), the
// WebSocket gateway running the built Lambda bundles in isolated workers, the Lambda Invoke API, and the web
// app. Used by `make local` (main.ts), the integration tests, the load test and the web app's e2e test.
// Function environments live in function-env.ts, the TTL sweeper in ttl-sweeper.ts.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startIssuer, type RunningIssuer } from './issuer/index.ts';
import type { IssuerUser } from './issuer/users.ts';
import { FunctionPool, type Invoke } from './lambda-runner/pool.ts';
import { startGateway, type RunningGateway } from './gateway/server.ts';
import { ensureConnectionsTable, ensureRevocationsTable, localDynamoClient } from './dynamodb.ts';
import { startGuardedDynamo, type DynamoServer } from './dynamodb-endpoint.ts';
import { startLambdaApi } from './lambda-api/server.ts';
import { generateCredentials, type LocalCredentials } from './aws-auth/index.ts';
import { bundlePath, bundlesStale, runBuild, FUNCTION_NAMES, type FunctionName } from './bundles.ts';
import { createStackLog, type StackLog, type StackLogLevel } from './stack-log.ts';
import { LOCAL_CLIENT_SCOPES, stackSettingsFromEnv, ungrantableScopes, type StackSettings } from './stack-settings.ts';
import { functionEnvironment, type FunctionEnvInput, type FunctionEnvOverrides } from './function-env.ts';
import { startTtlSweeper } from './ttl-sweeper.ts';
import { startWebServer } from '../web/server.ts';
import { loadConfig as loadAuthorizerConfig } from '../functions/authorizer/config.ts';
import { loadConnectionConfig } from '../functions/shared/connection-config.ts';
import { ConfigError } from '../functions/shared/env.ts';
import { DEMO_USER } from '../shared/demo-user.ts';
import { freePort } from './ports.ts';
import type { WebConfig } from '../web/src/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The web app's fields (hosted UI, client, WebSocket URL, redirect) keep the web app's types and comments. */
export interface StackConfig extends Pick<WebConfig, 'websocketUrl' | 'clientId' | 'redirectUri' | 'hostedUiUrl'> {
  managementEndpoint: string;
  region: string;
  userPoolId: string;
  issuer: string;
  jwksUri: string;
  dynamodbEndpoint: string;
  tableName: string;
  /** Absent when revocation is off (REVOCATION_ENABLED=0). */
  revocationsTableName?: string;
  webUrl: string;
  /** The Lambda Invoke API: POST {lambdaEndpoint}/2015-03-31/functions/{name}/invocations. */
  lambdaEndpoint: string;
  /** Function → the name the Invoke API accepts. */
  functionNames: Record<FunctionName, string>;
  /** Generated per run; every local AWS-API endpoint verifies SigV4 with them. */
  credentials: LocalCredentials;
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
  /**
   * Defaults: web 3000, gateway 3001, Lambda Invoke 3002, issuer 9229, dynamodb 8000; 0 picks a free port.
   * The Invoke API takes a free port too when the gateway's is 0 and its own is not given.
   */
  ports?: { web?: number; gateway?: number; lambda?: number; issuer?: number; dynamodb?: number };
  stage?: string;
  region?: string;
  clientId?: string;
  tableName?: string;
  revocationsTableName?: string;
  /** Directory to persist DynamoDB data in; in memory when absent. */
  dynamodbPath?: string;
  /** Directory for state kept across restarts (issuer signing keys and users); none when absent. */
  stateDir?: string;
  accessTokenTtlSeconds?: number;
  idTokenTtlSeconds?: number;
  demoUser?: { username: string; password: string };
  /** More users (e.g. with groups) besides the demo user. */
  users?: IssuerUser[];
  /**
   * Values read as if they were `make local`'s environment: MAX_CONNECTIONS_PER_USER, CONTEXT_CLAIMS,
   * COGNITO_REVOCATION_CHECK, THROTTLING_*, STORED_HEADERS, LOCAL_USER_CLAIMS, ... (local/stack-settings.ts).
   */
  env?: Record<string, string>;
  /**
   * Overrides of the functions' environments: a string value applies to every function, last (e.g.
   * AWS_ENDPOINT_URL_DYNAMODB pointing at a test's proxy); an object under a function's name (e.g.
   * `{ authorizer: { REQUIRED_SCOPES: 'openid' } }`) applies to that function only.
   */
  functionEnv?: FunctionEnvOverrides;
  /** API Gateway identity sources of the authorizer (none by default: the authorizer decides). */
  identitySources?: string[];
  idleTimeoutMs?: number;
  maxConnectionDurationMs?: number;
  /** Custom routes (route key → bundle) beside $default and refresh. */
  routes?: Record<string, CustomRoute>;
  /** Serve the web app (default true). */
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

/**
 * Checks the function environments with the functions' own parsers before anything starts, so a bad
 * REQUIRED_SCOPES stops the stack at once instead of failing every connection. Endpoints and the pool id are
 * placeholders here; the real ones are generated by the stack and always valid.
 */
function validateFunctionEnv(input: FunctionEnvInput): void {
  try {
    loadAuthorizerConfig(functionEnvironment('authorizer', input));
    for (const name of ['connect', 'default', 'disconnect'] as const) {
      loadConnectionConfig(functionEnvironment(name, input));
    }
  } catch (err) {
    if (err instanceof ConfigError) throw new StackStartError(err.message);
    throw err;
  }
}

function settingsOf(options: StackOptions): StackSettings {
  try {
    return stackSettingsFromEnv(options.env ?? {});
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
  const demoUser = options.demoUser ?? { username: DEMO_USER.username, password: DEMO_USER.password };
  const distDir = options.distDir ?? path.join(root, 'dist');
  const ports = {
    web: 3000,
    gateway: 3001,
    issuer: 9229,
    dynamodb: 8000,
    ...options.ports,
    lambda: options.ports?.lambda ?? (options.ports?.gateway === 0 ? 0 : 3002),
  };
  const log: StackLog = createStackLog(options.logLevel ?? 'info', options.logSink);
  const wantWeb = options.web ?? true;
  const credentials = generateCredentials();

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
    const settings = settingsOf(options);
    const revocationsTableName = settings.revocation
      ? (options.revocationsTableName ?? 'revocations-local')
      : undefined;
    const connectionTtlSeconds = Math.ceil((options.maxConnectionDurationMs ?? 7_200_000) / 1000) + 60;
    const envInput = (fields: {
      dynamodbEndpoint: string;
      managementEndpoint: string;
      issuer: FunctionEnvInput['issuer'];
    }): FunctionEnvInput => ({
      region,
      credentials,
      tableName,
      ...(revocationsTableName === undefined ? {} : { revocationsTableName }),
      clientId,
      connectionTtlSeconds,
      settings,
      ...(options.functionEnv ? { overrides: options.functionEnv } : {}),
      ...fields,
    });
    validateFunctionEnv(
      envInput({
        dynamodbEndpoint: 'http://127.0.0.1:1',
        managementEndpoint: 'http://127.0.0.1:1/dev',
        issuer: {
          poolId: `${region}_local0001`,
          issuer: 'http://127.0.0.1:1/pool',
          jwksUri: 'http://127.0.0.1:1/pool/.well-known/jwks.json',
          url: 'http://127.0.0.1:1',
        },
      }),
    );
    const requiredScopes =
      typeof options.functionEnv?.authorizer === 'object'
        ? (options.functionEnv.authorizer.REQUIRED_SCOPES ?? settings.auth.REQUIRED_SCOPES)
        : settings.auth.REQUIRED_SCOPES;
    const ungrantable = ungrantableScopes(requiredScopes);
    if (ungrantable.length > 0) {
      log.emit('warn', 'stack', 'required_scopes_never_granted', {
        message:
          `REQUIRED_SCOPES names ${ungrantable.join(', ')}, which the local client can never grant ` +
          `(it grants ${LOCAL_CLIENT_SCOPES.join(' ')}): every connection will be refused`,
      });
    }

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

    const dynamo: DynamoServer = await startGuardedDynamo({
      host,
      port: ports.dynamodb,
      region,
      credentials,
      ...(options.dynamodbPath ? { path: options.dynamodbPath } : {}),
    }).catch((err: unknown) => {
      throw describeListenError(err, 'DynamoDB (dynalite)', ports.dynamodb, 'DYNAMODB_PORT');
    });
    cleanups.push(() => dynamo.close());
    const dynamoClient = localDynamoClient(dynamo.endpoint, region, credentials);
    cleanups.push(() => Promise.resolve(dynamoClient.destroy()));
    const table = await ensureConnectionsTable(dynamoClient, tableName);
    log.emit('info', 'dynamodb', 'table_ready', {
      tableName,
      created: table.created,
      ttl: table.ttl === 'enabled' ? 'native' : 'emulated_by_sweeper',
    });
    if (revocationsTableName !== undefined) {
      const revocations = await ensureRevocationsTable(dynamoClient, revocationsTableName);
      log.emit('info', 'dynamodb', 'table_ready', { tableName: revocationsTableName, created: revocations.created });
    }

    const issuer = await startIssuer({
      host,
      port: ports.issuer,
      region,
      clients: [
        { clientId, callbackUrls: [redirectUri], logoutUrls: [redirectUri], allowedScopes: LOCAL_CLIENT_SCOPES },
      ],
      users: [{ ...demoUser, email: `${demoUser.username}@example.com` }, ...(options.users ?? [])],
      // The Cognito JSON API's admin operations verify SigV4 with the stack's credentials.
      awsCredentials: credentials,
      ...(options.stateDir === undefined ? {} : { stateDir: path.join(options.stateDir, 'issuer') }),
      ...(settings.userClaims === undefined ? {} : { userClaims: settings.userClaims }),
      ...(options.accessTokenTtlSeconds === undefined ? {} : { accessTokenTtlSeconds: options.accessTokenTtlSeconds }),
      ...(options.idTokenTtlSeconds === undefined ? {} : { idTokenTtlSeconds: options.idTokenTtlSeconds }),
      log: (line) => log.forward('issuer', line),
    }).catch((err: unknown) => {
      if (err instanceof Error && !/EADDRINUSE|EACCES|in use|permission/i.test(err.message)) {
        throw new StackStartError(`Issuer cannot start: ${err.message}`);
      }
      throw describeListenError(err, 'Issuer', ports.issuer, 'ISSUER_PORT');
    });
    cleanups.push(() => issuer.close());

    const pools: Record<string, FunctionPool> = {};
    const output = (fn: string, _stream: 'stdout' | 'stderr', line: string): void => log.forward(fn, line);
    const makePool = (name: string, file: string): FunctionPool => {
      const pool = new FunctionPool(
        {
          name,
          bundlePath: file,
          // Set below, once the gateway's management endpoint is known: workers start lazily.
          env: {},
          timeoutMs: options.functionTimeoutMs ?? 10_000,
          maxConcurrency: options.maxConcurrency ?? 4,
        },
        output,
      );
      pools[name] = pool;
      return pool;
    };
    for (const name of FUNCTION_NAMES) makePool(name, bundlePath(distDir, name));
    const routes: Record<string, Invoke> = { refresh: (pools.refresh as FunctionPool).invoke };
    for (const [key, route] of Object.entries(options.routes ?? {})) {
      routes[key] = makePool(`route-${key}`, route.bundlePath).invoke;
    }
    cleanups.push(async () => {
      await Promise.all(Object.values(pools).map((pool) => pool.close()));
    });

    const gateway = await startGateway({
      host,
      port: ports.gateway,
      stage,
      region,
      credentials,
      ...(settings.throttling ? { throttling: settings.throttling } : {}),
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

    const input = envInput({
      dynamodbEndpoint: dynamo.endpoint,
      managementEndpoint: gateway.managementEndpoint,
      issuer: { poolId: issuer.poolId, issuer: issuer.issuer, jwksUri: issuer.jwksUri, url: issuer.url },
    });
    for (const name of FUNCTION_NAMES) (pools[name] as FunctionPool).setEnvironment(functionEnvironment(name, input));
    for (const [key, route] of Object.entries(options.routes ?? {})) {
      (pools[`route-${key}`] as FunctionPool).setEnvironment({
        ...functionEnvironment(`route-${key}`, input),
        ...route.env,
      });
    }

    // Every function of the stack is invocable by name, as backends invoke them on AWS.
    const lambdaApi = await startLambdaApi({
      host,
      port: ports.lambda,
      region,
      credentials,
      functions: new Map(Object.entries(pools).map(([name, pool]) => [name, pool.invoke])),
    }).catch((err: unknown) => {
      throw describeListenError(err, 'Lambda Invoke API', ports.lambda, 'LAMBDA_PORT');
    });
    // Stopped before the gateway: no new invocation starts while connections close.
    cleanups.push(() => lambdaApi.close());

    const sweepEvery = options.ttlSweepIntervalMs ?? 60_000;
    if (table.ttl === 'unsupported' && sweepEvery > 0) {
      const stopSweeper = startTtlSweeper(
        dynamoClient,
        [
          { tableName, keyName: 'connectionId' },
          ...(revocationsTableName === undefined ? [] : [{ tableName: revocationsTableName, keyName: 'sub' }]),
        ],
        sweepEvery,
        (level, reason, fields) => log.emit(level, 'dynamodb', reason, fields as Record<string, string | number>),
      );
      cleanups.push(() => Promise.resolve(stopSweeper()));
    }

    if (wantWeb) {
      const web = await startWebServer({
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
      }).catch((err: unknown) => {
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
      ...(revocationsTableName === undefined ? {} : { revocationsTableName }),
      webUrl: redirectUri,
      lambdaEndpoint: lambdaApi.endpoint,
      functionNames: Object.fromEntries(FUNCTION_NAMES.map((name) => [name, name])) as Record<FunctionName, string>,
      credentials,
    };
    let stopping: Promise<void> | undefined;
    return {
      config,
      demoUser,
      issuer,
      gateway,
      pools,
      // Invoke API first, then the gateway (closes sockets with 1001 and waits for every $disconnect), then
      // workers, then servers.
      stop: () => (stopping ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
