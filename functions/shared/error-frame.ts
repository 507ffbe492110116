// The error frame every route sends to a client, as UTF-8 bytes ready for PostToConnection.

export type ErrorReason =
  'token_expired' | 'connection_not_found' | 'connection_invalid' | 'message_too_large' | 'invalid_message';

export function errorFrame(reason: ErrorReason, extra: Record<string, number> = {}): Uint8Array {
  return Buffer.from(JSON.stringify({ type: 'error', reason, ...extra }), 'utf8');
}
