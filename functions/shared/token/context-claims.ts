// CONTEXT_CLAIMS: extra token claims copied into the authorizer context (and, by $connect and refresh, onto the
// connection item). Each claim travels under `claim_` + its name with every character other than letters and
// digits replaced by `_`, so the key can be used in `$context.authorizer.<key>` expressions.
import { ConfigError, parseList } from '../env.ts';

export interface ContextClaim {
  /** The claim's name in the token, e.g. `custom:tenant`. */
  readonly name: string;
  /** Its key in the authorizer context, e.g. `claim_custom_tenant`. */
  readonly key: string;
}

export type ContextValue = string | number | boolean;

export interface PickedClaims {
  /** Context key → value, as the authorizer returns it. */
  readonly context: Readonly<Record<string, ContextValue>>;
  /** Original claim name → the string the routes receive (what the connection item stores under `claims`). */
  readonly stored: Readonly<Record<string, string>>;
  /** Names of claims present with a type the context cannot carry (objects, non-string arrays, null). */
  readonly skipped: readonly string[];
}

/** Claims the context already carries under its own keys: copying them again would only confuse backends. */
export const RESERVED_CLAIMS: readonly string[] = [
  'sub',
  'username',
  'client_id',
  'aud',
  'scope',
  'cognito:groups',
  'token_use',
  'exp',
  'auth_time',
];
export const MAX_CONTEXT_CLAIMS = 20;
// No spaces or control characters; a comma cannot occur since it separates the list.
const MAX_CLAIM_NAME = 128;
const isClaimName = (name: string): boolean =>
  name.length <= MAX_CLAIM_NAME && [...name].every((ch) => ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) !== 0x7f);

export function contextKeyOf(name: string): string {
  return `claim_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** Parses CONTEXT_CLAIMS (comma-separated). Throws ConfigError naming the variable and the offending claims. */
export function parseContextClaims(raw: string | undefined): ContextClaim[] {
  const names = parseList(raw, ',');
  const claims: ContextClaim[] = [];
  for (const name of names) {
    if (!isClaimName(name)) {
      throw new ConfigError('CONTEXT_CLAIMS', `has an invalid claim name "${name.slice(0, 32)}"`);
    }
    if (RESERVED_CLAIMS.includes(name)) {
      throw new ConfigError('CONTEXT_CLAIMS', `must not name "${name}": the context already carries that claim`);
    }
    if (claims.some((c) => c.name === name)) continue;
    const key = contextKeyOf(name);
    const clash = claims.find((c) => c.key === key);
    if (clash) {
      throw new ConfigError('CONTEXT_CLAIMS', `names "${clash.name}" and "${name}", which both map to the key ${key}`);
    }
    claims.push({ name, key });
  }
  if (claims.length > MAX_CONTEXT_CLAIMS) {
    throw new ConfigError('CONTEXT_CLAIMS', `names more than ${MAX_CONTEXT_CLAIMS} claims`);
  }
  return claims;
}

type Converted = { readonly value: ContextValue; readonly text: string } | undefined;

function convert(value: unknown): Converted {
  if (typeof value === 'string' || typeof value === 'boolean') return { value, text: String(value) };
  // JSON.parse turns 1e400 into Infinity; the context cannot carry it.
  if (typeof value === 'number') return Number.isFinite(value) ? { value, text: String(value) } : undefined;
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) {
    const text = JSON.stringify(value);
    return { value: text, text };
  }
  return undefined;
}

/** Picks the configured claims of a verified payload. Absent claims are left out; unusable ones are `skipped`. */
export function pickContextClaims(
  payload: Readonly<Record<string, unknown>>,
  claims: readonly ContextClaim[],
): PickedClaims {
  const context: Record<string, ContextValue> = {};
  const stored: Record<string, string> = {};
  const skipped: string[] = [];
  for (const { name, key } of claims) {
    if (!Object.hasOwn(payload, name)) continue;
    const converted = convert(payload[name]);
    if (converted === undefined) {
      skipped.push(name);
      continue;
    }
    // defineProperty: a claim named "__proto__" stays data on both objects.
    Object.defineProperty(context, key, { value: converted.value, enumerable: true });
    Object.defineProperty(stored, name, { value: converted.text, enumerable: true });
  }
  return { context, stored, skipped };
}
