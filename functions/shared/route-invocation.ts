// What every message route ($default, refresh) does first: the invocation's request ids, a logger bound to them,
// the connection id, and the management client for the event. An event without these is a misconfiguration,
// logged as `bad_event` here; the route then answers 500.
import { invocationIds } from './invocation.ts';
import { describeError, type FunctionLogger, type RequestIds } from './log.ts';
import type { ManagementClients, ManagementLike } from './management-clients.ts';
import { readConnectionId } from './websocket-event.ts';

export type RouteInvocation =
  | {
      readonly ok: true;
      readonly ids: RequestIds;
      readonly log: FunctionLogger;
      readonly connectionId: string;
      readonly client: ManagementLike;
    }
  | { readonly ok: false; readonly reason: 'bad_event' };

export function openRouteInvocation(
  event: unknown,
  context: unknown,
  logger: FunctionLogger,
  management: ManagementClients,
): RouteInvocation {
  const ids = invocationIds(event, context);
  const log = logger.forRequest(ids);
  const connectionId = readConnectionId(event);
  try {
    if (connectionId === undefined) throw new Error('requestContext.connectionId is missing or invalid');
    return { ok: true, ids, log, connectionId, client: management.forEvent(event) };
  } catch (err) {
    log('error', 'bad_event', { detail: describeError(err) });
    return { ok: false, reason: 'bad_event' };
  }
}
