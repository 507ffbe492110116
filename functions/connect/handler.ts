// $connect: store the connection (one conditional PutItem) and accept the handshake. Everything it needs is
// injected, so tests run it with stubs.
import type { ConnectionConfig } from '../shared/connection-config.ts';
import type { ConnectionStore } from '../shared/connection-store.ts';
import { buildConnectionItem, bearerSubprotocol } from './connect-request.ts';
import { describeError, type Logger } from '../shared/log.ts';
import {
  readAuthorizerContext,
  readConnectionId,
  readRequestId,
  type RouteResponse,
} from '../shared/websocket-event.ts';

export interface ConnectDeps {
  readonly config: Pick<ConnectionConfig, 'ttlSeconds' | 'storedHeaders' | 'tokenQueryParam'>;
  readonly store: Pick<ConnectionStore, 'put'>;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: Logger;
}

export function createConnectHandler(deps: ConnectDeps): (event: unknown) => Promise<RouteResponse> {
  const { config, store, now, log } = deps;
  return async (event) => {
    const requestId = readRequestId(event);
    const connectionId = readConnectionId(event);
    if (connectionId === undefined) {
      log('error', 'bad_event', { requestId, detail: 'requestContext.connectionId is missing or invalid' });
      return { statusCode: 500 };
    }
    const read = readAuthorizerContext(event);
    // Without the authorizer's context the route is misconfigured (no authorizer on $connect, or another one):
    // refuse rather than store an anonymous connection.
    if (!read.ok || read.context.exp === undefined) {
      const detail = read.ok ? 'authorizer context has no exp' : read.problem;
      log('error', 'missing_authorizer_context', { requestId, connectionId, category: 'configuration', detail });
      return { statusCode: 403 };
    }
    const nowMs = now();
    const item = buildConnectionItem({
      event,
      connectionId,
      context: { ...read.context, exp: read.context.exp },
      config,
      nowMs,
    });
    let outcome: Awaited<ReturnType<ConnectionStore['put']>>;
    try {
      outcome = await store.put(item);
    } catch (err) {
      log('error', 'store_failed', { requestId, connectionId, error: describeError(err) });
      return { statusCode: 500 };
    }
    // A retried event finds its own item: accept again, the stored one stays as first written.
    if (outcome === 'already_exists') log('warn', 'already_stored', { requestId, connectionId });
    else log('info', 'connected', { requestId, connectionId, sub: item.sub, tokenExp: item.tokenExp });
    const protocol = bearerSubprotocol(event);
    return protocol === undefined
      ? { statusCode: 200 }
      : { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': protocol } };
  };
}
