// Per-run credentials for the local AWS-API endpoints: shaped like AWS access keys so SDKs and tools that
// check the format accept them, random enough that another local process cannot guess them.
import { randomBytes } from 'node:crypto';
import type { LocalCredentials } from './sigv4.ts';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `LOCAL` + 15 random base32 characters (20 in all, like `AKIA...`), and a 40-character secret. */
export function generateCredentials(): LocalCredentials {
  const idBytes = randomBytes(15);
  let suffix = '';
  for (const byte of idBytes) suffix += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return {
    accessKeyId: `LOCAL${suffix}`,
    secretAccessKey: randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B'),
  };
}

/** True for a value that has the shape of credentials (e.g. read back from stack.json). */
export function isLocalCredentials(value: unknown): value is LocalCredentials {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessKeyId === 'string' &&
    v.accessKeyId.length > 0 &&
    typeof v.secretAccessKey === 'string' &&
    v.secretAccessKey.length > 0
  );
}
