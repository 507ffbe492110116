// $default: echo each message to its sender with its stored connection, after re-checking the token's expiry
// (the authorizer only ran at $connect). Handled cases answer 200: a 500 from a route integration reaches no
// client and only API Gateway's logs. Unexpected failures are logged with a reason and answered 500.
import type { ConnectionStore } from '../shared/connection-store.ts';
import { toConnectionView } from '../shared/connection-item.ts';
import { isRecord } from '../../shared/guards.ts';
import { buildEcho } from './echo-message.ts';
import { errorFrame, type ErrorReason } from '../shared/error-frame.ts';
import { describeError, type Logger } from '../shared/log.ts';
import {
  deleteConnection,
  postToConnection,
  type ManagementClients,
  type ManagementLike,
} from '../shared/management-clients.ts';
import { isTokenExpired } from '../shared/token-expiry.ts';
import {
  readAuthorizerContext,
  readConnectionId,
  readRequestId,
  type RouteResponse,
} from '../shared/websocket-event.ts';

export interface DefaultDeps {
  readonly store: Pick<ConnectionStore, 'get' | 'delete'>;
  readonly management: ManagementClients;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: Logger;
}

const OK: RouteResponse = { statusCode: 200 };
const FAILED: RouteResponse = { statusCode: 500 };

export function createDefaultHandler(deps: DefaultDeps): (event: unknown) => Promise<RouteResponse> {
  const { store, management, now, log } = deps;

  return async (event) => {
    const requestId = readRequestId(event);
    const connectionId = readConnectionId(event);
    let client: ManagementLike;
    try {
      if (connectionId === undefined) throw new Error('requestContext.connectionId is missing or invalid');
      client = management.forEvent(event);
    } catch (err) {
      log('error', 'bad_event', { requestId, detail: describeError(err) });
      return FAILED;
    }
    const base = { requestId, connectionId };

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
        log('info', 'stale_connection_removed', base);
        return OK;
      } catch (err) {
        log('error', 'store_failed', { ...base, operation: 'delete', error: describeError(err) });
        return FAILED;
      }
    };

    // Every step is attempted even when an earlier one fails, so an expired connection is closed and
    // forgotten as far as possible.
    const expire = async (tokenExp: number): Promise<RouteResponse> => {
      let failed = false;
      let gone = false;
      try {
        gone = (await postToConnection(client, connectionId, errorFrame('token_expired'))) === 'gone';
      } catch (err) {
        failed = true;
        log('error', 'post_failed', { ...base, answer: 'token_expired', error: describeError(err) });
      }
      if (!gone) {
        try {
          await deleteConnection(client, connectionId);
        } catch (err) {
          failed = true;
          log('error', 'close_failed', { ...base, error: describeError(err) });
        }
      }
      try {
        await store.delete(connectionId);
      } catch (err) {
        failed = true;
        log('error', 'store_failed', { ...base, operation: 'delete', error: describeError(err) });
      }
      log('info', 'token_expired', { ...base, tokenExp });
      return failed ? FAILED : OK;
    };

    const nowMs = now();
    const read = readAuthorizerContext(event);
    // The stored item still carries tokenExp, so a bad context is not fatal here; it is worth a warning.
    if (!read.ok) log('warn', 'authorizer_context_invalid', { ...base, detail: read.problem });
    const contextExp = read.ok ? read.context.exp : undefined;
    if (contextExp !== undefined && isTokenExpired(contextExp, nowMs)) return expire(contextExp);

    let found: Awaited<ReturnType<ConnectionStore['get']>>;
    try {
      found = await store.get(connectionId);
    } catch (err) {
      log('error', 'store_failed', { ...base, operation: 'get', error: describeError(err) });
      return FAILED;
    }
    if (found.status === 'missing') {
      log('warn', 'connection_not_found', base);
      return sendError('connection_not_found');
    }
    if (found.status === 'invalid') {
      log('error', 'item_invalid', { ...base, detail: found.problem });
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
    log('debug', 'echoed', { ...base, bytes: echo.data.length });
    return OK;
  };
}
