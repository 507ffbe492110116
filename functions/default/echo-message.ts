// The echo frame the default route sends back, as UTF-8 bytes ready for PostToConnection. Pure: the time is
// passed in.
import type { ConnectionView } from '../shared/connection-item.ts';
import { MAX_POST_BYTES } from '../shared/error-frame.ts';

export type Echo =
  | { readonly ok: true; readonly data: Uint8Array }
  | { readonly ok: false; readonly reason: 'message_too_large' | 'invalid_message'; readonly bytes?: number };

export interface EchoInput {
  /** `event.body`: the frame text, or base64 for binary frames. */
  readonly body: unknown;
  readonly isBase64Encoded: unknown;
  readonly connection: ConnectionView;
  readonly receivedAt: Date;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** JSON text is echoed parsed; anything else as the text itself. */
function parseText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * `{type:"echo", message, connection, receivedAt}`. Binary frames are echoed as their base64 text with
 * `encoding: "base64"` (decoding could turn arbitrary bytes into replacement characters).
 */
export function buildEcho(input: EchoInput): Echo {
  const { body, connection, receivedAt } = input;
  const text = body === undefined || body === null ? '' : body;
  if (typeof text !== 'string') return { ok: false, reason: 'invalid_message' };
  // A body this size cannot fit once wrapped; skip parsing it.
  if (text.length > MAX_POST_BYTES)
    return { ok: false, reason: 'message_too_large', bytes: Buffer.byteLength(text, 'utf8') };
  const binary = input.isBase64Encoded === true;
  if (binary && (text.length % 4 !== 0 || !BASE64.test(text))) return { ok: false, reason: 'invalid_message' };
  const frame = {
    type: 'echo',
    message: binary ? text : parseText(text),
    ...(binary ? { encoding: 'base64' } : {}),
    connection,
    receivedAt: receivedAt.toISOString(),
  };
  let json: string;
  try {
    json = JSON.stringify(frame);
  } catch {
    // Nesting deep enough to exhaust the stack when serialising: echo the text as text instead.
    json = JSON.stringify({ ...frame, message: text });
  }
  const data = Buffer.from(json, 'utf8');
  if (data.length > MAX_POST_BYTES) return { ok: false, reason: 'message_too_large', bytes: data.length };
  return { ok: true, data };
}
