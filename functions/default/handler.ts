// $default: echo each message to its sender with its stored connection, after checking the stored token
// expiry (the authorizer only ran at $connect, and refresh moves the stored expiry; the context's `exp` never
// changes). Handled cases answer 200: a 500 from a route integration reaches no client and only API Gateway's
// logs. When storage cannot be read the client is still told, with an `internal_error` frame carrying API
// Gateway's request id, and the route answers 500.
import type { ConnectionStore } from '../shared/connection-store.ts';
import { toConnectionView } from '../shared/connection-item.ts';
import { isRecord } from '../../shared/guards.ts';
import { buildEcho } from './echo-message.ts';
import { errorFrame, type ErrorReason } from '../shared/error-frame.ts';
import { describeError, type FunctionLogger } from '../shared/log.ts';
import { postToConnection, type ManagementClients } from '../shared/management-clients.ts';
import { openRouteInvocation } from '../shared/route-invocation.ts';
import { closeExpired, reportInternalError } from '../shared/route-replies.ts';
import { isTokenExpired } from '../shared/token-expiry.ts';
import type { RouteResponse } from '../shared/websocket-event.ts';

export interface DefaultDeps {
  readonly store: Pick<ConnectionStore, 'get' | 'delete'>;
  readonly management: ManagementClients;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: FunctionLogger;
}

const OK: RouteResponse = { statusCode: 200 };
const FAILED: RouteResponse = { statusCode: 500 };

export function createDefaultHandler(deps: DefaultDeps): (event: unknown, context?: unknown) => Promise<RouteResponse> {
  const { store, management, now } = deps;

  return async (event, context) => {
    const opened = openRouteInvocation(event, context, deps.log, management);
    if (!opened.ok) return FAILED;
    const { ids, log, connectionId, client } = opened;
    const base = { connectionId };

    /** Sends an error frame; a gone connection only needs its item removed. */
    const sendError = async (reason: ErrorReason, extra?: Record<string, number>): Promise<RouteResponse> => {
      try {
        const sent = await postToConnection(client, connectionId, errorFrame(reason, extra));
        if (sent === 'gone') return removeStale();
        return OK;
      } catch (err) {
        log('error', 'post_failed', { ...base, answer: reason, error: describeError(err) });
        return FAILED;
      }
    };

    const removeStale = async (): Promise<RouteResponse> => {
      try {
        await store.delete(connectionId);
        log.metric('info', 'stale_connection_removed', { GoneCleanup: 1 }, base);
        return OK;
      } catch (err) {
        log('error', 'store_failed', { ...base, operation: 'delete', error: describeError(err) });
        return FAILED;
      }
    };

    const target = { client, connectionId, store, log };
    const expire = async (tokenExp: number): Promise<RouteResponse> =>
      (await closeExpired(target, tokenExp)) ? OK : FAILED;

    const nowMs = now();
    let found: Awaited<ReturnType<ConnectionStore['get']>>;
    try {
      found = await store.get(connectionId);
    } catch (err) {
      await reportInternalError(target, ids.apiRequestId, 'get', err);
      return FAILED;
    }
    if (found.status === 'missing') {
      log('warn', 'connection_not_found', base);
      return sendError('connection_not_found');
    }
    if (found.status === 'invalid') {
      log('error', 'item_invalid', { ...base, detail: found.reason });
      return sendError('connection_invalid');
    }
    const { item } = found;
    if (isTokenExpired(item.tokenExp, nowMs)) return expire(item.tokenExp);

    const body = isRecord(event) ? event['body'] : undefined;
    const isBase64Encoded = isRecord(event) ? event['isBase64Encoded'] : undefined;
    const echo = buildEcho({ body, isBase64Encoded, connection: toConnectionView(item), receivedAt: new Date(nowMs) });
    if (!echo.ok) {
      log('warn', echo.reason, { ...base, bytes: echo.bytes });
      return sendError(echo.reason, echo.reason === 'message_too_large' ? { limit: 131_072 } : undefined);
    }
    try {
      const sent = await postToConnection(client, connectionId, echo.data);
      if (sent === 'gone') return removeStale();
    } catch (err) {
      log('error', 'post_failed', { ...base, answer: 'echo', error: describeError(err) });
      return FAILED;
    }
    log.metric('debug', 'echoed', { Echo: 1 }, { ...base, bytes: echo.data.length });
    return OK;
  };
}
