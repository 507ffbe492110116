// The WebSocket handshake as API Gateway runs it: upgrade checks, the REQUEST authorizer, $connect, and only
// then the upgrade. Every refusal answers an HTTP status and closes the socket.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { newAwsId, newTraceId } from './ids.ts';
import { findHeader, headerMaps, queryMaps } from './http-input.ts';
import { applyForwardingHeaders } from './forwarding.ts';
import { createFrameWatcher, FRAME_LIMIT_BYTES } from './frame-limit.ts';
import {
  buildAuthorizerEvent,
  buildConnectEvent,
  buildDisconnectEvent,
  connectMethodArn,
  type AuthorizerContext,
  type HandshakeInfo,
} from './events.ts';
import { identitySourcesPresent, interpretAuthorizerResult } from './authorizer-outcome.ts';
import { interpretConnectResult } from './connect-outcome.ts';
import type { GatewayContext } from './context.ts';

export const HANDSHAKE_URL_LIMIT = 4096;

const statusText: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  414: 'URI Too Long',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function rejectHandshake(socket: Duplex, status: number): void {
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
export function wellFormedUpgrade(req: IncomingMessage): boolean {
  const key = req.headers['sec-websocket-key'];
  if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket') return false;
  if (req.headers['sec-websocket-version'] !== '13' || typeof key !== 'string' || !WEBSOCKET_KEY.test(key))
    return false;
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols === undefined) return true;
  const names = protocols.split(',').map((p) => p.replace(/^[ \t]+|[ \t]+$/g, ''));
  return names.every((name) => TOKEN.test(name)) && new Set(names).size === names.length;
}

export function sourceIpOf(req: IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** Reports the first client frame over API Gateway's 32 KB frame limit, once the connection is open. */
export interface FrameGate {
  onOversize(listener: (length: number) => void): void;
}

export interface Upgrader {
  wss: WebSocketServer;
  /** The subprotocol $connect chose for a request, read back by the WebSocketServer's handleProtocols. */
  chosenProtocol: WeakMap<IncomingMessage, string>;
  onOpen(
    socket: import('ws').WebSocket,
    info: HandshakeInfo,
    authorizer: AuthorizerContext | undefined,
    frames: FrameGate,
  ): void;
}

export async function handshake(
  ctx: GatewayContext,
  upgrader: Upgrader,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const { functions, log, api } = ctx;
  const rawUrl = req.url ?? '/';
  if (rawUrl.length > HANDSHAKE_URL_LIMIT) return rejectHandshake(socket, 414);
  const [pathPart = '/', queryPart = ''] = rawUrl.split(/\?(.*)/s);
  if (pathPart !== `/${ctx.stage}` && pathPart !== `/${ctx.stage}/`) return rejectHandshake(socket, 403);
  if (!wellFormedUpgrade(req)) return rejectHandshake(socket, 400);
  if (ctx.closing()) return rejectHandshake(socket, 503);
  // The stage throttle: a handshake over the limit gets 429 before the authorizer runs.
  if (!ctx.throttle.take()) {
    log('info', 'connect_rejected', { status: 429, cause: 'throttled' });
    return rejectHandshake(socket, 429);
  }
  const connectedAt = ctx.now();
  // API Gateway's own forwarding headers, in front of the Lambdas (README.md, "Fidelity, with sources").
  const maps = applyForwardingHeaders(headerMaps(req.rawHeaders), {
    sourceIp: sourceIpOf(req),
    port: ctx.port(),
    proto: 'http',
    traceId: () => newTraceId(connectedAt),
  });
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
  const ids = ctx.requestIds();
  let gone = false;
  socket.once('close', () => (gone = true));
  // A client that half-closed (FIN) is gone too: ws refuses to upgrade a socket no longer readable or writable.
  const left = (): boolean => gone || socket.destroyed || !socket.readable || !socket.writable;

  let authorizer: AuthorizerContext | undefined;
  if (functions.authorizer) {
    if (!identitySourcesPresent(ctx.identitySources, maps.headers, query?.queryStringParameters)) {
      log('info', 'connect_rejected', { status: 401, cause: 'identity_source_missing' });
      return rejectHandshake(socket, 401);
    }
    const started = ctx.now();
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
    authorizer = { principalId: outcome.principalId, integrationLatency: ctx.now() - started, ...outcome.context };
    // The principalId and integrationLatency the gateway sets cannot be overridden by the context.
    authorizer.principalId = outcome.principalId;
    authorizer.integrationLatency = ctx.now() - started;
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
    if (outcome.protocol !== undefined) upgrader.chosenProtocol.set(req, outcome.protocol);
  }
  if (left() || ctx.closing()) {
    // The client left during $connect, or the gateway is shutting down: $connect stored the connection, so
    // it gets its $disconnect.
    const closing = ctx.closing();
    if (closing) rejectHandshake(socket, 503);
    else socket.destroy();
    if (functions.disconnect) {
      const event = buildDisconnectEvent(
        api,
        info,
        ctx.requestIds(),
        authorizer,
        closing ? 1001 : 1006,
        closing ? 'Going away' : 'Connection closed abnormally',
      );
      void ctx.track(functions.disconnect(event).catch(() => undefined));
    }
    return;
  }
  // Frame headers are read beside ws from the first byte after the handshake (head included).
  let oversize: ((length: number) => void) | undefined;
  let pending: number | undefined;
  socket.prependListener(
    'data',
    createFrameWatcher(FRAME_LIMIT_BYTES, (length) => {
      if (oversize) oversize(length);
      else pending = length;
    }),
  );
  const frames: FrameGate = {
    onOversize: (listener) => {
      oversize = listener;
      if (pending !== undefined) listener(pending);
    },
  };
  upgrader.wss.handleUpgrade(req, socket, head, (ws) => upgrader.onOpen(ws, info, authorizer, frames));
}
