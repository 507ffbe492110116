// Safe decoding of a compact JWS before any crypto: exactly three base64url parts, a JSON-object header and
// payload, and no `__proto__` / `constructor` / `prototype` keys surviving the parse.
export type JsonObject = Record<string, unknown>;

export interface DecodedJwt {
  readonly header: JsonObject;
  readonly payload: JsonObject;
}

export type DecodeResult = { readonly ok: true; readonly jwt: DecodedJwt } | { readonly ok: false; readonly reason: 'malformed_token' };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const RISKY = /__proto__|constructor|prototype/;

function dropForbidden(this: unknown, key: string, value: unknown): unknown {
  return FORBIDDEN_KEYS.has(key) ? undefined : value;
}

/**
 * JSON.parse restricted to a plain object. JSON.parse never sets a prototype, but later merges of the result
 * could, so dangerous keys are removed. The reviver is slow, so it runs only when the text could contain one.
 */
export function parseJsonObject(text: string): JsonObject | undefined {
  let value: unknown;
  try {
    value = RISKY.test(text) ? JSON.parse(text, dropForbidden) : JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as JsonObject;
}

// One pass over the whole token: three base64url parts, the last (signature) possibly empty so that
// `alg: none` tokens reach the alg check and are named for what they are.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function decodePart(part: string): JsonObject | undefined {
  return parseJsonObject(Buffer.from(part, 'base64url').toString('utf8'));
}

/** Decodes without verifying. Callers must still verify the signature before trusting anything. */
export function decodeJwt(token: string): DecodeResult {
  if (!COMPACT_JWS.test(token)) return { ok: false, reason: 'malformed_token' };
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  const header = decodePart(token.slice(0, first));
  const payload = header && decodePart(token.slice(first + 1, second));
  if (!header || !payload) return { ok: false, reason: 'malformed_token' };
  return { ok: true, jwt: { header, payload } };
}

/** An own property of a decoded object, never one inherited from Object.prototype. */
export function own(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
