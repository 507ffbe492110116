// Safe readers for the parts of API Gateway WebSocket events the connection Lambdas use. Events are typed
// `unknown` and every field is checked: AWS has added and dropped fields over the years.
import { isRecord } from '../../shared/guards.ts';

export interface AuthorizerContext {
  readonly sub: string;
  /** `""` when the token had none (machine tokens). */
  readonly username: string;
  /** The token's `exp`, epoch seconds; undefined when the context has none. */
  readonly exp: number | undefined;
  /** The token's `auth_time` (the authorizer's `authTime`), epoch seconds; undefined when the context has none. */
  readonly authTime: number | undefined;
}

export type ContextRead =
  { readonly ok: true; readonly context: AuthorizerContext } | { readonly ok: false; readonly reason: string };

// API Gateway ids look like "R1kmxc2VNjMCFIA=" but no format is documented: accept any short printable ASCII
// (the SDK URL-encodes the id when it puts it into a management API path).
const CONNECTION_ID = /^[\x21-\x7E]{1,128}$/;
const MAX_SUB_LENGTH = 256;
const MAX_USERNAME_LENGTH = 256;

export function requestContextOf(event: unknown): Record<string, unknown> | undefined {
  if (!isRecord(event)) return undefined;
  const ctx = event['requestContext'];
  return isRecord(ctx) ? ctx : undefined;
}

export function readConnectionId(event: unknown): string | undefined {
  const id = requestContextOf(event)?.['connectionId'];
  return typeof id === 'string' && CONNECTION_ID.test(id) ? id : undefined;
}

/** `requestContext.requestId`, for log correlation only (capped, never trusted). */
export function readRequestId(event: unknown): string | undefined {
  const id = requestContextOf(event)?.['requestId'];
  return typeof id === 'string' ? id.slice(0, 64) : undefined;
}

/** API Gateway delivers every authorizer context value downstream as a string. */
function readEpochSeconds(value: unknown): number | undefined | 'malformed' {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,12}$/.test(value)) return 'malformed';
  return Number(value);
}

/** Reads `event.requestContext.authorizer`, as set by our authorizer (docs/architecture.md). */
export function readAuthorizerContext(event: unknown): ContextRead {
  const authorizer = requestContextOf(event)?.['authorizer'];
  if (!isRecord(authorizer)) return { ok: false, reason: 'requestContext.authorizer is missing' };
  const sub = authorizer['sub'];
  if (typeof sub !== 'string' || sub === '') return { ok: false, reason: 'authorizer context has no sub' };
  if (sub.length > MAX_SUB_LENGTH) return { ok: false, reason: 'authorizer context sub is too long' };
  const username = authorizer['username'] ?? '';
  if (typeof username !== 'string') return { ok: false, reason: 'authorizer context username is not a string' };
  if (username.length > MAX_USERNAME_LENGTH) return { ok: false, reason: 'authorizer context username is too long' };
  const exp = readEpochSeconds(authorizer['exp']);
  if (exp === 'malformed') return { ok: false, reason: 'authorizer context exp is not epoch seconds' };
  const authTime = readEpochSeconds(authorizer['authTime']);
  if (authTime === 'malformed') return { ok: false, reason: 'authorizer context authTime is not epoch seconds' };
  return { ok: true, context: { sub, username, exp, authTime } };
}

/** Every value of header `name` (matched case-insensitively) from `headers`, else from `multiValueHeaders`. */
export function headerValues(event: unknown, name: string): string[] {
  if (!isRecord(event)) return [];
  const wanted = name.toLowerCase();
  const single: string[] = [];
  const headers = event['headers'];
  if (isRecord(headers)) {
    for (const key of Object.keys(headers)) {
      const value = headers[key];
      if (key.toLowerCase() === wanted && typeof value === 'string') single.push(value);
    }
  }
  if (single.length > 0) return single;
  const multi: string[] = [];
  const multiHeaders = event['multiValueHeaders'];
  if (isRecord(multiHeaders)) {
    for (const key of Object.keys(multiHeaders)) {
      const values = multiHeaders[key];
      if (key.toLowerCase() !== wanted || !Array.isArray(values)) continue;
      for (const value of values) if (typeof value === 'string') multi.push(value);
    }
  }
  return multi;
}

/** What a WebSocket route integration returns to API Gateway. */
export interface RouteResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
}
