// What every message route ($default, refresh) does in two shared situations: closing a connection whose stored
// token expiry has passed, and telling a client that storage failed. Both talk to the management API, which
// does not depend on DynamoDB.
import type { ConnectionStore } from './connection-store.ts';
import { errorFrame, internalErrorFrame } from './error-frame.ts';
import { describeError, type FunctionLogger, type LogFields } from './log.ts';
import { deleteConnection, postToConnection, type ManagementLike } from './management-clients.ts';

export interface ReplyTarget {
  readonly client: ManagementLike;
  readonly connectionId: string;
  readonly store: Pick<ConnectionStore, 'delete'>;
  /** Bound to the invocation's request ids. */
  readonly log: FunctionLogger;
}

/**
 * Tells the client `token_expired`, closes the socket and deletes the item, counting `TokenExpired`. Every step
 * is attempted even when an earlier one fails, so the connection is closed and forgotten as far as possible.
 * Returns false when a step failed (the route then answers 500).
 */
export async function closeExpired(target: ReplyTarget, tokenExp: number, fields: LogFields = {}): Promise<boolean> {
  const { client, connectionId, store, log } = target;
  const base = { connectionId };
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
  log.metric('info', 'token_expired', { TokenExpired: 1 }, { ...fields, ...base, tokenExp });
  return !failed;
}

/**
 * Storage failed: logs `store_failed` counting `InternalError`, then sends
 * `{"type":"error","reason":"internal_error","requestId":<API Gateway's id>}` to the client.
 */
export async function reportInternalError(
  target: Omit<ReplyTarget, 'store'>,
  apiRequestId: string | undefined,
  operation: string,
  err: unknown,
): Promise<void> {
  const { client, connectionId, log } = target;
  log.metric('error', 'store_failed', { InternalError: 1 }, { connectionId, operation, error: describeError(err) });
  try {
    await postToConnection(client, connectionId, internalErrorFrame(apiRequestId));
  } catch (postErr) {
    log('error', 'post_failed', { connectionId, answer: 'internal_error', error: describeError(postErr) });
  }
}
