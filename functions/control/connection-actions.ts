// What the control function does to one connection, with every outcome made explicit and counted. A failure
// of one connection is logged with a reason code and counted; it never stops the others.
import { errorName } from '../../shared/guards.ts';
import type { ConnectionItem } from '../shared/connection-item.ts';
import type { ConnectionStore } from '../shared/connection-store.ts';
import { errorFrame } from '../shared/error-frame.ts';
import { describeError, type Logger } from '../shared/log.ts';
import { deleteConnection, postToConnection, type ManagementLike } from '../shared/management-clients.ts';
import { isTokenExpired } from '../shared/token-expiry.ts';

export interface SendTally {
  delivered: number;
  gone: number;
  expired: number;
  failed: number;
}

export interface CloseTally {
  closed: number;
  gone: number;
  failed: number;
}

export interface ActionDeps {
  readonly store: Pick<ConnectionStore, 'delete'>;
  readonly management: ManagementLike;
  readonly log: Logger;
}

/** The SDK error's name as a reason detail (never its message, which may quote a connection's data). */
function errorCode(err: unknown): string {
  return (errorName(err) ?? 'Error').slice(0, 64);
}

/**
 * Deletes the item; a failure is logged and tolerated: the connection is already gone or closed, and TTL
 * is the backstop. Returns whether the item is gone.
 */
async function forget(deps: ActionDeps, connectionId: string): Promise<boolean> {
  try {
    await deps.store.delete(connectionId);
    return true;
  } catch (err) {
    deps.log('error', 'orphan_left', { connectionId, operation: 'delete', error: describeError(err) });
    return false;
  }
}

/**
 * A connection whose stored token expiry has passed: told why (as $default tells it), closed, and forgotten.
 * 'expired' once the socket is closed or found gone; 'failed' when it could not be closed (the item is kept,
 * so a later call finds it again).
 */
async function expire(deps: ActionDeps, item: ConnectionItem): Promise<'expired' | 'failed'> {
  const { connectionId } = item;
  let gone = false;
  try {
    gone = (await postToConnection(deps.management, connectionId, errorFrame('token_expired'))) === 'gone';
  } catch (err) {
    // Telling the client is a courtesy; closing is what matters.
    deps.log('warn', 'post_failed', { connectionId, answer: 'token_expired', error: errorCode(err) });
  }
  if (!gone) {
    try {
      await deleteConnection(deps.management, connectionId);
    } catch (err) {
      deps.log('error', 'close_failed', { connectionId, error: errorCode(err) });
      return 'failed';
    }
  }
  await forget(deps, connectionId);
  deps.log('info', 'token_expired', { connectionId, tokenExp: item.tokenExp });
  return 'expired';
}

/** Sends the push frame to one stored connection, or expires it, or cleans up after it. */
export async function deliver(
  deps: ActionDeps,
  item: ConnectionItem,
  frame: Uint8Array,
  nowMs: number,
  tally: SendTally,
): Promise<void> {
  const { connectionId } = item;
  try {
    // Past its TTL the connection is past API Gateway's 2-hour limit: gone, whatever the item says.
    if (item.ttl * 1000 <= nowMs) {
      await forget(deps, connectionId);
      tally.gone += 1;
      return;
    }
    if (isTokenExpired(item.tokenExp, nowMs)) {
      tally[await expire(deps, item)] += 1;
      return;
    }
    const sent = await postToConnection(deps.management, connectionId, frame);
    if (sent === 'sent') {
      tally.delivered += 1;
      return;
    }
    await forget(deps, connectionId);
    deps.log('info', 'stale_connection_removed', { connectionId });
    tally.gone += 1;
  } catch (err) {
    tally.failed += 1;
    deps.log('error', 'post_failed', { connectionId, answer: 'push', error: errorCode(err) });
  }
}

/**
 * DeleteConnection, then the item (its $disconnect may be lost, and the per-user count reads the items). A
 * connection that could not be closed keeps its item, so a retried call finds it again.
 */
export async function close(deps: ActionDeps, connectionId: string, tally: CloseTally): Promise<void> {
  try {
    const closed = await deleteConnection(deps.management, connectionId);
    await forget(deps, connectionId);
    tally[closed === 'closed' ? 'closed' : 'gone'] += 1;
  } catch (err) {
    tally.failed += 1;
    deps.log('error', 'close_failed', { connectionId, error: errorCode(err) });
  }
}
