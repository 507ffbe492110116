// What the console sends, how it shows what it receives, and how a close is explained. Pure.

/** API Gateway's WebSocket frame limit: a larger frame closes the connection with 1009. */
export const MAX_FRAME_BYTES = 32 * 1024;

export type MessageFormat = 'text' | 'json';

/** Why a message was not sent, and the sentence the console shows for it. */
export interface NotSent {
  ok: false;
  reason: 'empty' | 'not_json' | 'too_large' | 'not_connected';
  message: string;
}

export type Outgoing = { ok: true; data: string } | NotSent;

export function prepareOutgoing(input: string, format: MessageFormat): Outgoing {
  if (input.trim() === '') return { ok: false, reason: 'empty', message: 'Type a message to send.' };
  let data = input;
  if (format === 'json') {
    try {
      // Compact form: fewer bytes on the wire, and proof the text is JSON before it leaves.
      data = JSON.stringify(JSON.parse(input));
    } catch (err) {
      return {
        ok: false,
        reason: 'not_json',
        message: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  const bytes = new TextEncoder().encode(data).length;
  if (bytes > MAX_FRAME_BYTES)
    return {
      ok: false,
      reason: 'too_large',
      message: `The message is ${bytes} bytes; the limit of one frame is ${MAX_FRAME_BYTES}.`,
    };
  return { ok: true, data };
}

export type Incoming =
  | { kind: 'echo'; username: string; connectionId: string; message: unknown; text: string; detail: string }
  | { kind: 'error'; reason: string; text: string }
  | { kind: 'text'; text: string };

const MAX_SHOWN = 4000;

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)` : text;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Classifies a received frame: the default route's echo, its error frames, or anything else as text. */
export function parseIncoming(data: string): Incoming {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { kind: 'text', text: clip(data) };
  }
  const frame = record(parsed);
  if (frame?.['type'] === 'error' && typeof frame['reason'] === 'string') {
    return { kind: 'error', reason: frame['reason'].slice(0, 100), text: clip(data) };
  }
  const connection = record(frame?.['connection']);
  if (frame?.['type'] === 'echo' && connection) {
    const username = typeof connection['username'] === 'string' ? connection['username'] : '';
    const connectionId = typeof connection['connectionId'] === 'string' ? connection['connectionId'] : '';
    const message = frame['message'];
    const shown = typeof message === 'string' ? message : JSON.stringify(message);
    // The connection data the server echoes (sub, connectedAt, tokenExp, stored query and headers; never the
    // token, which the connect Lambda strips), shown on demand under the line.
    const detail = clip(JSON.stringify({ connection, receivedAt: frame['receivedAt'] }, null, 2));
    return {
      kind: 'echo',
      username,
      connectionId,
      message,
      text: clip(`echo for ${username || '(no username)'} on ${connectionId || '?'}: ${shown}`),
      detail,
    };
  }
  return { kind: 'text', text: clip(data) };
}

/** Local wall-clock time with milliseconds, e.g. 09:05:03.007. */
export function formatTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

export const REFUSED_MESSAGE =
  'Connection refused: the token was rejected or you are not allowed. Sign in again, then connect.';
export const EXPIRED_MESSAGE = 'Connection closed: the token expired.';
export const SIGN_IN_AGAIN = 'Sign in again, then connect.';

export interface CloseContext {
  code: number;
  reason: string;
  /** Whether the handshake had completed (`open` fired). */
  opened: boolean;
  /** The user pressed Disconnect. */
  byUser: boolean;
  /** The last error frame's reason received on this connection, if any. */
  lastErrorReason?: string;
}

export type CloseKind = 'user' | 'refused' | 'token_expired' | 'dropped';

export function classifyClose(ctx: CloseContext): CloseKind {
  if (ctx.byUser) return 'user';
  if (ctx.lastErrorReason === 'token_expired') return 'token_expired';
  // A browser sees a 401/403 handshake only as 1006 before open; nothing more specific is exposed.
  if (!ctx.opened) return 'refused';
  return 'dropped';
}

export function describeClose(ctx: CloseContext): string {
  const kind = classifyClose(ctx);
  if (kind === 'user') return 'Disconnected.';
  if (kind === 'token_expired') return EXPIRED_MESSAGE;
  if (kind === 'refused') return REFUSED_MESSAGE;
  const reason = ctx.reason ? `: ${ctx.reason.slice(0, 120)}` : '';
  switch (ctx.code) {
    case 1001:
      return `The server closed the connection (1001 going away${reason}): the 2-hour or 10-minute idle limit, or a redeploy.`;
    case 1009:
      return `The server closed the connection (1009${reason}): a message was too large.`;
    case 1006:
      return 'The connection was lost (1006).';
    default:
      return `The connection closed (${ctx.code}${reason}).`;
  }
}
