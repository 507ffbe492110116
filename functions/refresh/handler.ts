// The `refresh` route: `{"action":"refresh","token":"..."}` on an open connection. The new token is verified with
// exactly the authorizer's checks (the shared verifier), must belong to the connection's user and expire later
// than the stored expiry; then one conditional UpdateItem moves the expiry of record. The client gets
// `token_refreshed` or `refresh_rejected` with a reason code, and the connection stays open until its current
// expiry. A refresh arriving after that expiry closes the connection as $default does. When storage fails the
// client gets `internal_error` with API Gateway's request id. The token is never stored or logged.
import { describeError, type FunctionLogger } from '../shared/log.ts';
import { postToConnection, type ManagementClients } from '../shared/management-clients.ts';
import { openRouteInvocation } from '../shared/route-invocation.ts';
import { closeExpired, reportInternalError } from '../shared/route-replies.ts';
import { isTokenExpired } from '../shared/token-expiry.ts';
import { isRecord } from '../../shared/guards.ts';
import type { RouteResponse } from '../shared/websocket-event.ts';
import type { TokenVerifier } from '../shared/token/verifier.ts';
import { parseRefreshRequest } from './refresh-request.ts';
import { planRefresh } from './refresh-rules.ts';
import type { RefreshStore, StoredRead } from './refresh-store.ts';
import { refreshRejectedFrame, tokenRefreshedFrame } from './frames.ts';

export interface RefreshDeps {
  readonly verifier: TokenVerifier;
  readonly store: RefreshStore;
  readonly management: ManagementClients;
  /** True when CONTEXT_CLAIMS is set: the stored `claims` follow the new token. */
  readonly storesClaims: boolean;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: FunctionLogger;
}

const OK: RouteResponse = { statusCode: 200 };
const FAILED: RouteResponse = { statusCode: 500 };
/**
 * Refresh has no DeleteItem permission (least privilege: GetItem and a conditional UpdateItem). Closing a late
 * refresh's connection with DeleteConnection makes API Gateway run $disconnect, which deletes the item; TTL backs
 * it. So the shared close step's item deletion is left to them.
 */
const LEAVE_TO_DISCONNECT = { delete: (): Promise<void> => Promise.resolve() };
/** Attempts of read → plan → conditional update when another writer changed the item in between. */
const MAX_ATTEMPTS = 3;

type Fields = Record<string, string | number | undefined>;

export function createRefreshHandler(deps: RefreshDeps): (event: unknown, context?: unknown) => Promise<RouteResponse> {
  const { verifier, store, management, storesClaims, now } = deps;

  return async (event, context) => {
    const opened = openRouteInvocation(event, context, deps.log, management);
    if (!opened.ok) return FAILED;
    const { ids, log, connectionId, client } = opened;
    const base = { connectionId };

    const send = async (data: Uint8Array, answer: string): Promise<RouteResponse> => {
      try {
        // A gone connection's item goes with its $disconnect (or TTL): refresh may not delete items.
        if ((await postToConnection(client, connectionId, data)) === 'gone') log('info', 'connection_gone', base);
        return OK;
      } catch (err) {
        log('error', 'post_failed', { ...base, answer, error: describeError(err) });
        return FAILED;
      }
    };

    const reject = (detail: string, fields: Fields = {}): Promise<RouteResponse> => {
      log.metric('info', 'refresh_rejected', { RefreshRejected: 1 }, { ...base, ...fields, detail });
      return send(refreshRejectedFrame(detail), 'refresh_rejected');
    };

    const target = { client, connectionId, store: LEAVE_TO_DISCONNECT, log };
    const internalError = async (operation: string, err: unknown): Promise<RouteResponse> => {
      await reportInternalError(target, ids.apiRequestId, operation, err);
      return FAILED;
    };
    // As $default closes an expired connection: a late refresh does not revive it.
    const expire = async (tokenExp: number): Promise<RouteResponse> =>
      (await closeExpired(target, tokenExp, { during: 'refresh' })) ? OK : FAILED;

    const request = parseRefreshRequest(
      isRecord(event) ? event['body'] : undefined,
      isRecord(event) ? event['isBase64Encoded'] : undefined,
    );
    if (!request.ok) return reject(request.reason);

    let verified: { readonly sub: string; readonly exp: number } | undefined;
    let claims: Readonly<Record<string, string>> | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      let read: StoredRead;
      try {
        read = await store.read(connectionId);
      } catch (err) {
        return internalError('get', err);
      }
      if (read.status === 'missing') return reject('connection_not_found');
      if (read.status === 'invalid') {
        log('error', 'item_invalid', { ...base, detail: read.reason });
        return reject('connection_invalid');
      }
      const stored = read.item;
      if (isTokenExpired(stored.tokenExp, now())) return expire(stored.tokenExp);

      if (verified === undefined) {
        const outcome = await verifier.verify(request.token);
        if (!outcome.ok) return reject(outcome.reason, { sub: stored.sub });
        verified = { sub: outcome.claims.sub, exp: outcome.claims.exp };
        if (storesClaims) claims = outcome.picked.stored;
        for (const name of outcome.picked.skipped)
          log('warn', 'context_claim_skipped', { ...base, claim: name.slice(0, 128) });
      }

      const plan = planRefresh(stored, verified, now());
      if (!plan.ok) return reject(plan.reason, { sub: stored.sub });
      let result: 'updated' | 'conflict';
      try {
        result = await store.update(connectionId, stored, plan.update, claims);
      } catch (err) {
        return internalError('update', err);
      }
      if (result === 'updated') {
        log.metric(
          'info',
          'token_refreshed',
          { Refresh: 1 },
          {
            ...base,
            sub: stored.sub,
            tokenExp: plan.update.tokenExp,
            previousExp: stored.tokenExp,
            refreshCount: plan.update.refreshCount,
          },
        );
        return send(tokenRefreshedFrame(plan.update.tokenExp), 'token_refreshed');
      }
    }
    return reject('conflict');
  };
}
