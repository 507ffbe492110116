// A local API Gateway WebSocket data plane: the handshake runs the REQUEST authorizer then $connect,
// messages are routed on `$request.body.action`, $disconnect follows every close, and the @connections
// management API is served on the same port. Behaviour follows /work/shared/reference/websocket-api-gateway.md.
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { WebSocketServer, WebSocket } from 'ws';
import type { Invoke } from '../lambda-runner/pool.ts';
import type { Logger } from '../../functions/shared/log.ts';
import { formatRequestTime, newApiId, newAwsId, newTraceId } from './ids.ts';
import { findHeader, headerMaps, queryMaps } from './http-input.ts';
import {
  buildAuthorizerEvent,
  buildConnectEvent,
  buildDisconnectEvent,
  buildMessageEvent,
  connectMethodArn,
  type ApiInfo,
  type AuthorizerContext,
  type HandshakeInfo,
  type RequestIds,
} from './events.ts';
import {
  identitySourcesPresent,
  interpretAuthorizerResult,
  parseIdentitySources,
  type IdentitySource,
} from './authorizer-outcome.ts';
import { interpretConnectResult, selectRoute } from './connect-outcome.ts';
import { handleManagementRequest, type ConnectionControl, type ManagedConnection } from './management.ts';

export const MESSAGE_LIMIT_BYTES = 128 * 1024;
export const HANDSHAKE_URL_LIMIT = 4096;

export interface GatewayFunctions {
  authorizer?: Invoke;
  connect?: Invoke;
  disconnect?: Invoke;
  default?: Invoke;
  /** Custom routes: route key (the `action` value) → function. */
  routes?: Record<string, Invoke>;
}

export interface GatewayOptions {
  host?: string;
  port?: number;
  stage?: string;
  region?: string;
  accountId?: string;
  apiId?: string;
  functions: GatewayFunctions;
  /** e.g. ['route.request.header.Authorization']; empty or absent: the authorizer decides alone. */
  identitySources?: readonly string[];
  idleTimeoutMs?: number;
  maxConnectionDurationMs?: number;
  /** How long shutdown waits for clients to answer the close frame before cutting the sockets. */
  closeGraceMs?: number;
  log: Logger;
  now?: () => number;
  /**
   * $disconnect delivery is best effort on AWS: a connection can vanish without one. Returning false for a
   * connection id loses its $disconnect, so tests can reproduce stale items faithfully. Default: deliver.
   */
  deliverDisconnect?: (connectionId: string) => boolean;
}

export interface RunningGateway {
  url: string;
  port: number;
  websocketUrl: string;
  managementEndpoint: string;
  api: ApiInfo;
  /** Ids of the connections currently open. */
  connectionIds(): string[];
  /** Resolves when every $disconnect and message invocation started so far has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface LiveConnection extends ManagedConnection {
  info: HandshakeInfo;
  authorizer?: AuthorizerContext;
  socket: WebSocket;
  /** Set when the gateway closes the socket, so $disconnect reports the gateway's code and reason. */
  serverClose?: { code: number; reason: string };
  timers: NodeJS.Timeout[];
}

const statusText: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  414: 'URI Too Long',
  426: 'Upgrade Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function rejectHandshake(socket: Duplex, status: number): void {
  if (socket.destroyed) return;
  const text = statusText[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
  const message = status === 500 ? 'Internal server error' : text;
  const body = JSON.stringify({ message });
  // The server socket allows half-open connections: without the destroy, a client that keeps its half open
  // would hold the socket, and the gateway's shutdown, forever.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** RFC 6455 key: 16 random bytes in base64. */
const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Whether ws will complete this upgrade: a handshake it would refuse must be refused before the authorizer and
 * $connect run, or $connect would store a connection that never opens and never gets its $disconnect.
 */
function wellFormedUpgrade(req: IncomingMessage): boolean {
  const key = req.headers['sec-websocket-key'];
  if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket') return false;
  if (req.headers['sec-websocket-version'] !== '13' || typeof key !== 'string' || !WEBSOCKET_KEY.test(key))
    return false;
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols === undefined) return true;
  const names = protocols.split(',').map((p) => p.replace(/^[ \t]+|[ \t]+$/g, ''));
  return names.every((name) => TOKEN.test(name)) && new Set(names).size === names.length;
}

