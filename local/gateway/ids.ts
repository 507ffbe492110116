// Identifiers shaped like API Gateway's: connection, request and message ids are 11 random bytes in standard
// base64 (16 characters ending in '=', possibly with '+' and '/', which is why the SDK URL-encodes them).
import { randomBytes } from 'node:crypto';

export function newAwsId(): string {
  return randomBytes(11).toString('base64');
}

/** A 10-character lowercase alphanumeric API id, like `abc123defg`. */
export function newApiId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(10);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/** An X-Amzn-Trace-Id value: Root=1-<8 hex epoch seconds>-<24 hex random>. */
export function newTraceId(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')}`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's requestTime format: `19/Jan/2023:21:13:26 +0000` (always UTC). */
export function formatRequestTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
