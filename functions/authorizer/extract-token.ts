// Finds the bearer token in a REQUEST authorizer event. Pure: reads only the event and the options.
// A token may arrive in several places; the same value twice is fine, two different values are refused
// (which one would we trust?).
import type { TokenSource } from './config.ts';

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
// Characters a compact JWS can contain: three base64url parts joined by dots.
const JWT_CHARS = /^[A-Za-z0-9_\-.]+$/;

type Raw = { value: unknown; source: TokenSource };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Values of every key of `map` matching `name` (case-insensitively when asked), flattening arrays. */
function collect(map: unknown, name: string, caseInsensitive: boolean, out: unknown[]): void {
  if (!isRecord(map)) return;
  for (const key of Object.keys(map)) {
    if (caseInsensitive ? key.toLowerCase() !== name : key !== name) continue;
    const value = map[key];
    if (Array.isArray(value)) out.push(...value);
    else if (value !== undefined && value !== null) out.push(value);
  }
}

function fromHeader(event: Record<string, unknown>, headerName: string, out: Raw[]): void {
  const values: unknown[] = [];
  collect(event['headers'], headerName, true, values);
  collect(event['multiValueHeaders'], headerName, true, values);
  for (const value of values) {
    out.push({ value: typeof value === 'string' ? value.trim().replace(BEARER, '') : value, source: 'header' });
  }
}

function fromQuery(event: Record<string, unknown>, param: string, out: Raw[]): void {
  const values: unknown[] = [];
  collect(event['queryStringParameters'], param, false, values);
  collect(event['multiValueQueryStringParameters'], param, false, values);
  for (const value of values) out.push({ value: typeof value === 'string' ? value.trim() : value, source: 'query' });
}

/** `Sec-WebSocket-Protocol: bearer, <token>`: the item after `bearer` is the token; other subprotocols are ignored. */
function fromProtocol(event: Record<string, unknown>, maxLength: number, out: Raw[]): void {
  const values: unknown[] = [];
  collect(event['headers'], PROTOCOL_HEADER, true, values);
  collect(event['multiValueHeaders'], PROTOCOL_HEADER, true, values);
  for (const value of values) {
    if (typeof value !== 'string') {
      out.push({ value, source: 'protocol' });
      continue;
    }
    // Bound the split: the header may be large, and a token over the limit is refused anyway.
    if (value.length > maxLength + 1024) {
      out.push({ value, source: 'protocol' });
      continue;
    }
    const items = value.split(',').map((item) => item.trim());
    for (let i = 0; i < items.length; i += 1) {
      if (items[i]?.toLowerCase() !== 'bearer') continue;
      out.push({ value: items[i + 1] ?? '', source: 'protocol' });
      i += 1;
    }
  }
}

export function extractToken(event: unknown, options: ExtractOptions): Extraction {
  if (!isRecord(event)) return { ok: false, reason: 'missing_token' };
  const found: Raw[] = [];
  const headerName = options.headerName.toLowerCase();
  for (const source of options.sources) {
    if (source === 'header') fromHeader(event, headerName, found);
    else if (source === 'query') fromQuery(event, options.queryParam, found);
    else fromProtocol(event, options.maxLength, found);
  }
  if (found.length === 0) return { ok: false, reason: 'missing_token' };

  let chosen: { token: string; source: TokenSource } | undefined;
  let sawEmpty = false;
  for (const { value, source } of found) {
    if (typeof value !== 'string') return { ok: false, reason: 'malformed_token' };
    if (value.length > options.maxLength) return { ok: false, reason: 'token_too_large' };
    if (value === '') {
      sawEmpty = true;
      continue;
    }
    if (chosen === undefined) chosen = { token: value, source };
    else if (chosen.token !== value) return { ok: false, reason: 'duplicate_token' };
  }
  // An empty value beside a real one is still a token given twice with different values.
  if (chosen === undefined) return { ok: false, reason: 'missing_token' };
  if (sawEmpty) return { ok: false, reason: 'duplicate_token' };
  if (!JWT_CHARS.test(chosen.token)) return { ok: false, reason: 'malformed_token' };
  return { ok: true, token: chosen.token, source: chosen.source };
}
