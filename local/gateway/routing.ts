// Messages on an open connection: route selection on `$request.body.action`, the route's invocation, and the
// gateway's own error frame when there is no route or the integration fails.
import { WebSocket } from 'ws';
import { buildMessageEvent } from './events.ts';
import { newAwsId } from './ids.ts';
import type { GatewayContext, LiveConnection } from './context.ts';

/** Route selection on `$request.body.action`: a JSON object body whose action names a configured route. */
export function selectRoute(body: string | undefined, routes: ReadonlySet<string>): string {
  if (body === undefined || routes.size === 0) return '$default';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '$default';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return '$default';
  const action = (parsed as Record<string, unknown>).action;
  if (typeof action === 'string' && routes.has(action)) return action;
  return '$default';
}

/** The frame API Gateway itself sends to the client when it cannot deliver a message to a route. */
export function sendGatewayError(conn: LiveConnection, message: string, requestId: string): void {
  if (conn.socket.readyState !== WebSocket.OPEN) return;
  conn.socket.send(JSON.stringify({ message, connectionId: conn.info.connectionId, requestId }));
}

export async function routeMessage(
  ctx: GatewayContext,
  conn: LiveConnection,
  data: Buffer,
  isBinary: boolean,
): Promise<void> {
  if (!ctx.throttle.take()) {
    // Throttled: the route is not invoked, and the client is told in the gateway's own error frame.
    ctx.log('info', 'message_throttled', { connectionId: conn.info.connectionId });
    sendGatewayError(conn, 'Too Many Requests', ctx.requestIds().requestId);
    return;
  }
  const body = isBinary ? data.toString('base64') : data.toString('utf8');
  const routeKey = isBinary ? '$default' : selectRoute(body, ctx.routeKeys);
  const fn = routeKey === '$default' ? ctx.functions.default : ctx.routes.get(routeKey);
  const ids = ctx.requestIds();
  if (!fn) {
    // No $default and no matching route: API Gateway answers the client itself.
    sendGatewayError(conn, 'Forbidden', ids.requestId);
    return;
  }
  const event = buildMessageEvent(ctx.api, conn.info, ids, conn.authorizer, routeKey, newAwsId(), body, isBinary);
  // An Invoke that rejects (rather than answering an error) must not take the gateway down.
  const result = await fn(event).catch((err: unknown) => ({
    ok: false as const,
    error: { type: 'InvokeError', message: err instanceof Error ? err.message : String(err) },
    durationMs: 0,
  }));
  if (!result.ok) {
    ctx.log('warn', 'integration_error', {
      route: routeKey,
      connectionId: conn.info.connectionId,
      errorType: result.error.type,
    });
    sendGatewayError(conn, 'Internal server error', ids.requestId);
  }
}
