// The per-user connection limit (MAX_CONNECTIONS_PER_USER) checked at $connect. Live items of the sub are
// counted through `sub-index`; items past their TTL or stored token expiry do not count. At the limit, the
// counted connections are checked with GetConnection, oldest first, and the gone ones are deleted, so a lost
// $disconnect cannot lock a user out until TTL. The count is approximate under races: see docs/architecture.md.
import { GetConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionItem } from '../shared/connection-item.ts';
import type { ConnectionStore } from '../shared/connection-store.ts';
import type { DynamoLike } from '../shared/dynamo-like.ts';
import { describeError, type Logger } from '../shared/log.ts';
import { isGoneError } from '../shared/management-clients.ts';
import { connectionsOfSub } from '../shared/sub-index-pages.ts';
import { isTokenExpired } from '../shared/token-expiry.ts';

export interface GetConnectionClient {
  send(command: GetConnectionCommand): Promise<unknown>;
}

export interface LimitDeps {
  readonly dynamo: DynamoLike;
  readonly tableName: string;
  readonly store: Pick<ConnectionStore, 'delete'>;
  readonly management: GetConnectionClient;
  readonly log: Logger;
}

export type LimitCheck =
  | { readonly ok: true; readonly live: number; readonly removed: number }
  | { readonly ok: false; readonly reason: 'limit_reached'; readonly live: number; readonly removed: number };

/** GetConnection calls in flight at once while checking doubtful connections. */
const CHECK_CONCURRENCY = 10;

type Probe = 'live' | 'gone' | 'unknown';

async function probe(deps: LimitDeps, connectionId: string): Promise<Probe> {
  try {
    await deps.management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    return 'live';
  } catch (err) {
    if (isGoneError(err)) return 'gone';
    // Not provably gone: it keeps counting (the limit fails closed for this one connection).
    deps.log('warn', 'connection_check_failed', { connectionId, error: describeError(err) });
    return 'unknown';
  }
}

/**
 * Whether one more connection of `sub` fits under `max` (0 = unlimited, no call made). `connectionId` is the
 * connection being opened: a retried $connect that finds its own item does not count itself.
 */
export async function checkConnectionLimit(
  deps: LimitDeps,
  input: { readonly sub: string; readonly connectionId: string; readonly max: number; readonly nowMs: number },
): Promise<LimitCheck> {
  const { sub, connectionId, max, nowMs } = input;
  if (max === 0) return { ok: true, live: 0, removed: 0 };
  const counted: ConnectionItem[] = [];
  for await (const item of connectionsOfSub(deps.dynamo, deps.tableName, sub, {
    onInvalid: (reason) => deps.log('warn', 'item_invalid', { detail: reason }),
  })) {
    if (item.connectionId === connectionId) continue;
    if (item.ttl * 1000 <= nowMs || isTokenExpired(item.tokenExp, nowMs)) continue;
    counted.push(item);
  }
  if (counted.length < max) return { ok: true, live: counted.length, removed: 0 };

  // At the limit: enough of them must turn out gone to make room. Oldest first (sub-index order): a connection
  // whose $disconnect was lost is most likely among the oldest.
  const needed = counted.length - max + 1;
  let live = counted.length;
  let removed = 0;
  for (let start = 0; start < counted.length && removed < needed; start += CHECK_CONCURRENCY) {
    const batch = counted.slice(start, start + CHECK_CONCURRENCY);
    const probes = await Promise.all(batch.map((item) => probe(deps, item.connectionId)));
    for (const [index, result] of probes.entries()) {
      const item = batch[index];
      if (result !== 'gone' || item === undefined) continue;
      live -= 1;
      removed += 1;
      try {
        await deps.store.delete(item.connectionId);
        deps.log('info', 'stale_connection_removed', { connectionId: item.connectionId });
      } catch (err) {
        // The connection is gone whether or not its item goes; TTL remains the backstop.
        deps.log('error', 'orphan_left', { connectionId: item.connectionId, error: describeError(err) });
      }
    }
  }
  return live < max ? { ok: true, live, removed } : { ok: false, reason: 'limit_reached', live, removed };
}
