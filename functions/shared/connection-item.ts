// The connection item and its DynamoDB form (docs/architecture.md, "Connections table"). Marshalling checks
// the numbers so a bug can never write `N: "NaN"`; unmarshalling validates every attribute that comes back,
// since the table is shared with other writers and a bad item must be reported, not trusted.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { isRecord } from '../../shared/guards.ts';

export interface ConnectionItem {
  readonly connectionId: string;
  readonly sub: string;
  /** `""` for machine (client-credentials) tokens. */
  readonly username: string;
  /** Epoch milliseconds; the range key of `sub-index`. */
  readonly connectedAt: number;
  /** The token's `exp`, epoch seconds. */
  readonly tokenExp: number;
  /** DynamoDB TTL, epoch seconds. */
  readonly ttl: number;
  /** Query string of the handshake without the token parameter. */
  readonly queryParameters: Readonly<Record<string, string>>;
  /** Only the configured headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The CONTEXT_CLAIMS of the token, keyed by their original names (`custom:tenant`), values as strings. */
  readonly claims: Readonly<Record<string, string>>;
}

/** What a client may see of its item: everything but the internal `ttl`. */
export type ConnectionView = Omit<ConnectionItem, 'ttl'>;

export type DynamoItem = Record<string, AttributeValue>;

export type Unmarshalled =
  { readonly ok: true; readonly item: ConnectionItem } | { readonly ok: false; readonly reason: string };

function number(name: string, value: number): AttributeValue {
  if (!Number.isSafeInteger(value)) throw new TypeError(`connection item ${name} must be a safe integer`);
  return { N: String(value) };
}

function stringMap(map: Readonly<Record<string, string>>): AttributeValue {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(map))
    Object.defineProperty(out, key, { value: { S: value }, enumerable: true });
  return { M: out };
}

export function marshalConnectionItem(item: ConnectionItem): DynamoItem {
  if (item.connectionId === '' || item.sub === '') throw new TypeError('connection item needs connectionId and sub');
  return {
    connectionId: { S: item.connectionId },
    sub: { S: item.sub },
    username: { S: item.username },
    connectedAt: number('connectedAt', item.connectedAt),
    tokenExp: number('tokenExp', item.tokenExp),
    ttl: number('ttl', item.ttl),
    queryParameters: stringMap(item.queryParameters),
    headers: stringMap(item.headers),
    // Written only when there are claims, so items stay as they were when CONTEXT_CLAIMS is unset.
    ...(Object.keys(item.claims).length > 0 ? { claims: stringMap(item.claims) } : {}),
  };
}

export function toConnectionView(item: ConnectionItem): ConnectionView {
  const { ttl, ...view } = item;
  void ttl;
  return view;
}

class Invalid extends Error {}

function readString(raw: Record<string, unknown>, name: string, allowEmpty: boolean): string {
  const attr = raw[name];
  const value = isRecord(attr) ? attr['S'] : undefined;
  if (typeof value !== 'string') throw new Invalid(`${name} is not a string (S)`);
  if (!allowEmpty && value === '') throw new Invalid(`${name} is empty`);
  return value;
}

function readInt(raw: Record<string, unknown>, name: string): number {
  const attr = raw[name];
  const value = isRecord(attr) ? attr['N'] : undefined;
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value)) throw new Invalid(`${name} is not a whole number (N)`);
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Invalid(`${name} is out of range`);
  return parsed;
}

/** A map of strings; absent is read as empty (an older writer may have left it out). */
function readStringMap(raw: Record<string, unknown>, name: string): Record<string, string> {
  const attr = raw[name];
  if (attr === undefined) return {};
  const map = isRecord(attr) ? attr['M'] : undefined;
  if (!isRecord(map)) throw new Invalid(`${name} is not a map (M)`);
  const entries: [string, string][] = [];
  for (const key of Object.keys(map)) {
    const entry = map[key];
    const value = isRecord(entry) ? entry['S'] : undefined;
    if (typeof value !== 'string') throw new Invalid(`${name} has a non-string value`);
    entries.push([key, value]);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays data.
  return Object.fromEntries(entries);
}

/** Validates an item read from DynamoDB. Never throws. */
export function unmarshalConnectionItem(raw: unknown): Unmarshalled {
  if (!isRecord(raw)) return { ok: false, reason: 'item is not an object' };
  try {
    return {
      ok: true,
      item: {
        connectionId: readString(raw, 'connectionId', false),
        sub: readString(raw, 'sub', false),
        username: readString(raw, 'username', true),
        connectedAt: readInt(raw, 'connectedAt'),
        tokenExp: readInt(raw, 'tokenExp'),
        ttl: readInt(raw, 'ttl'),
        queryParameters: readStringMap(raw, 'queryParameters'),
        headers: readStringMap(raw, 'headers'),
        claims: readStringMap(raw, 'claims'),
      },
    };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    throw err;
  }
}
