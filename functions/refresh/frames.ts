// The two frames refresh answers with, as UTF-8 bytes ready for PostToConnection.

export function tokenRefreshedFrame(exp: number): Uint8Array {
  return Buffer.from(JSON.stringify({ type: 'token_refreshed', exp }), 'utf8');
}

/** `detail` is a reason code (never the token, never an error message). */
export function refreshRejectedFrame(detail: string): Uint8Array {
  return Buffer.from(JSON.stringify({ type: 'error', reason: 'refresh_rejected', detail }), 'utf8');
}
