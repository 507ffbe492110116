// Builders for the four event shapes API Gateway sends to WebSocket Lambdas (see
// /work/shared/reference/websocket-api-gateway.md). Pure: ids and times come in as arguments.
import type { HeaderMaps, QueryMaps } from './http-input.ts';

export interface ApiInfo {
  apiId: string;
  stage: string;
  region: string;
  accountId: string;
  /** What API Gateway calls domainName: here the host:port of the gateway. */
  domainName: string;
}

export interface HandshakeInfo {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent?: string;
  headerMaps: HeaderMaps;
  query?: QueryMaps;
}

export interface RequestIds {
  requestId: string;
  extendedRequestId: string;
  requestTimeEpoch: number;
  requestTime: string;
}

/** The authorizer context as later events see it: principalId, integrationLatency, then strings. */
export type AuthorizerContext = Record<string, string | number>;

export function connectMethodArn(api: ApiInfo): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/$connect`;
}

function baseContext(api: ApiInfo, conn: HandshakeInfo, ids: RequestIds): Record<string, unknown> {
  return {
    extendedRequestId: ids.extendedRequestId,
    requestTime: ids.requestTime,
    messageDirection: 'IN',
    stage: api.stage,
    connectedAt: conn.connectedAt,
    requestTimeEpoch: ids.requestTimeEpoch,
    requestId: ids.requestId,
    domainName: api.domainName,
    connectionId: conn.connectionId,
    apiId: api.apiId,
  };
}

function withQuery(event: Record<string, unknown>, query: QueryMaps | undefined): Record<string, unknown> {
  if (query) {
    event.queryStringParameters = query.queryStringParameters;
    event.multiValueQueryStringParameters = query.multiValueQueryStringParameters;
  }
  return event;
}

export function buildAuthorizerEvent(api: ApiInfo, conn: HandshakeInfo, ids: RequestIds): Record<string, unknown> {
  const event = withQuery(
    {
      type: 'REQUEST',
      methodArn: connectMethodArn(api),
      headers: conn.headerMaps.headers,
      multiValueHeaders: conn.headerMaps.multiValueHeaders,
    },
    conn.query,
  );
  event.stageVariables = {};
  event.requestContext = {
    routeKey: '$connect',
    eventType: 'CONNECT',
    ...baseContext(api, conn, ids),
    identity: { sourceIp: conn.sourceIp },
  };
  return event;
}

const hopByHop = new Set(['connection', 'upgrade']);

function withoutHopByHop(maps: HeaderMaps): HeaderMaps {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(maps.headers)) if (!hopByHop.has(k.toLowerCase())) headers[k] = v;
  for (const [k, v] of Object.entries(maps.multiValueHeaders))
    if (!hopByHop.has(k.toLowerCase())) multiValueHeaders[k] = v;
  return { headers, multiValueHeaders };
}

function identity(conn: HandshakeInfo): Record<string, string> {
  return conn.userAgent === undefined
    ? { sourceIp: conn.sourceIp }
    : { sourceIp: conn.sourceIp, userAgent: conn.userAgent };
}

export function buildConnectEvent(
  api: ApiInfo,
  conn: HandshakeInfo,
  ids: RequestIds,
  authorizer: AuthorizerContext | undefined,
): Record<string, unknown> {
  const maps = withoutHopByHop(conn.headerMaps);
  return withQuery(
    {
      headers: maps.headers,
      multiValueHeaders: maps.multiValueHeaders,
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        ...baseContext(api, conn, ids),
        identity: identity(conn),
        ...(authorizer ? { authorizer } : {}),
      },
      isBase64Encoded: false,
    },
    conn.query,
  );
}

export function buildMessageEvent(
  api: ApiInfo,
  conn: HandshakeInfo,
  ids: RequestIds,
  authorizer: AuthorizerContext | undefined,
  routeKey: string,
  messageId: string,
  body: string,
  isBase64Encoded: boolean,
): Record<string, unknown> {
  return {
    requestContext: {
      routeKey,
      messageId,
      eventType: 'MESSAGE',
      ...baseContext(api, conn, ids),
      identity: { sourceIp: conn.sourceIp },
      ...(authorizer ? { authorizer } : {}),
    },
    body,
    isBase64Encoded,
  };
}

export function buildDisconnectEvent(
  api: ApiInfo,
  conn: HandshakeInfo,
  ids: RequestIds,
  authorizer: AuthorizerContext | undefined,
  statusCode: number,
  reason: string,
): Record<string, unknown> {
  const headers = { Host: api.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) multiValueHeaders[k] = [v];
  return {
    headers,
    multiValueHeaders,
    requestContext: {
      routeKey: '$disconnect',
      disconnectStatusCode: statusCode,
      eventType: 'DISCONNECT',
      ...baseContext(api, conn, ids),
      disconnectReason: reason,
      identity: identity(conn),
      ...(authorizer ? { authorizer } : {}),
    },
    isBase64Encoded: false,
  };
}
