// $connect: check the per-user limit, store the connection (one conditional PutItem) with its context claims,
// and accept the handshake. Everything it needs is injected, so tests run it with stubs. No frame can be sent
// before the handshake completes (PostToConnection answers 410 from $connect), so a storage failure refuses
// the handshake with 500. With revocation on, the revocation record is read again after the item is stored:
// control's `revoke` writes its record and then sweeps the items, so either the sweep finds this item or this
// read finds the record (write-then-check on both sides).
import type { ConnectionConfig } from '../shared/connection-config.ts';
import type { ConnectionStore } from '../shared/connection-store.ts';
import { describeError, type FunctionLogger } from '../shared/log.ts';
import type { ManagementClients } from '../shared/management-clients.ts';
import { isRevoked, type RevocationReader } from '../shared/token/revocations.ts';
import { openConnectionInvocation } from '../shared/route-invocation.ts';
import { readAuthorizerContext, type RouteResponse } from '../shared/websocket-event.ts';
import { bearerSubprotocol, buildConnectionItem, claimsFromContext } from './connect-request.ts';
import { checkConnectionLimit, type LimitDeps } from './connection-limit.ts';

export interface ConnectDeps {
  readonly config: Pick<
    ConnectionConfig,
    'tableName' | 'ttlSeconds' | 'storedHeaders' | 'tokenQueryParam' | 'maxConnectionsPerUser' | 'contextClaims'
  >;
  readonly store: Pick<ConnectionStore, 'put' | 'delete'>;
  readonly dynamo: LimitDeps['dynamo'];
  readonly management: ManagementClients;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: FunctionLogger;
  /** Set when REVOCATIONS_TABLE is: the strongly consistent read of the user's revocation record. */
  readonly revocations?: RevocationReader;
}

/**
 * The answer at the limit. 429 (Too Many Requests) says "not now, for this user" and tells apart from the
 * authorizer's 401/403; non-browser clients see the status, browsers only a close with code 1006.
 */
export const LIMIT_STATUS = 429;

/** The answer to a handshake whose session was revoked while it opened: the authorizer's refusal status. */
export const REVOKED_STATUS = 401;

/** After the PutItem: a record covering this session (or a failed read) removes the item and refuses. */
async function refuseIfRevoked(
  deps: { reader: RevocationReader; store: Pick<ConnectionStore, 'delete'>; log: FunctionLogger },
  session: { sub: string; connectionId: string; authTime: number | undefined },
): Promise<RouteResponse | undefined> {
  const { reader, store, log } = deps;
  const { sub, connectionId, authTime } = session;
  const record = await reader.revokedAt(sub);
  // Without authTime nothing proves the session is newer than a record: any record refuses it.
  if (record.ok && !isRevoked(authTime ?? 0, record.revokedAt)) return undefined;
  try {
    await store.delete(connectionId);
  } catch (err) {
    log.metric(
      'error',
      'store_failed',
      { InternalError: 1 },
      { connectionId, operation: 'delete', error: describeError(err) },
    );
  }
  if (!record.ok) {
    // Fail closed, as the authorizer: an unreadable record never lets a possibly revoked session in.
    log.metric('error', 'revocation_unavailable', { InternalError: 1 }, { connectionId, error: record.error });
    return { statusCode: 500 };
  }
  log('warn', 'revoked', { connectionId, sub, revokedAt: record.revokedAt, authTime });
  return { statusCode: REVOKED_STATUS };
}

export function createConnectHandler(deps: ConnectDeps): (event: unknown, context?: unknown) => Promise<RouteResponse> {
  const { config, store, dynamo, management, now } = deps;
  return async (event, context) => {
    const opened = openConnectionInvocation(event, context, deps.log);
    if (!opened.ok) return { statusCode: 500 };
    const { log, connectionId } = opened;
    const read = readAuthorizerContext(event);
    // Without the authorizer's context the route is misconfigured (no authorizer on $connect, or another one):
    // refuse rather than store an anonymous connection.
    if (!read.ok || read.context.exp === undefined) {
      const detail = read.ok ? 'authorizer context has no exp' : read.reason;
      log('error', 'missing_authorizer_context', { connectionId, category: 'configuration', detail });
      return { statusCode: 403 };
    }
    const nowMs = now();
    const { sub } = read.context;

    if (config.maxConnectionsPerUser > 0) {
      let client: LimitDeps['management'];
      try {
        client = management.forEvent(event);
      } catch (err) {
        log('error', 'bad_event', { connectionId, detail: describeError(err) });
        return { statusCode: 500 };
      }
      let limit: Awaited<ReturnType<typeof checkConnectionLimit>>;
      try {
        limit = await checkConnectionLimit(
          { dynamo, tableName: config.tableName, store, management: client, log },
          { sub, connectionId, max: config.maxConnectionsPerUser, nowMs },
        );
      } catch (err) {
        log.metric(
          'error',
          'store_failed',
          { InternalError: 1 },
          { connectionId, operation: 'query', error: describeError(err) },
        );
        return { statusCode: 500 };
      }
      if (!limit.ok) {
        log('warn', 'connection_limit_reached', {
          connectionId,
          sub,
          live: limit.live,
          max: config.maxConnectionsPerUser,
        });
        return { statusCode: LIMIT_STATUS };
      }
      if (limit.removed > 0) log.metric('info', 'stale_connections_removed', { GoneCleanup: limit.removed }, { sub });
    }

    const item = buildConnectionItem({
      event,
      connectionId,
      context: { ...read.context, exp: read.context.exp },
      claims: claimsFromContext(event, config.contextClaims),
      config,
      nowMs,
    });
    let outcome: Awaited<ReturnType<ConnectionStore['put']>>;
    try {
      outcome = await store.put(item);
    } catch (err) {
      log.metric(
        'error',
        'store_failed',
        { InternalError: 1 },
        { connectionId, operation: 'put', error: describeError(err) },
      );
      return { statusCode: 500 };
    }
    // A retried event finds its own item: accept again, the stored one stays as first written.
    if (outcome === 'already_exists') log('warn', 'already_stored', { connectionId });
    if (deps.revocations !== undefined) {
      const refused = await refuseIfRevoked(
        { reader: deps.revocations, store, log },
        { sub, connectionId, authTime: read.context.authTime },
      );
      if (refused !== undefined) return refused;
    }
    if (outcome !== 'already_exists')
      log.metric('info', 'connected', { Connect: 1 }, { connectionId, sub: item.sub, tokenExp: item.tokenExp });
    const protocol = bearerSubprotocol(event);

    return protocol === undefined
      ? { statusCode: 200 }
      : { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': protocol } };
  };
}
