// Finds the bearer token in a REQUEST authorizer event. Pure: reads only the event and the options.
// A token may arrive in several places; the same value twice is fine, two different values are refused
// (which one would we trust?). Runs on every connection attempt, so it scans each map once and allocates little.
import type { TokenSource } from './config.ts';
import { isRecord } from '../../shared/guards.ts';

export interface ExtractOptions {
  readonly sources: readonly TokenSource[];
  readonly headerName: string;
  readonly queryParam: string;
  readonly maxLength: number;
}

export type ExtractFailure = 'missing_token' | 'duplicate_token' | 'token_too_large' | 'malformed_token';

export type Extraction =
  | { readonly ok: true; readonly token: string; readonly source: TokenSource }
  | { readonly ok: false; readonly reason: ExtractFailure };

const PROTOCOL_HEADER = 'sec-websocket-protocol';
const BEARER = /^bearer(?:[ \t]+|$)/i;

/** What has been found so far; the first failure wins and stops the search. */
interface Found {
  token: string | undefined;
  source: TokenSource | undefined;
  sawEmpty: boolean;
  failure: ExtractFailure | undefined;
}

function offer(found: Found, value: unknown, source: TokenSource, maxLength: number): void {
  if (typeof value !== 'string') {
    found.failure = 'malformed_token';
    return;
  }
  if (value.length > maxLength) {
    found.failure = 'token_too_large';
    return;
  }
  if (value === '') found.sawEmpty = true;
  else if (found.token === undefined) {
    found.token = value;
    found.source = source;
  } else if (found.token !== value) found.failure = 'duplicate_token';
}

function offerHeader(found: Found, value: unknown, maxLength: number): void {
  offer(found, typeof value === 'string' ? value.trim().replace(BEARER, '') : value, 'header', maxLength);
}

/** `Sec-WebSocket-Protocol: bearer, <token>`: the item after `bearer` is the token; other subprotocols are ignored. */
function offerProtocol(found: Found, value: unknown, maxLength: number): void {
  // Bound the split: a token over the limit is refused anyway.
  if (typeof value !== 'string' || value.length > maxLength + 1024) {
    offer(found, value, 'protocol', maxLength);
    return;
  }
  const items = value.split(',');
  for (let i = 0; i < items.length && found.failure === undefined; i += 1) {
    if (items[i]?.trim().toLowerCase() !== 'bearer') continue;
    offer(found, items[i + 1]?.trim() ?? '', 'protocol', maxLength);
    i += 1;
  }
}

/** Feeds each value (or each element of an array value) of the matching header keys to the finders. */
function scanHeaders(
  found: Found,
  map: unknown,
  headerName: string | undefined,
  protocol: boolean,
  maxLength: number,
): void {
  if (!isRecord(map)) return;
  for (const key of Object.keys(map)) {
    const lower = key.toLowerCase();
    const isHeader = lower === headerName;
    if (!isHeader && !(protocol && lower === PROTOCOL_HEADER)) continue;
    const raw = map[key];
    const values: unknown[] = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
    for (const value of values) {
      if (isHeader) offerHeader(found, value, maxLength);
      else offerProtocol(found, value, maxLength);
      if (found.failure !== undefined) return;
    }
  }
}

function scanQuery(found: Found, map: unknown, param: string, maxLength: number): void {
  if (!isRecord(map) || !Object.hasOwn(map, param)) return;
  const raw = map[param];
  const values: unknown[] = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  for (const value of values) {
    offer(found, typeof value === 'string' ? value.trim() : value, 'query', maxLength);
    if (found.failure !== undefined) return;
  }
}

export function extractToken(event: unknown, options: ExtractOptions): Extraction {
  if (!isRecord(event)) return { ok: false, reason: 'missing_token' };
  const found: Found = { token: undefined, source: undefined, sawEmpty: false, failure: undefined };
  const { maxLength } = options;
  const headerName = options.sources.includes('header') ? options.headerName.toLowerCase() : undefined;
  const protocol = options.sources.includes('protocol');
  // Source order decides which source is reported when the same token arrives twice.
  if (headerName !== undefined || protocol) {
    scanHeaders(found, event['headers'], headerName, protocol, maxLength);
    if (found.failure === undefined) scanHeaders(found, event['multiValueHeaders'], headerName, protocol, maxLength);
  }
  if (found.failure === undefined && options.sources.includes('query')) {
    scanQuery(found, event['queryStringParameters'], options.queryParam, maxLength);
    if (found.failure === undefined)
      scanQuery(found, event['multiValueQueryStringParameters'], options.queryParam, maxLength);
  }
  if (found.failure !== undefined) return { ok: false, reason: found.failure };
  if (found.token === undefined || found.source === undefined) return { ok: false, reason: 'missing_token' };
  // An empty value beside a real one is still a token given twice with different values.
  if (found.sawEmpty) return { ok: false, reason: 'duplicate_token' };
  return { ok: true, token: found.token, source: found.source };
}
