// An open connection: its idle and maximum-duration timers, closes started by the gateway, and the
// $disconnect that follows every close (with the code and reason API Gateway reports).
import { WebSocket } from 'ws';
import { buildDisconnectEvent, type AuthorizerContext, type HandshakeInfo } from './events.ts';
import { routeMessage } from './routing.ts';
import type { GatewayContext, LiveConnection } from './context.ts';
import type { FrameGate } from './handshake.ts';

/** What $disconnect reports for a close the client started. */
export function clientCloseReason(code: number, reason: string): string {
  if (reason.length > 0) return reason;
  if (code === 1005) return 'Client-side close frame status not set';
  if (code === 1006) return 'Connection closed abnormally';
  return `Client-side close frame status set to ${code}`;
}

export function closeByGateway(ctx: GatewayContext, conn: LiveConnection, code: number, reason: string): void {
  conn.serverClose ??= { code, reason };
  conn.socket.close(code, reason);
  // A client that never answers the close frame is cut off, and $disconnect still runs.
  const cut = setTimeout(() => conn.socket.terminate(), ctx.closeGraceMs);
  cut.unref();
  conn.timers.push(cut);
}

function armIdleTimer(ctx: GatewayContext, conn: LiveConnection): void {
  const wait = Math.max(0, conn.lastActiveAt + ctx.idleTimeoutMs - ctx.now());
  const timer = setTimeout(() => {
    conn.timers = conn.timers.filter((t) => t !== timer);
    if (conn.socket.readyState !== WebSocket.OPEN) return;
    if (ctx.now() - conn.lastActiveAt >= ctx.idleTimeoutMs) closeByGateway(ctx, conn, 1001, 'Going away');
    else armIdleTimer(ctx, conn);
  }, wait);
  conn.timers.push(timer);
}

/** Runs $disconnect for a connection that $connect accepted, unless delivery is to be lost (tests). */
export function runDisconnect(
  ctx: GatewayContext,
  info: HandshakeInfo,
  authorizer: AuthorizerContext | undefined,
  code: number,
  reason: string,
): void {
  const disconnect = ctx.functions.disconnect;
  if (!disconnect || !(ctx.deliverDisconnect?.(info.connectionId) ?? true)) return;
  const event = buildDisconnectEvent(ctx.api, info, ctx.requestIds(), authorizer, code, reason);
  void ctx.track(
    disconnect(event).then(
      (result) => {
        if (!result.ok)
          ctx.log('warn', 'disconnect_error', { connectionId: info.connectionId, errorType: result.error.type });
      },
      () => ctx.log('warn', 'disconnect_error', { connectionId: info.connectionId, errorType: 'InvokeError' }),
    ),
  );
}

export function openConnection(
  ctx: GatewayContext,
  socket: WebSocket,
  info: HandshakeInfo,
  authorizer: AuthorizerContext | undefined,
  frames: FrameGate,
): void {
  const conn: LiveConnection = {
    info,
    authorizer,
    socket,
    connectedAt: info.connectedAt,
    lastActiveAt: ctx.now(),
    sourceIp: info.sourceIp,
    timers: [],
    ...(info.userAgent === undefined ? {} : { userAgent: info.userAgent }),
  };
  ctx.connections.set(info.connectionId, conn);
  ctx.log('info', 'connected', { connectionId: info.connectionId });
  armIdleTimer(ctx, conn);
  conn.timers.push(
    setTimeout(() => {
      if (socket.readyState === WebSocket.OPEN) closeByGateway(ctx, conn, 1001, 'Going away');
    }, ctx.maxDurationMs),
  );
  frames.onOversize((length) => {
    // API Gateway closes with 1009 on a frame over 32 KB; the message it belongs to is never delivered.
    conn.oversizeFrame = true;
    ctx.log('info', 'frame_too_large', { connectionId: info.connectionId, length });
    if (socket.readyState === WebSocket.OPEN) closeByGateway(ctx, conn, 1009, 'Message too big');
  });
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (conn.oversizeFrame) return;
    conn.lastActiveAt = ctx.now();
    void ctx.track(routeMessage(ctx, conn, data, isBinary));
  });
  socket.on('error', (err: Error & { code?: string }) => {
    // On a protocol violation ws sends the close frame itself (1009 too big, 1007 bad UTF-8, 1002 other)
    // and stops reading, so the close event would say 1006: remember the code the gateway sent.
    const code = err.code ?? '';
    if (code.startsWith('WS_ERR_')) {
      const status = code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 1009 : code === 'WS_ERR_INVALID_UTF8' ? 1007 : 1002;
      conn.serverClose ??= { code: status, reason: status === 1009 ? 'Message too big' : 'Protocol error' };
    }
    ctx.log('info', 'socket_error', { connectionId: info.connectionId, code: code || err.name });
  });
  socket.on('close', (code: number, reasonBuffer: Buffer) => {
    ctx.connections.delete(info.connectionId);
    for (const timer of conn.timers) clearTimeout(timer);
    const reported = conn.serverClose ?? { code, reason: clientCloseReason(code, reasonBuffer.toString('utf8')) };
    ctx.log('info', 'disconnected', { connectionId: info.connectionId, code: reported.code });
    runDisconnect(ctx, info, authorizer, reported.code, reported.reason);
  });
}
