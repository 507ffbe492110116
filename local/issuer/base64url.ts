import { randomBytes } from 'node:crypto';

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** A random opaque identifier with `bytes` of entropy, URL- and cookie-safe. */
export function randomId(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
