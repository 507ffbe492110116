// Explicit revocation (control's `revoke`): one record per user in the revocations table, `revokedAt` in epoch
// seconds. A token whose `auth_time` is not after it belongs to a revoked session. The read is one strongly
// consistent GetItem bounded in time; any failure is reported, and the caller refuses (fail closed).
import { describeError } from '../log.ts';

export type RevocationRead =
  { readonly ok: true; readonly revokedAt: number | undefined } | { readonly ok: false; readonly error: string };

export interface RevocationReader {
  /** Never rejects: a failed or late read is `{ ok: false }`. */
  revokedAt(sub: string): Promise<RevocationRead>;
}

/** The GetItem request, in the DynamoDB API's own shape. */
export interface RevocationGetInput {
  readonly TableName: string;
  readonly Key: { readonly sub: { readonly S: string } };
  readonly ConsistentRead: true;
  readonly ProjectionExpression: 'revokedAt';
}

/**
 * Sends one GetItem and resolves with its output. The SDK client behind it lives in revocation-client.ts and is
 * loaded only when REVOCATIONS_TABLE is set, so the authorizer without revocation never loads the SDK.
 */
export type RevocationGet = (input: RevocationGetInput, signal: AbortSignal) => Promise<unknown>;

/** The whole read, retries included, ends within this many milliseconds (issue 8: at most 1 s). */
export const REVOCATION_TIMEOUT_MS = 1000;

/** True when a session authenticated at `authTime` is revoked (same-second sign-ins are refused too). */
export function isRevoked(authTime: number, revokedAt: number | undefined): boolean {
  return revokedAt !== undefined && authTime <= revokedAt;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `revokedAt` of a returned item; anything but a whole number is an error, never "not revoked". */
function readRevokedAt(output: unknown): RevocationRead {
  if (!isRecord(output)) return { ok: false, error: 'GetItem returned no output' };
  const item = output['Item'];
  if (item === undefined || item === null) return { ok: true, revokedAt: undefined };
  if (!isRecord(item)) return { ok: false, error: 'GetItem returned a malformed Item' };
  const attr = item['revokedAt'];
  const text = isRecord(attr) ? attr['N'] : undefined;
  if (typeof text !== 'string' || !/^\d{1,12}$/.test(text))
    return { ok: false, error: 'revokedAt is not epoch seconds' };
  return { ok: true, revokedAt: Number(text) };
}

export function createRevocationReader(deps: {
  /** The sender, or a promise of it while its module loads. */
  readonly get: RevocationGet | Promise<RevocationGet>;
  readonly tableName: string;
  readonly timeoutMs?: number;
}): RevocationReader {
  const { tableName } = deps;
  const timeoutMs = deps.timeoutMs ?? REVOCATION_TIMEOUT_MS;
  return {
    async revokedAt(sub) {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      // Races the SDK call against the deadline, so even a transport that ignores the signal cannot hold us.
      const deadline = new Promise<RevocationRead>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve({ ok: false, error: `no answer within ${timeoutMs} ms` });
        }, timeoutMs);
      });
      const input: RevocationGetInput = {
        TableName: tableName,
        Key: { sub: { S: sub } },
        ConsistentRead: true,
        ProjectionExpression: 'revokedAt',
      };
      const read = Promise.resolve(deps.get)
        .then((get) => get(input, controller.signal))
        .then(readRevokedAt, (err: unknown): RevocationRead => ({ ok: false, error: describeError(err) }));
      try {
        return await Promise.race([read, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
