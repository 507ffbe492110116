// A local API Gateway WebSocket data plane: the handshake runs the REQUEST authorizer then $connect
// (handshake.ts), messages are routed on `$request.body.action` (routing.ts), $disconnect follows every close
// (live-connection.ts), and the @connections management API is served on the same port (management.ts).
// This module wires them to one HTTP server. Behaviour follows docs/architecture.md.
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { WebSocketServer, WebSocket } from 'ws';
import type { Logger } from '../../functions/shared/log.ts';
import { formatRequestTime, newApiId, newAwsId } from './ids.ts';
import type { ApiInfo, RequestIds } from './events.ts';
import { parseIdentitySources } from './authorizer-outcome.ts';
import { handleManagementRequest, type ConnectionControl } from './management.ts';
import type { GatewayContext, GatewayFunctions, LiveConnection } from './context.ts';
import { handshake, rejectHandshake, type Upgrader } from './handshake.ts';
import { closeByGateway, openConnection } from './live-connection.ts';
import { createThrottle, type ThrottleSettings } from './throttle.ts';
import { generateCredentials, SERVICES, type EndpointAuth, type LocalCredentials } from '../aws-auth/index.ts';
import { listen } from '../ports.ts';

export type { GatewayFunctions } from './context.ts';
export { HANDSHAKE_URL_LIMIT } from './handshake.ts';
export const MESSAGE_LIMIT_BYTES = 128 * 1024;

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
  /** Credentials the management API verifies SigV4 with; generated when absent (see RunningGateway). */
  credentials?: LocalCredentials;
  /** The stage's throttling (burst and rate); off when absent. */
  throttling?: ThrottleSettings;
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
  /** What the management API's callers sign with. */
  credentials: LocalCredentials;
  /** Ids of the connections currently open. */
  connectionIds(): string[];
  /** Resolves when every $disconnect and message invocation started so far has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? '127.0.0.1';
  const stage = options.stage ?? 'dev';
  const now = options.now ?? Date.now;
  const connections = new Map<string, LiveConnection>();
  const inflight = new Set<Promise<unknown>>();
  let closing = false;
  let closed: Promise<void> | undefined;
  let listeningPort = 0;
  const credentials = options.credentials ?? generateCredentials();

  const api: ApiInfo = {
    apiId: options.apiId ?? newApiId(),
    stage,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    domainName: '',
  };
  const ctx: GatewayContext = {
    api,
    stage,
    functions: options.functions,
    routes: new Map(Object.entries(options.functions.routes ?? {})),
    routeKeys: new Set(Object.keys(options.functions.routes ?? {})),
    identitySources: parseIdentitySources(options.identitySources ?? []),
    idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60_000,
    maxDurationMs: options.maxConnectionDurationMs ?? 2 * 3600_000,
    closeGraceMs: options.closeGraceMs ?? 3000,
    log: options.log,
    now,
    throttle: createThrottle(options.throttling, now),
    ...(options.deliverDisconnect ? { deliverDisconnect: options.deliverDisconnect } : {}),
    connections,
    track: <T>(promise: Promise<T>): Promise<T> => {
      inflight.add(promise);
      void promise.finally(() => inflight.delete(promise));
      return promise;
    },
    requestIds: (): RequestIds => {
      const t = now();
      const id = newAwsId();
      return { requestId: id, extendedRequestId: id, requestTimeEpoch: t, requestTime: formatRequestTime(t) };
    },
    closing: () => closing,
    port: () => listeningPort,
  };

  const chosenProtocol = new WeakMap<IncomingMessage, string>();
  const upgrader: Upgrader = {
    wss: new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: MESSAGE_LIMIT_BYTES,
      // Answer with the subprotocol $connect returned, or none: the client then decides, as against AWS.
      handleProtocols: (_protocols, req) => chosenProtocol.get(req) ?? false,
    }),
    chosenProtocol,
    onOpen: (socket, info, authorizer, frames) => openConnection(ctx, socket, info, authorizer, frames),
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
      closeByGateway(ctx, conn, 1000, 'Connection closed by the server');
      return true;
    },
  };

  const managementAuth: EndpointAuth = { credentials, region: api.region, service: SERVICES.executeApi, now };
  const server = http.createServer();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    // Tracked so shutdown waits for handshakes in progress (they end with 503 and, if $connect ran, $disconnect).
    void ctx.track(
      handshake(ctx, upgrader, req, socket, head).catch((err: unknown) => {
        ctx.log('error', 'handshake_failed', {
          error: err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200),
        });
        rejectHandshake(socket, 500);
      }),
    );
  });

  server.on('request', (req, res) => {
    handleManagementRequest(req, res, stage, control, managementAuth)
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

  await listen(server, options.port ?? 0, host);
  listeningPort = (server.address() as { port: number }).port;
  api.domainName = `${host}:${listeningPort}`;
  const url = `http://${host}:${listeningPort}`;

  return {
    url,
    port: listeningPort,
    websocketUrl: `ws://${host}:${listeningPort}/${stage}`,
    managementEndpoint: `${url}/${stage}`,
    api,
    credentials,
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
          closeByGateway(ctx, conn, 1001, 'Going away');
        }),
    );
    await Promise.all(socketsClosed);
    // Every $disconnect, message and handshake in progress finishes before the functions are stopped.
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
