// Turns a JWKS document into verification keys: only RSA signing keys of 2048 bits or more survive
// (jwk-to-pem checks none of this), each converted once to a crypto.KeyObject so verification never parses a key.
import { createPublicKey, type KeyObject } from 'node:crypto';
// The RSA half of jwk-to-pem only; see jwk-to-pem-rsa.d.ts.
import rsaJwkToPem from 'jwk-to-pem/src/rsa.js';
import { own, type JsonObject } from './decode-jwt.ts';

export const MIN_RSA_BITS = 2048;
// More than this many keys in one JWKS is not a Cognito pool; refuse the surplus rather than spend CPU on it.
export const MAX_KEYS = 64;
const KID = /^[\x21-\x7E]{1,256}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

export type KeySkipReason =
  | 'not_an_object'
  | 'bad_kid'
  | 'not_rsa'
  | 'not_signing_key'
  | 'bad_alg'
  | 'bad_material'
  | 'key_too_small'
  | 'duplicate_kid'
  | 'too_many_keys';

export interface JwksKeys {
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly skipped: readonly { readonly kid: string; readonly reason: KeySkipReason }[];
}

export class JwksFormatError extends Error {
  override readonly name = 'JwksFormatError';
}

/** Bit length of a big-endian unsigned integer given as base64url (the JWK `n`). */
export function modulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i += 1;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i] ?? 0));
}

type Converted = { ok: true; key: KeyObject } | { ok: false; reason: KeySkipReason };

function convert(jwk: JsonObject): Converted {
  if (own(jwk, 'kty') !== 'RSA') return { ok: false, reason: 'not_rsa' };
  const use = own(jwk, 'use');
  if (use !== undefined && use !== 'sig') return { ok: false, reason: 'not_signing_key' };
  const alg = own(jwk, 'alg');
  if (alg !== undefined && alg !== 'RS256') return { ok: false, reason: 'bad_alg' };
  const n = own(jwk, 'n');
  const e = own(jwk, 'e');
  if (typeof n !== 'string' || typeof e !== 'string' || !B64URL.test(n) || !B64URL.test(e) || e.length > 12) {
    return { ok: false, reason: 'bad_material' };
  }
  if (modulusBits(n) < MIN_RSA_BITS) return { ok: false, reason: 'key_too_small' };
  try {
    // Only the public members: a JWK carrying `d` must never make jwk-to-pem produce a private key.
    const key = createPublicKey(rsaJwkToPem({ n, e }, { private: false }));
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa') return { ok: false, reason: 'not_rsa' };
    if (bits < MIN_RSA_BITS) return { ok: false, reason: 'key_too_small' };
    return { ok: true, key };
  } catch {
    return { ok: false, reason: 'bad_material' };
  }
}

/** Filters and converts a parsed JWKS. Throws JwksFormatError when the document is not `{ "keys": [...] }`. */
export function keysFromJwks(doc: JsonObject): JwksKeys {
  const list = own(doc, 'keys');
  if (!Array.isArray(list)) throw new JwksFormatError('JWKS has no "keys" array');
  const keys = new Map<string, KeyObject>();
  const duplicates = new Set<string>();
  const skipped: { kid: string; reason: KeySkipReason }[] = [];
  list.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      skipped.push({ kid: `#${index}`, reason: 'not_an_object' });
      return;
    }
    const jwk = item as JsonObject;
    const kid = own(jwk, 'kid');
    if (typeof kid !== 'string' || !KID.test(kid)) {
      skipped.push({ kid: `#${index}`, reason: 'bad_kid' });
      return;
    }
    if (index >= MAX_KEYS) {
      skipped.push({ kid, reason: 'too_many_keys' });
      return;
    }
    const converted = convert(jwk);
    if (!converted.ok) {
      skipped.push({ kid, reason: converted.reason });
      return;
    }
    // Two keys under one kid: we cannot tell which one signed a token, so neither is trusted.
    if (keys.has(kid) || duplicates.has(kid)) {
      keys.delete(kid);
      duplicates.add(kid);
      skipped.push({ kid, reason: 'duplicate_kid' });
      return;
    }
    keys.set(kid, converted.key);
  });
  return { keys, skipped };
}
