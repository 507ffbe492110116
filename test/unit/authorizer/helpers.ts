// Test fixtures for the authorizer: RSA keys generated per run, JWTs signed by hand (so headers such as
// `jku` or `alg: none` can be forged), a JWKS server on 127.0.0.1 with swappable behaviour, and events.
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthorizerConfig } from '../../../functions/authorizer/config.ts';

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

export function rsaKey(kid: string, bits = 2048, extra: Record<string, unknown> = {}): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const exported = publicKey.export({ format: 'jwk' });
  return {
    kid,
    privateKey,
    publicKey,
    jwk: { kty: 'RSA', n: exported.n, e: exported.e, kid, alg: 'RS256', use: 'sig', ...extra },
  };
}

export function ecJwk(kid: string): Record<string, unknown> {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
}

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Signs `header.payload` with RSA-SHA256 whatever the header says, so tests can forge any header. */
export function signRs256(header: Record<string, unknown>, payload: unknown, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

export function signHs256(header: Record<string, unknown>, payload: unknown, secret: Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function unsigned(header: Record<string, unknown>, payload: unknown): string {
  return `${b64(header)}.${b64(payload)}.`;
}

export const POOL_ID = 'us-east-1_local0001';
export const CLIENT_ID = 'client1abc';
export const OTHER_CLIENT_ID = 'client2def';
export const NOW_S = 1_750_000_000;
export const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/$connect';

export function accessClaims(issuer: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    sub: '1d7856e9-7bd7-45fe-beb1-77798de950bc',
    'cognito:groups': ['admins', 'staff'],
    iss: issuer,
    version: 2,
    client_id: CLIENT_ID,
    origin_jti: '323decee-01d5-4c0a-b86e-8fa0e44b88a9',
    event_id: '7c659f99-9598-4e9e-aba9-ac0088502953',
    token_use: 'access',
    scope: 'openid profile email',
    auth_time: NOW_S - 100,
    exp: NOW_S + 3600,
    iat: NOW_S - 60,
    jti: '834587a8-763b-4c2d-9641-f65d89613767',
    username: 'jane',
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  return claims;
}

export function testConfig(overrides: Partial<AuthorizerConfig> = {}): AuthorizerConfig {
  return {
    userPoolId: POOL_ID,
    region: 'us-east-1',
    clientIds: new Set([CLIENT_ID, OTHER_CLIENT_ID]),
    tokenUse: 'access',
    tokenSources: ['header', 'query', 'protocol'],
    tokenHeader: 'Authorization',
    tokenQueryParam: 'token',
    requiredScopes: [],
    allowedGroups: [],
    issuer: 'http://127.0.0.1:9/us-east-1_local0001',
    jwksUri: 'http://127.0.0.1:9/us-east-1_local0001/.well-known/jwks.json',
    clockToleranceSeconds: 5,
    maxTokenLength: 8192,
    contextClaims: [],
    revocationsTable: undefined,
    cognitoCheck: undefined,
    log: { level: 'info', namespace: 'WebSocketAuth', platformLevel: undefined },
    ...overrides,
  };
}

export function connectEvent(
  parts: {
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    query?: Record<string, string>;
    multiValueQuery?: Record<string, string[]>;
    methodArn?: unknown;
  } = {},
): Record<string, unknown> {
  const headers = {
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'Sec-WebSocket-Version': '13',
    ...parts.headers,
  };
  return {
    type: 'REQUEST',
    methodArn: 'methodArn' in parts ? parts.methodArn : METHOD_ARN,
    headers,
    multiValueHeaders: parts.multiValueHeaders ?? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: parts.query ?? null,
    multiValueQueryStringParameters:
      parts.multiValueQuery ??
      (parts.query ? Object.fromEntries(Object.entries(parts.query).map(([k, v]) => [k, [v]])) : null),
    stageVariables: {},
    requestContext: { routeKey: '$connect', eventType: 'CONNECT', requestId: 'req-1', stage: 'dev', apiId: 'abc123' },
  };
}

export type Responder = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface JwksServer {
  readonly url: string;
  readonly jwksUrl: string;
  requests: number;
  respond: Responder;
  close(): Promise<void>;
}

export function serveJson(body: unknown, status = 200): Responder {
  return (_req, res) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
}

/** A JWKS server on a free loopback port; `respond` can be swapped per test and `requests` counts hits. */
export async function startJwksServer(initial: Responder): Promise<JwksServer> {
  const sockets = new Set<import('node:net').Socket>();
  const state = { requests: 0, respond: initial };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    state.respond(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    jwksUrl: `${url}/pool/.well-known/jwks.json`,
    get requests() {
      return state.requests;
    },
    set requests(n: number) {
      state.requests = n;
    },
    get respond() {
      return state.respond;
    },
    set respond(r: Responder) {
      state.respond = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A clock the test moves by hand. */
export function fakeClock(startMs = NOW_S * 1000): {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
} {
  let t = startMs;
  return { now: () => t, advance: (ms) => (t += ms), set: (ms) => (t = ms) };
}
