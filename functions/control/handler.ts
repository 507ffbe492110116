// The control function: a backend's Lambda Invoke payload in, an answer out (docs/architecture.md, "Control
// function"). Bad payloads are answered, never thrown. A storage failure that stops an operation is logged as
// `internal_error` and thrown, so the invoker sees a function error (and EventBridge retries) instead of a
// partial answer that looks complete.
import type { ConnectionItem } from '../shared/connection-item.ts';
import type { ConnectionStore } from '../shared/connection-store.ts';
import { forEachBounded } from '../shared/bounded.ts';
import type { DynamoLike } from '../shared/dynamo-like.ts';
import { lambdaRequestId, remainingMs } from '../shared/invocation.ts';
import { describeError, type FunctionLogger, type Logger, type Metrics } from '../shared/log.ts';
import type { ManagementLike } from '../shared/management-clients.ts';
import { connectionsOfSub } from '../shared/sub-index-pages.ts';
import { isTokenExpired } from '../shared/token-expiry.ts';
import type { ControlConfig } from './config.ts';
import { close, deliver, type CloseTally, type SendTally } from './connection-actions.ts';
import { buildPushFrame } from './push-frame.ts';
import { parseControlRequest, type ControlRequest, type Target } from './request.ts';
import { recordRevocation } from './revocation.ts';

export interface ControlDeps {
  readonly config: Pick<ControlConfig, 'tableName' | 'revocationsTable'>;
  readonly dynamo: DynamoLike;
  readonly store: Pick<ConnectionStore, 'get' | 'delete'>;
  readonly management: ManagementLike;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: FunctionLogger;
  /** Management API calls in flight at once. */
  readonly concurrency?: number;
  readonly pageSize?: number;
  /** Waits `ms`; injected so tests need not wait for revoke's second sweep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export type ControlAnswer = Readonly<Record<string, unknown>>;

export const DEFAULT_CONCURRENCY = 32;
/** No new connection is started with less left than one call's worst case (2 attempts of 1.5 s) plus a margin. */
export const DEADLINE_MARGIN_MS = 4000;
/** `list` stays far below Lambda's 6 MB response limit whatever the stored claims hold. */
export const MAX_LIST_ENTRIES = 1000;
/**
 * `revoke` sweeps the sub's connections a second time this long after the first: a handshake whose authorizer
 * ran before the record was written may store its item after the first sweep (Lambda start, the limit Query,
 * the sub-index's replication lag). $connect's own re-read of the record closes most of that window.
 */
export const REVOKE_SECOND_SWEEP_MS = 1500;

export interface ListEntry {
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly tokenExp: number;
  readonly claims: Readonly<Record<string, string>>;
}

class InternalError extends Error {
  constructor(
    readonly step: string,
    readonly original: unknown,
  ) {
    super(`internal_error: ${step} failed (${describeError(original)})`);
    this.name = 'InternalError';
  }
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new InternalError(name, err);
  }
}

