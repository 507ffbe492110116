// The refresh message: `{"action":"refresh","token":"<new access token>"}` on the open socket. Pure.
import { parseJsonObject } from '../shared/token/decode-jwt.ts';

export type RefreshRequest =
  { readonly ok: true; readonly token: string } | { readonly ok: false; readonly reason: 'invalid_request' };

// A real access token is about 1 KB; the verifier caps it again. This bounds the JSON we parse.
const MAX_BODY_CHARS = 16 * 1024;
const INVALID: RefreshRequest = { ok: false, reason: 'invalid_request' };

/** Reads the token from `event.body`; binary frames, other shapes and a missing or empty token are invalid. */
export function parseRefreshRequest(body: unknown, isBase64Encoded: unknown): RefreshRequest {
  if (typeof body !== 'string' || isBase64Encoded === true || body.length > MAX_BODY_CHARS) return INVALID;
  const message = parseJsonObject(body);
  if (!message || !Object.hasOwn(message, 'token')) return INVALID;
  const token = message['token'];
  if (typeof token !== 'string' || token === '') return INVALID;
  return { ok: true, token };
}