function sourceIpOf(req: IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** What $disconnect reports for a close the client started. */
function clientCloseReason(code: number, reason: string): string {
  if (reason.length > 0) return reason;
  if (code === 1005) return 'Client-side close frame status not set';
  if (code === 1006) return 'Connection closed abnormally';
  return `Client-side close frame status set to ${code}`;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? '127.0.0.1';
  const stage = options.stage ?? 'dev';
  const now = options.now ?? Date.now;
  const log = options.log;
  const functions = options.functions;
  const routes = new Map(Object.entries(functions.routes ?? {}));
  const routeKeys = new Set(routes.keys());
  const identitySources: IdentitySource[] = parseIdentitySources(options.identitySources ?? []);
  const idleTimeoutMs = options.idleTimeoutMs ?? 10 * 60_000;
  const maxDurationMs = options.maxConnectionDurationMs ?? 2 * 3600_000;
  const closeGraceMs = options.closeGraceMs ?? 3000;

  const connections = new Map<string, LiveConnection>();
  const inflight = new Set<Promise<unknown>>();
  const chosenProtocol = new WeakMap<IncomingMessage, string>();
  let closing = false;
  let closed: Promise<void> | undefined;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inflight.add(promise);
    void promise.finally(() => inflight.delete(promise));
    return promise;
  };

  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MESSAGE_LIMIT_BYTES,
    // Answer with the subprotocol $connect returned, or none: the client then decides, as against AWS.
    handleProtocols: (_protocols, req) => chosenProtocol.get(req) ?? false,
  });

  const server = http.createServer();
  const api: ApiInfo = {
    apiId: options.apiId ?? newApiId(),
    stage,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    domainName: '',
  };

  const requestIds = (): RequestIds => {
    const t = now();
    const id = newAwsId();
    return { requestId: id, extendedRequestId: id, requestTimeEpoch: t, requestTime: formatRequestTime(t) };
  };

  const control: ConnectionControl = {
    // A connection being closed (DeleteConnection, timeouts) is gone for GET as for POST and DELETE.
    get: (id) => {
      const conn = connections.get(id);
      return conn && conn.socket.readyState === WebSocket.OPEN ? conn : undefined;
    },
    send: (id, data) => {
      const conn = connections.get(id);
      if (!conn || conn.socket.readyState !== WebSocket.OPEN) return false;
      // Text when the payload is UTF-8, as API Gateway delivers posted strings.
      conn.socket.send(data, { binary: !isUtf8(data) });
      return true;
    },
    remove: (id) => {
      const conn = connections.get(id);
      if (!conn || conn.socket.readyState !== WebSocket.OPEN) return false;
      closeByGateway(conn, 1000, 'Connection closed by the server');
      return true;
    },
  };

  function closeByGateway(conn: LiveConnection, code: number, reason: string): void {
    conn.serverClose ??= { code, reason };
    conn.socket.close(code, reason);
    // A client that never answers the close frame is cut off, and $disconnect still runs.
    const cut = setTimeout(() => conn.socket.terminate(), closeGraceMs);
    cut.unref();
    conn.timers.push(cut);
  }

  function armIdleTimer(conn: LiveConnection): void {
    const wait = Math.max(0, conn.lastActiveAt + idleTimeoutMs - now());
    const timer = setTimeout(() => {
      conn.timers = conn.timers.filter((t) => t !== timer);
      if (conn.socket.readyState !== WebSocket.OPEN) return;
      if (now() - conn.lastActiveAt >= idleTimeoutMs) closeByGateway(conn, 1001, 'Going away');
      else armIdleTimer(conn);
    }, wait);
    conn.timers.push(timer);
  }

  async function routeMessage(conn: LiveConnection, data: Buffer, isBinary: boolean): Promise<void> {
    const body = isBinary ? data.toString('base64') : data.toString('utf8');
    const routeKey = isBinary ? '$default' : selectRoute(body, routeKeys);
    const fn = routeKey === '$default' ? functions.default : routes.get(routeKey);
    const ids = requestIds();
    if (!fn) {
      // No $default and no matching route: API Gateway answers the client itself.
      sendGatewayError(conn, 'Forbidden', ids.requestId);
      return;
    }
    const event = buildMessageEvent(api, conn.info, ids, conn.authorizer, routeKey, newAwsId(), body, isBinary);
    // An Invoke that rejects (rather than answering an error) must not take the gateway down.
    const result = await fn(event).catch((err: unknown) => ({
      ok: false as const,
      error: { type: 'InvokeError', message: err instanceof Error ? err.message : String(err) },
      durationMs: 0,
    }));
    if (!result.ok) {
      log('warn', 'integration_error', {
        route: routeKey,
        connectionId: conn.info.connectionId,
        errorType: result.error.type,
      });
      sendGatewayError(conn, 'Internal server error', ids.requestId);
    }
  }

  function sendGatewayError(conn: LiveConnection, message: string, requestId: string): void {
    if (conn.socket.readyState !== WebSocket.OPEN) return;
    conn.socket.send(JSON.stringify({ message, connectionId: conn.info.connectionId, requestId }));
  }

  function onOpen(socket: WebSocket, info: HandshakeInfo, authorizer: AuthorizerContext | undefined): void {
    const conn: LiveConnection = {
      info,
      authorizer,
      socket,
      connectedAt: info.connectedAt,
      lastActiveAt: now(),
      sourceIp: info.sourceIp,
      timers: [],
      ...(info.userAgent === undefined ? {} : { userAgent: info.userAgent }),
    };
    connections.set(info.connectionId, conn);
    log('info', 'connected', { connectionId: info.connectionId });
    armIdleTimer(conn);
    conn.timers.push(
      setTimeout(() => {
        if (socket.readyState === WebSocket.OPEN) closeByGateway(conn, 1001, 'Going away');
      }, maxDurationMs),
    );
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      conn.lastActiveAt = now();
      void track(routeMessage(conn, data, isBinary));
    });
    socket.on('error', (err: Error & { code?: string }) => {
      // On a protocol violation ws sends the close frame itself (1009 too big, 1007 bad UTF-8, 1002 other)
      // and stops reading, so the close event would say 1006: remember the code the gateway sent.
      const code = err.code ?? '';
      if (code.startsWith('WS_ERR_')) {
        const status =
          code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 1009 : code === 'WS_ERR_INVALID_UTF8' ? 1007 : 1002;
        conn.serverClose ??= { code: status, reason: status === 1009 ? 'Message too big' : 'Protocol error' };
      }
      log('info', 'socket_error', { connectionId: info.connectionId, code: code || err.name });
    });
    socket.on('close', (code: number, reasonBuffer: Buffer) => {
      connections.delete(info.connectionId);
      for (const timer of conn.timers) clearTimeout(timer);
      const reported = conn.serverClose ?? { code, reason: clientCloseReason(code, reasonBuffer.toString('utf8')) };
      log('info', 'disconnected', { connectionId: info.connectionId, code: reported.code });
      if (functions.disconnect && (options.deliverDisconnect?.(info.connectionId) ?? true)) {
        const event = buildDisconnectEvent(api, info, requestIds(), authorizer, reported.code, reported.reason);
        void track(
          functions.disconnect(event).then(
            (result) => {
              if (!result.ok)
                log('warn', 'disconnect_error', { connectionId: info.connectionId, errorType: result.error.type });
            },
            () => log('warn', 'disconnect_error', { connectionId: info.connectionId, errorType: 'InvokeError' }),
          ),
        );
      }
    });
  }

  async function handshake(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const rawUrl = req.url ?? '/';
    if (rawUrl.length > HANDSHAKE_URL_LIMIT) return rejectHandshake(socket, 414);
    const [pathPart = '/', queryPart = ''] = rawUrl.split(/\?(.*)/s);
    if (pathPart !== `/${stage}` && pathPart !== `/${stage}/`) return rejectHandshake(socket, 403);
    if (!wellFormedUpgrade(req)) return rejectHandshake(socket, 400);
    if (closing) return rejectHandshake(socket, 503);
    const connectedAt = now();
    const maps = headerMaps(req.rawHeaders);
    // API Gateway adds its own forwarding headers in front of the Lambda.
    const added: Record<string, string> = {
      'X-Amzn-Trace-Id': newTraceId(connectedAt),
      'X-Forwarded-For': sourceIpOf(req),
      'X-Forwarded-Port': String(address.port),
      'X-Forwarded-Proto': 'http',
    };
    for (const [name, value] of Object.entries(added)) {
      if (findHeader(maps.headers, name) === undefined) {
        maps.headers[name] = value;
        maps.multiValueHeaders[name] = [value];
      }
    }
    const userAgent = findHeader(maps.headers, 'User-Agent');
    const query = queryMaps(queryPart);
    const info: HandshakeInfo = {
      connectionId: newAwsId(),
      connectedAt,
      sourceIp: sourceIpOf(req),
      headerMaps: maps,
      ...(userAgent === undefined ? {} : { userAgent }),
      ...(query === undefined ? {} : { query }),
    };
    const ids = requestIds();
    let gone = false;
    socket.once('close', () => (gone = true));
    // A client that half-closed (FIN) is gone too: ws refuses to upgrade a socket no longer readable or writable.
    const left = (): boolean => gone || socket.destroyed || !socket.readable || !socket.writable;

    let authorizer: AuthorizerContext | undefined;
    if (functions.authorizer) {
      if (!identitySourcesPresent(identitySources, maps.headers, query?.queryStringParameters)) {
        log('info', 'connect_rejected', { status: 401, cause: 'identity_source_missing' });
        return rejectHandshake(socket, 401);
      }
      const started = now();
      const result = await functions.authorizer(buildAuthorizerEvent(api, info, ids));
      const outcome = interpretAuthorizerResult(result, connectMethodArn(api));
      if (outcome.kind === 'reject') {
        // A 500 means the authorizer itself failed (crash, timeout, bad result): worth a warning, as on AWS.
        log(outcome.status === 500 ? 'warn' : 'info', 'connect_rejected', {
          status: outcome.status,
          cause: outcome.reason,
          ...(result.ok ? {} : { errorType: result.error.type, error: result.error.message.slice(0, 200) }),
        });
        return rejectHandshake(socket, outcome.status);
      }
      authorizer = { principalId: outcome.principalId, integrationLatency: now() - started, ...outcome.context };
      // The principalId and integrationLatency the gateway sets cannot be overridden by the context.
      authorizer.principalId = outcome.principalId;
      authorizer.integrationLatency = now() - started;
    }
    if (left()) return void socket.destroy();

    const offered = new Set(
      (findHeader(maps.headers, 'Sec-WebSocket-Protocol') ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0),
    );
    if (functions.connect) {
      const result = await functions.connect(buildConnectEvent(api, info, ids, authorizer));
      const outcome = interpretConnectResult(result, offered);
      if (outcome.kind === 'reject') {
        log('info', 'connect_rejected', { status: outcome.status, cause: outcome.reason });
        return rejectHandshake(socket, outcome.status);
      }
      if (outcome.protocol !== undefined) chosenProtocol.set(req, outcome.protocol);
    }
    if (left() || closing) {
      // The client left during $connect, or the gateway is shutting down: $connect stored the connection, so
      // it gets its $disconnect.
      if (closing) rejectHandshake(socket, 503);
      else socket.destroy();
      if (functions.disconnect) {
        const event = buildDisconnectEvent(
          api,
          info,
          requestIds(),
          authorizer,
          closing ? 1001 : 1006,
          closing ? 'Going away' : 'Connection closed abnormally',
        );
        void track(functions.disconnect(event).catch(() => undefined));
      }
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onOpen(ws, info, authorizer));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    // Tracked so shutdown waits for handshakes in progress (they end with 503 and, if $connect ran, $disconnect).
    void track(
      handshake(req, socket, head).catch((err: unknown) => {
        log('error', 'handshake_failed', {
          error: err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200),
        });
        rejectHandshake(socket, 500);
      }),
    );
  });

  server.on('request', (req, res) => {
    handleManagementRequest(req, res, stage, control)
      .then((handled) => {
        if (handled) return;
        req.resume();
        const path = (req.url ?? '/').split('?')[0];
        const isStage = path === `/${stage}` || path === `/${stage}/`;
        const status = isStage ? 426 : 403;
        const body = JSON.stringify({ message: isStage ? 'Upgrade Required' : 'Forbidden' });
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as { port: number };
  api.domainName = `${host}:${address.port}`;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    port: address.port,
    websocketUrl: `ws://${host}:${address.port}/${stage}`,
    managementEndpoint: `${url}/${stage}`,
    api,
    connectionIds: () => [...connections.keys()],
    idle: async () => {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    close: () => (closed ??= shutdown()),
  };

  async function shutdown(): Promise<void> {
    closing = true;
    const socketsClosed = [...connections.values()].map(
      (conn) =>
        new Promise<void>((resolve) => {
          conn.socket.once('close', () => resolve());
          closeByGateway(conn, 1001, 'Going away');
        }),
    );
    await Promise.all(socketsClosed);
    // Every $disconnect, message and handshake in progress finishes before the functions are stopped.
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
