// The frame `send` delivers: {"type":"push","message":M,"sentAt":"<ISO 8601>"} as UTF-8, checked against
// PostToConnection's limit before any connection is touched.

import { MAX_POST_BYTES } from '../shared/error-frame.ts';

/** PostToConnection's limit: the whole frame, not only the message, must fit. */
export const MAX_FRAME_BYTES = MAX_POST_BYTES;

export type PushFrame =
  | { readonly ok: true; readonly data: Uint8Array }
  | { readonly ok: false; readonly reason: 'message_too_large'; readonly bytes: number }
  | { readonly ok: false; readonly reason: 'invalid_request'; readonly message: string };

export function buildPushFrame(message: unknown, sentAt: Date): PushFrame {
  let json: string | undefined;
  try {
    json = JSON.stringify({ type: 'push', message, sentAt: sentAt.toISOString() });
  } catch {
    // Only reachable for values a JSON payload cannot hold, or nesting deep enough to exhaust the stack.
    return { ok: false, reason: 'invalid_request', message: 'message cannot be serialised as JSON' };
  }
  const data = Buffer.from(json, 'utf8');
  if (data.length > MAX_FRAME_BYTES) return { ok: false, reason: 'message_too_large', bytes: data.length };
  return { ok: true, data };
}
