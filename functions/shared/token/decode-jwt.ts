// Safe JSON handling for JWTs: the header is decoded here before any crypto (exactly three parts, base64url,
// a JSON object); the payload, parsed once by jsonwebtoken during verification, is vetted here. Neither may
// carry `__proto__` / `constructor` / `prototype` keys into our code.
export type JsonObject = Record<string, unknown>;

export type HeaderResult =
  { readonly ok: true; readonly header: JsonObject } | { readonly ok: false; readonly reason: 'malformed_token' };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// A `\u` escape can spell any of those keys without the plain word appearing in the text.
const RISKY = /__proto__|constructor|prototype|\\u/;

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

// A header part, and the shape of the rest: the payload and signature characters are checked again by
// jsonwebtoken, which rejects anything but base64url. The signature may be empty so `alg: none` tokens reach
// the alg check and are named for what they are.
const B64URL = /^[A-Za-z0-9_-]+$/;
const MAX_HEADER_LENGTH = 1024;

/** Decodes the header of a compact JWS (exactly three parts) without verifying anything. */
export function decodeHeader(token: string): HeaderResult {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1)
    return { ok: false, reason: 'malformed_token' };
  const encoded = token.slice(0, first);
  if (encoded.length > MAX_HEADER_LENGTH || !B64URL.test(encoded)) return { ok: false, reason: 'malformed_token' };
  const header = parseJsonObject(Buffer.from(encoded, 'base64url').toString('utf8'));
  return header ? { ok: true, header } : { ok: false, reason: 'malformed_token' };
}

/**
 * Vets a payload parsed by jsonwebtoken (plain JSON.parse, which never assigns a prototype): it must be a
 * plain object without own `__proto__` / `constructor` / `prototype` keys, so nothing later can be tricked
 * by them. Parsing the payload once instead of twice keeps the warm path near raw crypto.verify.
 */
export function vetPayload(value: unknown): JsonObject | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  for (const key of FORBIDDEN_KEYS) if (Object.hasOwn(value, key)) return undefined;
  return value as JsonObject;
}

/** An own property of a decoded object, never one inherited from Object.prototype. */
export function own(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
