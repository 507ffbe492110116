// What the $connect integration's answer means for the handshake.
import type { InvokeResult } from '../lambda-runner/pool.ts';

export type ConnectOutcome = { kind: 'accept'; protocol?: string } | { kind: 'reject'; status: number; reason: string };

/**
 * 2xx accepts, with the Sec-WebSocket-Protocol header the integration returned (if any and if the client
 * offered it). A 4xx/5xx status is passed to the client; an error, a missing or other status is 500.
 */
export function interpretConnectResult(result: InvokeResult, offered: ReadonlySet<string>): ConnectOutcome {
  if (!result.ok) return { kind: 'reject', status: 500, reason: 'integration_error' };
  const value = result.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'reject', status: 500, reason: 'malformed_response' };
  }
  const record = value as Record<string, unknown>;
  const status = typeof record.statusCode === 'number' ? record.statusCode : Number(record.statusCode);
  if (!Number.isInteger(status)) return { kind: 'reject', status: 500, reason: 'missing_status' };
  if (status >= 400 && status <= 599) return { kind: 'reject', status, reason: 'integration_rejected' };
  if (status < 200 || status > 299) return { kind: 'reject', status: 500, reason: 'unexpected_status' };
  let protocol: string | undefined;
  const headers = record.headers;
  if (typeof headers === 'object' && headers !== null) {
    for (const [name, v] of Object.entries(headers as Record<string, unknown>)) {
      if (name.toLowerCase() === 'sec-websocket-protocol' && typeof v === 'string') protocol = v.trim();
    }
  }
  // A subprotocol the client did not offer would make the client fail the handshake; WebSocket clients
  // reject it, so do not send one that cannot be valid.
  if (protocol !== undefined && !offered.has(protocol)) protocol = undefined;
  return protocol ? { kind: 'accept', protocol } : { kind: 'accept' };
}
