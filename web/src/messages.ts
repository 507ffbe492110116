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
  | { kind: 'push'; message: unknown; sentAt: string; text: string }
  | { kind: 'token_refreshed'; exp: number; text: string }
  | { kind: 'refresh_rejected'; detail: string; text: string }
  | { kind: 'error'; reason: string; text: string }
  | { kind: 'text'; text: string };

const MAX_SHOWN = 4000;
/** Reason codes and ids shown from a frame are clipped: they come from the network. */
const MAX_CODE = 100;

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)` : text;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function shown(message: unknown): string {
  return typeof message === 'string' ? message : JSON.stringify(message);
}

/**
 * A refresh frame sent to a server without the refresh route is echoed by `$default`: the token must not reach
 * the page through the echo.
 */
function withoutRefreshToken(message: unknown): unknown {
  const frame = record(message);
  if (frame?.['action'] !== 'refresh' || !('token' in frame)) return message;
  return { ...frame, token: '(hidden)' };
}

function errorText(frame: Record<string, unknown>, reason: string, raw: string): string {
  if (reason === 'internal_error') {
    const id = typeof frame['requestId'] === 'string' ? frame['requestId'].slice(0, MAX_CODE) : '?';
    return `The server failed to process the message (internal_error, request id ${id}); it was not handled. Send it again later.`;
  }
  return clip(raw);
}

/** Classifies a received frame: the routes' echo, push, refresh answers and error frames, or anything else as text. */
export function parseIncoming(data: string): Incoming {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { kind: 'text', text: clip(data) };
  }
  const frame = record(parsed);
  if (frame?.['type'] === 'error' && typeof frame['reason'] === 'string') {
    const reason = frame['reason'].slice(0, MAX_CODE);
    if (reason === 'refresh_rejected') {
      const detail = typeof frame['detail'] === 'string' ? frame['detail'].slice(0, MAX_CODE) : 'unknown';
      return { kind: 'refresh_rejected', detail, text: `The server rejected the renewed token (${detail}).` };
    }
    return { kind: 'error', reason, text: errorText(frame, reason, data) };
  }
  if (frame?.['type'] === 'token_refreshed' && isEpochSeconds(frame['exp'])) {
    const exp = frame['exp'];
    return { kind: 'token_refreshed', exp, text: `token refreshed on the connection (expires ${formatClock(exp)})` };
  }
  if (frame?.['type'] === 'push' && 'message' in frame) {
    const sentAt = typeof frame['sentAt'] === 'string' ? frame['sentAt'].slice(0, 40) : '';
    const at = Number.isNaN(Date.parse(sentAt)) ? '' : ` (sent ${formatTime(new Date(sentAt))})`;
    return { kind: 'push', message: frame['message'], sentAt, text: clip(`${shown(frame['message'])}${at}`) };
  }
  const connection = record(frame?.['connection']);
  if (frame?.['type'] === 'echo' && connection) {
    const username = typeof connection['username'] === 'string' ? connection['username'] : '';
    const connectionId = typeof connection['connectionId'] === 'string' ? connection['connectionId'] : '';
    const message = withoutRefreshToken(frame['message']);
    // The connection data the server echoes (sub, connectedAt, tokenExp, stored query and headers; never the
    // token, which the connect Lambda strips), shown on demand under the line.
    const detail = clip(JSON.stringify({ connection, receivedAt: frame['receivedAt'] }, null, 2));
    return {
      kind: 'echo',
      username,
      connectionId,
      message,
      text: clip(`echo for ${username || '(no username)'} on ${connectionId || '?'}: ${shown(message)}`),
      detail,
    };
  }
  return { kind: 'text', text: clip(data) };
}

function isEpochSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 253_402_300_800;
}

/** The frame that hands a renewed access token to the open connection (the `refresh` route). */
export function refreshFrame(accessToken: string): string {
  return JSON.stringify({ action: 'refresh', token: accessToken });
}

/** Local wall-clock hh:mm of an epoch-seconds instant, e.g. 09:05. */
export function formatClock(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** Local wall-clock time with milliseconds, e.g. 09:05:03.007. */
export function formatTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

export const HANDSHAKE_FAILED_MESSAGE = 'The connection could not be opened; checking why…';
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

/** `handshake_failed`: a browser sees a refused (401/403/429) or unreachable handshake only as 1006 before open. */
export type CloseKind = 'user' | 'handshake_failed' | 'token_expired' | 'dropped';

export function classifyClose(ctx: CloseContext): CloseKind {
  if (ctx.byUser) return 'user';
  if (ctx.lastErrorReason === 'token_expired') return 'token_expired';
  if (!ctx.opened) return 'handshake_failed';
  return 'dropped';
}

export function describeClose(ctx: CloseContext): string {
  const kind = classifyClose(ctx);
  if (kind === 'user') return 'Disconnected.';
  if (kind === 'token_expired') return EXPIRED_MESSAGE;
  if (kind === 'handshake_failed') return HANDSHAKE_FAILED_MESSAGE;
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
