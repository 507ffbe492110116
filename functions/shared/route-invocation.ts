// What every message route ($default, refresh) does first: the invocation's request ids, a logger bound to them,
// the connection id, and the management client for the event. An event without these is a misconfiguration,
// logged as `bad_event` here; the route then answers 500.
import { invocationIds } from './invocation.ts';
import { describeError, type FunctionLogger, type RequestIds } from './log.ts';
import type { ManagementClients, ManagementLike } from './management-clients.ts';
import { readConnectionId } from './websocket-event.ts';

export type ConnectionInvocation =
  | { readonly ok: true; readonly ids: RequestIds; readonly log: FunctionLogger; readonly connectionId: string }
  | { readonly ok: false; readonly reason: 'bad_event' };

export type RouteInvocation =
  | {
      readonly ok: true;
      readonly ids: RequestIds;
      readonly log: FunctionLogger;
      readonly connectionId: string;
      readonly client: ManagementLike;
    }
  | { readonly ok: false; readonly reason: 'bad_event' };

/** What every route function does first ($connect and $disconnect too): ids, a bound logger, the connection id. */
export function openConnectionInvocation(
  event: unknown,
  context: unknown,
  logger: FunctionLogger,
): ConnectionInvocation {
  const ids = invocationIds(event, context);
  const log = logger.forRequest(ids);
  const connectionId = readConnectionId(event);
  if (connectionId === undefined) {
    log('error', 'bad_event', { detail: 'requestContext.connectionId is missing or invalid' });
    return { ok: false, reason: 'bad_event' };
  }
  return { ok: true, ids, log, connectionId };
}

/** The message routes also need the management client for the event. */
export function openRouteInvocation(
  event: unknown,
  context: unknown,
  logger: FunctionLogger,
  management: ManagementClients,
): RouteInvocation {
  const opened = openConnectionInvocation(event, context, logger);
  if (!opened.ok) return opened;
  try {
    return { ...opened, client: management.forEvent(event) };
  } catch (err) {
    opened.log('error', 'bad_event', { detail: describeError(err) });
    return { ok: false, reason: 'bad_event' };
  }
}
