// Pure functions that turn a `$connect` event into the connection item and the handshake answer.
import type { ConnectionConfig } from '../shared/connection-config.ts';
import type { ConnectionItem } from '../shared/connection-item.ts';
import type { ContextClaim } from '../shared/token/context-claims.ts';
import { isRecord } from '../../shared/guards.ts';
import { headerValues, requestContextOf, type AuthorizerContext } from '../shared/websocket-event.ts';

// Caps keep an item far below DynamoDB's 400 KB and the echo below the 128 KB frame limit, whatever a
// client (or a gateway without API Gateway's 4,096-character URL limit) sends.
export const MAX_QUERY_PARAMETERS = 50;
export const MAX_KEY_LENGTH = 128;
export const MAX_VALUE_LENGTH = 1024;

/** Cuts `value` to at most `max` UTF-16 units without splitting a surrogate pair (DynamoDB needs valid UTF-8). */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return value.slice(0, end);
}

/**
 * The handshake's query string without the token parameter (matched case-insensitively, so a `Token=`
 * variant is not stored either), capped in count and size.
 */
export function storedQueryParameters(event: unknown, tokenParam: string): Record<string, string> {
  const params = isRecord(event) ? event['queryStringParameters'] : undefined;
  if (!isRecord(params)) return {};
  const token = tokenParam.toLowerCase();
  const entries: [string, string][] = [];
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (typeof value !== 'string' || key === '' || key.length > MAX_KEY_LENGTH) continue;
    if (key.toLowerCase() === token) continue;
    entries.push([key, truncate(value, MAX_VALUE_LENGTH)]);
    if (entries.length === MAX_QUERY_PARAMETERS) break;
  }
  // fromEntries defines own properties, so a client's "__proto__" parameter stays data.
  return Object.fromEntries(entries);
}

/** Only the configured headers, names lower-cased, repeated headers joined with ", ", values capped. */
export function storedHeaders(event: unknown, names: readonly string[]): Record<string, string> {
  const entries: [string, string][] = [];
  for (const name of names) {
    const values = headerValues(event, name);
    if (values.length > 0) entries.push([name, truncate(values.join(', '), MAX_VALUE_LENGTH)]);
  }
  return Object.fromEntries(entries);
}

/**
 * The subprotocol to answer with: the request's first Sec-WebSocket-Protocol entry when it is `bearer` (any
 * case, echoed as sent since browsers compare it with what they offered), else undefined. The token that
 * follows it is never echoed.
 */
export function bearerSubprotocol(event: unknown): string | undefined {
  const first = headerValues(event, 'sec-websocket-protocol')[0];
  if (first === undefined) return undefined;
  const comma = first.indexOf(',');
  const entry = (comma === -1 ? first : first.slice(0, comma)).trim();
  return entry.toLowerCase() === 'bearer' ? entry : undefined;
}

/** API Gateway's own connection time (epoch ms) when present and sane, else the clock. */
function connectedAt(event: unknown, nowMs: number): number {
  const value = requestContextOf(event)?.['connectedAt'];
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : nowMs;
}

/**
 * The CONTEXT_CLAIMS the authorizer put in the context (under `claim_<name>` keys), keyed back by their
 * original names for the item. API Gateway delivers every context value to the routes as a string, so only
 * strings are kept. Absent claims stay absent.
 */
export function claimsFromContext(event: unknown, claims: readonly ContextClaim[]): Record<string, string> {
  const authorizer = requestContextOf(event)?.['authorizer'];
  if (!isRecord(authorizer) || claims.length === 0) return {};
  const entries: [string, string][] = [];
  for (const { name, key } of claims) {
    if (!Object.hasOwn(authorizer, key)) continue;
    const value = authorizer[key];
    // Not capped: the authorizer keeps its whole context under API Gateway's 8 KB limit.
    if (typeof value === 'string') entries.push([name, value]);
  }
  // fromEntries defines own properties, so a claim named "__proto__" stays data.
  return Object.fromEntries(entries);
}

export function buildConnectionItem(input: {
  readonly event: unknown;
  readonly connectionId: string;
  readonly context: AuthorizerContext & { readonly exp: number };
  readonly claims: Readonly<Record<string, string>>;
  readonly config: Pick<ConnectionConfig, 'ttlSeconds' | 'storedHeaders' | 'tokenQueryParam'>;
  readonly nowMs: number;
}): ConnectionItem {
  const { event, connectionId, context, config, nowMs } = input;
  return {
    connectionId,
    sub: context.sub,
    username: context.username,
    connectedAt: connectedAt(event, nowMs),
    tokenExp: context.exp,
    ttl: Math.floor(nowMs / 1000) + config.ttlSeconds,
    queryParameters: storedQueryParameters(event, config.tokenQueryParam),
    headers: storedHeaders(event, config.storedHeaders),
    claims: input.claims,
  };
}
