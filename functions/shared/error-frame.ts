// The error frames the routes send to a client, as UTF-8 bytes ready for PostToConnection.

export type ErrorReason =
  'token_expired' | 'connection_not_found' | 'connection_invalid' | 'message_too_large' | 'invalid_message';

/** PostToConnection's limit (the WebSocket message size limit): larger posts fail with 413. */
export const MAX_POST_BYTES = 131_072;

export function errorFrame(reason: ErrorReason, extra: Record<string, number> = {}): Uint8Array {
  return Buffer.from(JSON.stringify({ type: 'error', reason, ...extra }), 'utf8');
}

/**
 * `{"type":"error","reason":"internal_error","requestId":"<id>"}`: the route could not read or write its
 * storage. The id is API Gateway's request id, the one the client can quote and the access log shows; it is
 * left out when the event has none.
 */
export function internalErrorFrame(apiRequestId: string | undefined): Uint8Array {
  const frame = {
    type: 'error',
    reason: 'internal_error',
    ...(apiRequestId === undefined ? {} : { requestId: apiRequestId }),
  };
  return Buffer.from(JSON.stringify(frame), 'utf8');
}