export function createControlHandler(
  deps: ControlDeps,
): (payload: unknown, context?: unknown) => Promise<ControlAnswer> {
  const { config, dynamo, store, management, now } = deps;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** The sub's items, stopping (and saying so) when the invocation's time runs short. */
  function itemsOf(
    sub: string,
    log: Logger,
    context: unknown,
    cut: { truncated: boolean },
  ): AsyncIterable<ConnectionItem> {
    const source = connectionsOfSub(dynamo, config.tableName, sub, {
      ...(deps.pageSize !== undefined ? { pageSize: deps.pageSize } : {}),
      onInvalid: (problem) => log('warn', 'item_invalid', { detail: problem }),
    });
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const item of source) {
            const left = remainingMs(context);
            if (left !== undefined && left < DEADLINE_MARGIN_MS) {
              cut.truncated = true;
              log('warn', 'deadline_reached', { remainingMs: left });
              return;
            }
            yield item;
          }
        } catch (err) {
          throw new InternalError('query sub-index', err);
        }
      },
    };
  }

  async function send(target: Target, message: unknown, log: FunctionLogger, context: unknown): Promise<ControlAnswer> {
    const nowMs = now();
    const frame = buildPushFrame(message, new Date(nowMs));
    if (!frame.ok) {
      log('warn', frame.reason, frame.reason === 'message_too_large' ? { bytes: frame.bytes } : {});
      return frame.reason === 'message_too_large'
        ? { error: 'message_too_large' }
        : { error: 'invalid_request', message: frame.message };
    }
    const tally: SendTally = { delivered: 0, gone: 0, expired: 0, failed: 0 };
    const actions = { store, management, log };
    const cut = { truncated: false };
    if ('connectionId' in target) {
      const found = await step('get item', () => store.get(target.connectionId));
      if (found.status === 'found') await deliver(actions, found.item, frame.data, nowMs, tally);
      else if (found.status === 'missing') tally.gone += 1;
      else {
        tally.failed += 1;
        log('error', 'item_invalid', { connectionId: target.connectionId, detail: found.reason });
      }
    } else {
      await forEachBounded(itemsOf(target.sub, log, context, cut), concurrency, (item) =>
        deliver(actions, item, frame.data, nowMs, tally),
      );
    }
    finish(
      log,
      'push_sent',
      { Push: tally.delivered, GoneCleanup: tally.gone, TokenExpired: tally.expired },
      tally,
      cut,
    );
    return { ...tally, ...(cut.truncated ? { truncated: true } : {}) };
  }

  async function closeAll(
    sub: string,
    log: FunctionLogger,
    context: unknown,
    tally: CloseTally,
    seen: Set<string> = new Set(),
  ): Promise<{ truncated: boolean }> {
    const cut = { truncated: false };
    const actions = { store, management, log };
    await forEachBounded(itemsOf(sub, log, context, cut), concurrency, async (item) => {
      // A later sweep may still see, through the index's lag, an item an earlier one closed.
      if (seen.has(item.connectionId)) return;
      seen.add(item.connectionId);
      await close(actions, item.connectionId, tally);
    });
    return cut;
  }

  async function disconnect(target: Target, log: FunctionLogger, context: unknown): Promise<ControlAnswer> {
    const tally: CloseTally = { closed: 0, gone: 0, failed: 0 };
    const cut =
      'connectionId' in target
        ? (await close({ store, management, log }, target.connectionId, tally), { truncated: false })
        : await closeAll(target.sub, log, context, tally);
    finish(log, 'connections_closed', { GoneCleanup: tally.gone }, tally, cut);
    return { ...tally, ...(cut.truncated ? { truncated: true } : {}) };
  }

  async function list(sub: string, log: FunctionLogger, context: unknown): Promise<ControlAnswer> {
    const nowMs = now();
    const connections: ListEntry[] = [];
    const cut = { truncated: false };
    for await (const item of itemsOf(sub, log, context, cut)) {
      // Past TTL or token expiry the connection is not live, whatever its item still says.
      if (item.ttl * 1000 <= nowMs || isTokenExpired(item.tokenExp, nowMs)) continue;
      if (connections.length === MAX_LIST_ENTRIES) {
        cut.truncated = true;
        break;
      }
      connections.push({
        connectionId: item.connectionId,
        connectedAt: item.connectedAt,
        tokenExp: item.tokenExp,
        claims: item.claims,
      });
    }
    log('info', 'connections_listed', { count: connections.length, truncated: cut.truncated });
    return { connections, ...(cut.truncated ? { truncated: true } : {}) };
  }

  async function revoke(sub: string, log: FunctionLogger, context: unknown): Promise<ControlAnswer> {
    const table = config.revocationsTable;
    if (table === undefined) {
      log('warn', 'revocation_disabled', { sub });
      return { error: 'revocation_disabled' };
    }
    const revokedAt = await step('record revocation', () => recordRevocation(dynamo, table, sub, now()));
    log('info', 'revoked', { sub, revokedAt });
    const tally: CloseTally = { closed: 0, gone: 0, failed: 0 };
    const seen = new Set<string>();
    const first = await closeAll(sub, log, context, tally, seen);
    // The second sweep only if the invocation can afford the wait and a sweep after it.
    const left = remainingMs(context);
    let cut: { truncated: boolean };
    if (left === undefined || left >= REVOKE_SECOND_SWEEP_MS + DEADLINE_MARGIN_MS) {
      await sleep(REVOKE_SECOND_SWEEP_MS);
      const second = await closeAll(sub, log, context, tally, seen);
      cut = { truncated: first.truncated || second.truncated };
    } else {
      cut = { truncated: true };
      log('warn', 'deadline_reached', { remainingMs: left, detail: 'second revoke sweep skipped' });
    }
    finish(log, 'connections_closed', { GoneCleanup: tally.gone }, tally, cut);
    return {
      closed: tally.closed,
      revokedAt,
      gone: tally.gone,
      failed: tally.failed,
      ...(cut.truncated ? { truncated: true } : {}),
    };
  }

  function finish(
    log: FunctionLogger,
    reason: string,
    metrics: Metrics,
    tally: SendTally | CloseTally,
    cut: { truncated: boolean },
  ): void {
    log.metric(tally.failed > 0 || cut.truncated ? 'warn' : 'info', reason, metrics, {
      ...tally,
      truncated: cut.truncated,
    });
  }

  function run(request: ControlRequest, log: FunctionLogger, context: unknown): Promise<ControlAnswer> {
    switch (request.op) {
      case 'send':
        return send(request.target, request.message, log, context);
      case 'disconnect':
        return disconnect(request.target, log, context);
      case 'list':
        return list(request.sub, log, context);
      case 'revoke':
        return revoke(request.sub, log, context);
    }
  }

  return async (payload, context) => {
    const parsed = parseControlRequest(payload);
    const requestLog = deps.log.forRequest({ requestId: lambdaRequestId(context) });
    if (!parsed.ok) {
      requestLog('warn', 'invalid_request', { detail: parsed.message });
      return { error: 'invalid_request', message: parsed.message };
    }
    const { request } = parsed;
    const target = 'target' in request ? request.target : { sub: request.sub };
    // Every line of this invocation names the operation and its target (a sub or a connection id, never more).
    const log = deps.log.forRequest({ requestId: lambdaRequestId(context) }, { op: request.op, ...target });
    try {
      return await run(request, log, context);
    } catch (err) {
      const failure = err instanceof InternalError ? err : new InternalError(request.op, err);
      log.metric(
        'error',
        'internal_error',
        { InternalError: 1 },
        { step: failure.step, error: describeError(failure.original) },
      );
      throw failure;
    }
  };
}
