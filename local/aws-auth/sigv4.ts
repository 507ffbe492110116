// Verifies the SigV4 `Authorization` header of an incoming request the way AWS front ends do: the checks run in
// the order AWS reports them (missing token, incomplete header, date, host, algorithm, scope, key, signature),
// and the expected signature is computed by the same signer the SDK uses, over exactly the headers the client
// says it signed.
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The error codes AWS answers for authentication failures (the `__type` / `x-amzn-ErrorType`). */
export type AuthErrorCode =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

export type SigV4Result = { ok: true; accessKeyId: string } | { ok: false; reason: AuthErrorCode; message: string };

/** The request as received: raw path with query as sent, headers as Node parsed them (lower-case names). */
export interface IncomingSignedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export interface VerifyOptions {
  credentials: LocalCredentials;
  region: string;
  /** Signing name: `execute-api`, `dynamodb`, `lambda`, `cognito-idp`. */
  service: string;
  /** Clock, epoch ms. */
  now?: () => number;
}

/** AWS refuses signatures whose date is more than 15 minutes from its clock, in either direction. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
  'Key and signing method. Consult the service documentation for details.';
const UNRECOGNIZED = 'The security token included in the request is invalid.';

const fail = (reason: AuthErrorCode, message: string): SigV4Result => ({ ok: false, reason, message });

function header(headers: IncomingSignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

interface AuthorizationParts {
  algorithm: string;
  credential?: string;
  signedHeaders?: string;
  signature?: string;
}

/** Splits `ALG Credential=..., SignedHeaders=..., Signature=...`; undefined when a pair has no `=`. */
export function parseAuthorization(value: string): AuthorizationParts | { malformed: string } {
  const trimmed = value.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  const parts: AuthorizationParts = { algorithm };
  const rest = space < 0 ? '' : trimmed.slice(space + 1);
  for (const piece of rest.split(',')) {
    const pair = piece.trim();
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    if (eq < 0) return { malformed: pair };
    const key = pair.slice(0, eq);
    const val = pair.slice(eq + 1);
    if (key === 'Credential') parts.credential = val;
    else if (key === 'SignedHeaders') parts.signedHeaders = val;
    else if (key === 'Signature') parts.signature = val;
  }
  return parts;
}

/** `20240102T030405Z` → epoch ms; undefined when not ISO 8601 basic format. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Reject dates such as month 13 that Date.UTC would roll over.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return undefined;
  return ms;
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The query as the signer sees it: decoded names and values, repeated names as arrays. */
function parseQuery(raw: string): Record<string, string | string[]> | undefined {
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const piece of raw.split('&')) {
    if (piece.length === 0) continue;
    const eq = piece.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq >= 0 ? piece.slice(0, eq) : piece);
      value = decodeURIComponent(eq >= 0 ? piece.slice(eq + 1) : '');
    } catch {
      return undefined;
    }
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[name] = [existing, value];
  }
  return { ...query };
}

