// $disconnect: delete the item. Idempotent (a missing item is fine) and best effort like the event itself:
// items whose $disconnect never comes are removed by the table's TTL.
import type { ConnectionStore } from '../shared/connection-store.ts';
import { isRecord } from '../../shared/guards.ts';
import { describeError, type Logger } from '../shared/log.ts';
import { readConnectionId, readRequestId, requestContextOf, type RouteResponse } from '../shared/websocket-event.ts';

export interface DisconnectDeps {
  readonly store: Pick<ConnectionStore, 'delete'>;
  readonly log: Logger;
}

// A WebSocket close reason is at most 123 bytes; it comes from the client, so it is capped before logging.
const MAX_REASON_LENGTH = 123;

function closeDetails(event: unknown): {
  disconnectStatusCode: number | undefined;
  disconnectReason: string | undefined;
} {
  const ctx = requestContextOf(event);
  const code = isRecord(ctx) ? ctx['disconnectStatusCode'] : undefined;
  const reason = isRecord(ctx) ? ctx['disconnectReason'] : undefined;
  const numeric = typeof code === 'string' && /^\d{1,5}$/.test(code) ? Number(code) : code;
  return {
    disconnectStatusCode: typeof numeric === 'number' && Number.isInteger(numeric) ? numeric : undefined,
    disconnectReason: typeof reason === 'string' ? reason.slice(0, MAX_REASON_LENGTH) : undefined,
  };
}

export function createDisconnectHandler(deps: DisconnectDeps): (event: unknown) => Promise<RouteResponse> {
  const { store, log } = deps;
  return async (event) => {
    const requestId = readRequestId(event);
    const connectionId = readConnectionId(event);
    if (connectionId === undefined) {
      log('error', 'bad_event', { requestId, detail: 'requestContext.connectionId is missing or invalid' });
      return { statusCode: 500 };
    }
    const details = closeDetails(event);
    try {
      await store.delete(connectionId);
    } catch (err) {
      log('error', 'store_failed', { requestId, connectionId, ...details, error: describeError(err) });
      return { statusCode: 500 };
    }
    log('info', 'disconnected', { requestId, connectionId, ...details });
    return { statusCode: 200 };
  };
}
