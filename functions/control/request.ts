// The control function's payloads (docs/architecture.md, "Control function"), validated into one typed request.
// Anything else gets a message saying what is wrong: it is answered as `invalid_request`, never thrown.
import { isRecord } from '../../shared/guards.ts';

export type Target = { readonly sub: string } | { readonly connectionId: string };

export type ControlRequest =
  | { readonly op: 'send'; readonly target: Target; readonly message: unknown }
  | { readonly op: 'disconnect'; readonly target: Target }
  | { readonly op: 'list'; readonly sub: string }
  | { readonly op: 'revoke'; readonly sub: string };

export type Parsed =
  { readonly ok: true; readonly request: ControlRequest } | { readonly ok: false; readonly message: string };

export const OPS = ['send', 'disconnect', 'list', 'revoke'] as const;
// Cognito subs are UUIDs; other issuers' subjects are bounded like the authorizer context bounds them.
const MAX_SUB_LENGTH = 256;
// API Gateway ids look like "R1kmxc2VNjMCFIA="; any short printable ASCII is accepted, as the routes accept.
const CONNECTION_ID = /^[\x21-\x7E]{1,128}$/;

const KEYS: Readonly<Record<(typeof OPS)[number], readonly string[]>> = {
  send: ['op', 'sub', 'connectionId', 'message'],
  disconnect: ['op', 'sub', 'connectionId'],
  list: ['op', 'sub'],
  revoke: ['op', 'sub'],
};

const fail = (message: string): Parsed => ({ ok: false, message });

function readSub(value: unknown): string | { reason: string } {
  if (typeof value !== 'string') return { reason: 'sub must be a string' };
  if (value === '') return { reason: 'sub must not be empty' };
  if (value.length > MAX_SUB_LENGTH) return { reason: `sub must be at most ${MAX_SUB_LENGTH} characters` };
  return value;
}

function readTarget(payload: Record<string, unknown>): Target | { reason: string } {
  const hasSub = payload['sub'] !== undefined;
  const hasConnection = payload['connectionId'] !== undefined;
  if (hasSub === hasConnection) return { reason: 'exactly one of sub and connectionId is required' };
  if (hasSub) {
    const sub = readSub(payload['sub']);
    return typeof sub === 'string' ? { sub } : sub;
  }
  const id = payload['connectionId'];
  if (typeof id !== 'string') return { reason: 'connectionId must be a string' };
  if (!CONNECTION_ID.test(id)) return { reason: 'connectionId must be 1 to 128 printable ASCII characters' };
  return { connectionId: id };
}

export function parseControlRequest(payload: unknown): Parsed {
  if (!isRecord(payload)) return fail('the payload must be a JSON object');
  const op = payload['op'];
  if (op === undefined) return fail(`op is required (one of ${OPS.join(', ')})`);
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
    return fail(`op must be one of ${OPS.join(', ')}`);
  }
  const kind = op as (typeof OPS)[number];
  const unknown = Object.keys(payload).find((key) => !KEYS[kind].includes(key));
  if (unknown !== undefined) return fail(`unknown key "${unknown.slice(0, 64)}" for op ${kind}`);

  if (kind === 'list' || kind === 'revoke') {
    if (payload['sub'] === undefined) return fail(`sub is required for op ${kind}`);
    const sub = readSub(payload['sub']);
    return typeof sub === 'string' ? { ok: true, request: { op: kind, sub } } : fail(sub.reason);
  }
  const target = readTarget(payload);
  if ('reason' in target) return fail(target.reason);
  if (kind === 'disconnect') return { ok: true, request: { op: kind, target } };
  if (!('message' in payload) || payload['message'] === undefined) return fail('message is required for op send');
  return { ok: true, request: { op: kind, target, message: payload['message'] } };
}