async function sha256Hex(body: Uint8Array): Promise<string> {
  if (body.length === 0) return EMPTY_SHA256;
  const hash = new Sha256();
  hash.update(body);
  return Buffer.from(await hash.digest()).toString('hex');
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks the request's SigV4 header signature against the stack's credentials, region and service. */
export async function verifySigV4(request: IncomingSignedRequest, options: VerifyOptions): Promise<SigV4Result> {
  const now = (options.now ?? Date.now)();
  const authorization = header(request.headers, 'authorization');
  const qIndex = request.url.indexOf('?');
  const rawPath = qIndex >= 0 ? request.url.slice(0, qIndex) : request.url;
  const rawQuery = qIndex >= 0 ? request.url.slice(qIndex + 1) : '';

  if (authorization === undefined || !authorization.trim().startsWith('AWS4-')) {
    if (/(^|&)X-Amz-Algorithm=/.test(rawQuery)) {
      return fail('IncompleteSignatureException', 'Query-string (presigned) authentication is not accepted here.');
    }
    return fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }

  const parts = parseAuthorization(authorization);
  if ('malformed' in parts) {
    return fail(
      'IncompleteSignatureException',
      `'${parts.malformed}' not a valid key=value pair (missing equal-sign) in Authorization header.`,
    );
  }
  let missing = '';
  for (const [name, value] of [
    ['Credential', parts.credential],
    ['Signature', parts.signature],
    ['SignedHeaders', parts.signedHeaders],
  ] as const) {
    if (!value) missing += `Authorization header requires '${name}' parameter. `;
  }
  const amzDate = header(request.headers, 'x-amz-date');
  if (amzDate === undefined) {
    // The SDKs sign X-Amz-Date; a request dated only by `Date` is refused here rather than half-checked.
    missing += "Authorization header requires existence of a 'X-Amz-Date' header. ";
  }
  if (missing) return fail('IncompleteSignatureException', missing.trim());
  const credential = parts.credential as string;
  const signature = parts.signature as string;
  const signedHeaders = (parts.signedHeaders as string).split(';').filter((h) => h.length > 0);

  const signedAt = parseAmzDate(amzDate as string);
  if (signedAt === undefined) {
    return fail('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  }
  if (signedAt < now - MAX_SKEW_MS) {
    return fail(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} ` +
        `(${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (signedAt > now + MAX_SKEW_MS) {
    return fail(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} ` +
        `(${formatAmzDate(now)} + 15 min.)`,
    );
  }
  if (!signedHeaders.includes('host')) {
    return fail('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (!signedHeaders.includes('x-amz-date')) {
    return fail('InvalidSignatureException', "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (parts.algorithm !== ALGORITHM) {
    return fail(
      'IncompleteSignatureException',
      `Unsupported AWS 'algorithm': '${parts.algorithm}' (only ${ALGORITHM} for now).`,
    );
  }
  const scope = credential.replace(/\/+$/, '').split('/');
  if (scope.length !== 5) {
    return fail(
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope as [
    string,
    string,
    string,
    string,
    string,
  ];
  let scopeErrors = '';
  if (scopeRegion !== options.region)
    scopeErrors += `Credential should be scoped to a valid region, not '${scopeRegion}'. `;
  if (scopeService !== options.service) {
    scopeErrors += `Credential should be scoped to correct service: '${options.service}'. `;
  }
  if (terminator !== 'aws4_request') {
    scopeErrors += `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `;
  }
  if (scopeDate !== (amzDate as string).slice(0, 8)) {
    scopeErrors +=
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
      `'${scopeDate}' != '${(amzDate as string).slice(0, 8)}', from '${amzDate}'.`;
  }
  if (scopeErrors) return fail('InvalidSignatureException', scopeErrors.trim());

  if (!sameHex(accessKeyId, options.credentials.accessKeyId)) return fail('UnrecognizedClientException', UNRECOGNIZED);
  // The stack issues no session tokens, so any token is one AWS would not recognise.
  if (header(request.headers, 'x-amz-security-token') !== undefined) {
    return fail('UnrecognizedClientException', UNRECOGNIZED);
  }

  const bodyHash = await sha256Hex(request.body);
  const declaredHash = header(request.headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== bodyHash) {
    return fail('InvalidSignatureException', SIGNATURE_MISMATCH);
  }
  const query = parseQuery(rawQuery);
  if (query === undefined) return fail('InvalidSignatureException', SIGNATURE_MISMATCH);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    if (name === 'x-amz-date') continue; // the signer sets it from signingDate
    // A header that was signed but is absent enters the canonical request empty, and cannot match.
    headers[name] = header(request.headers, name) ?? '';
  }
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: rawPath,
      query,
      headers,
      body: request.body.length === 0 ? undefined : request.body,
    },
    { signingDate: new Date(signedAt), signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  if (!sameHex(signature, expected)) return fail('InvalidSignatureException', SIGNATURE_MISMATCH);
  return { ok: true, accessKeyId };
}
