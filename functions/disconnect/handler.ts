// $disconnect: delete the item. Idempotent (a missing item is fine) and best effort like the event itself.
// DeleteItem is retried within the invocation's time budget; if it still fails, `orphan_left` names the
// connection and the table's TTL removes the item later.
import type { ConnectionStore } from '../shared/connection-store.ts';
import { isRecord } from '../../shared/guards.ts';
import { remainingMs } from '../shared/invocation.ts';
import { describeError, type FunctionLogger } from '../shared/log.ts';
import { openConnectionInvocation } from '../shared/route-invocation.ts';
import { requestContextOf, type RouteResponse } from '../shared/websocket-event.ts';
import { deleteWithinBudget, DISCONNECT_RETRY, type RetryOptions } from './delete-within-budget.ts';

export interface DisconnectDeps {
  readonly store: Pick<ConnectionStore, 'delete'>;
  readonly log: FunctionLogger;
  readonly sleep: (ms: number) => Promise<void>;
  readonly retry?: RetryOptions;
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

export function createDisconnectHandler(
  deps: DisconnectDeps,
): (event: unknown, context?: unknown) => Promise<RouteResponse> {
  const { store, sleep } = deps;
  return async (event, context) => {
    const opened = openConnectionInvocation(event, context, deps.log);
    if (!opened.ok) return { statusCode: 500 };
    const { log, connectionId } = opened;
    const details = closeDetails(event);
    const outcome = await deleteWithinBudget(
      () => store.delete(connectionId),
      { remainingMs: () => remainingMs(context), sleep },
      deps.retry ?? DISCONNECT_RETRY,
    );
    if (!outcome.ok) {
      log.metric(
        'error',
        'orphan_left',
        { InternalError: 1 },
        {
          connectionId,
          ...details,
          attempts: outcome.rounds,
          error: describeError(outcome.error),
        },
      );
      return { statusCode: 500 };
    }
    log.metric(
      'info',
      'disconnected',
      { Disconnect: 1 },
      { connectionId, ...details, ...(outcome.rounds > 1 ? { attempts: outcome.rounds } : {}) },
    );
    return { statusCode: 200 };
  };
}
