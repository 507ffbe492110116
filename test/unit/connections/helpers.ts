// Shared fixtures for the connection Lambda tests: realistic API Gateway events and a log capture.
import { createLogger, type FunctionLogger } from '../../../functions/shared/log.ts';
import { captureLog as captureLogLines, type LogCapture } from '../../support/log-capture.ts';

export const SECRET_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2VjcmV0LXNpZ25hdHVyZQ';
export const CONNECTION_ID = 'R1kmxc2VNjMCFIA=';
export const SUB = '1d7856e9-7bd7-45fe-beb1-77798de950bc';
// 2024-01-20T05:00:00Z
export const NOW_MS = 1_705_726_800_000;
export const EXP = NOW_MS / 1000 + 3600;

export interface CapturedLog extends LogCapture {
  readonly log: FunctionLogger;
}

/** A debug-level logger for `fn` writing into a test/support log capture. */
export function captureLog(fn: string): CapturedLog {
  const capture = captureLogLines();
  return { ...capture, log: createLogger(fn, { sink: capture.sink, level: 'debug', platformLevel: undefined }) };
}

export function authorizerContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    principalId: SUB,
    integrationLatency: 12,
    sub: SUB,
    username: 'jane',
    clientId: '281794089m6k93mrbcvsd1o5jn',
    scope: 'openid profile',
    groups: 'admins',
    tokenUse: 'access',
    exp: String(EXP),
    authTime: String(EXP - 3600),
    ...overrides,
  };
}

function requestContext(routeKey: string, eventType: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    routeKey,
    eventType,
    extendedRequestId: 'ext-1',
    requestId: 'req-1',
    requestTime: '20/Jan/2024:05:00:00 +0000',
    messageDirection: 'IN',
    stage: 'dev',
    connectedAt: NOW_MS - 5000,
    requestTimeEpoch: NOW_MS,
    identity: { sourceIp: '203.0.113.9', userAgent: 'test' },
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    connectionId: CONNECTION_ID,
    apiId: 'abc123',
    authorizer: authorizerContext(),
    ...extra,
  };
}

/** A $connect integration event carrying the token in every place a client may put it. */
export function connectEvent(
  options: {
    headers?: Record<string, string>;
    query?: Record<string, string> | null;
    context?: Record<string, unknown>;
  } = {},
): Record<string, unknown> {
  const headers = options.headers ?? {
    Host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    Authorization: `Bearer ${SECRET_TOKEN}`,
    'User-Agent': 'Mozilla/5.0',
    'X-Forwarded-For': '203.0.113.9',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
  };
  const query = options.query === undefined ? { token: SECRET_TOKEN, room: 'lobby' } : options.query;
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters:
      query === null ? null : Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
    isBase64Encoded: false,
    requestContext: requestContext('$connect', 'CONNECT', options.context ?? {}),
  };
}

export function messageEvent(
  body: string | undefined,
  options: { isBase64Encoded?: boolean; context?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: requestContext('$default', 'MESSAGE', { messageId: 'msg-1', ...(options.context ?? {}) }),
  };
}

export function disconnectEvent(context: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    headers: {
      Host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      'x-api-key': '',
      'X-Forwarded-For': '',
      'x-restapi': '',
    },
    isBase64Encoded: false,
    requestContext: requestContext('$disconnect', 'DISCONNECT', {
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
      ...context,
    }),
  };
}
