// The HTTP side of the issuer's Cognito JSON API: POST / with X-Amz-Target and application/x-amz-json-1.1, as
// @aws-sdk/client-cognito-identity-provider sends it. Browsers are refused outright (any Origin header: 403, no
// CORS headers): they use the OAuth endpoints, which keep their CORS. Admin operations need a valid SigV4
// signature with the stack's credentials (the issuer option awsCredentials), checked by local/aws-auth.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  authFailure,
  browserRefusal,
  fromBrowser,
  verifySigV4,
  writeAwsResponse,
  type LocalCredentials,
} from '../aws-auth/index.ts';
import {
  ADMIN_OPERATIONS,
  TARGET_PREFIX,
  TOKEN_OPERATIONS,
  runOperation,
  type CognitoError,
  type CognitoPool,
} from './cognito-api.ts';
import { BadRequest, readBody } from './http.ts';
import type { Logger } from '../../functions/shared/log.ts';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface CognitoHttpDeps {
  pool: CognitoPool;
  log: Logger;
  /** The stack's per-run credentials; without them the admin operations are refused. */
  credentials?: LocalCredentials;
  region: string;
}

/** True when a request is meant for the JSON API (so the router sends it here rather than to a page). */
export function isJsonApiRequest(req: IncomingMessage, path: string): boolean {
  return (
    path === '/' && (req.method === 'POST' || req.method === 'OPTIONS' || req.headers['x-amz-target'] !== undefined)
  );
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...(errorType !== undefined ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  res.end(text);
}

function fail(status: number, type: string, message: string, reason: string): { error: CognitoError } {
  return { error: { status, type, message, reason } };
}

type Answer =
  | { body: Record<string, unknown>; reason: string }
  | { error: CognitoError }
  | { refusal: ReturnType<typeof browserRefusal>; reason: string };

export async function handleJsonApi(req: IncomingMessage, res: ServerResponse, deps: CognitoHttpDeps): Promise<void> {
  const outcome = await answer(req, deps);
  const target = req.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if ('refusal' in outcome) {
    deps.log('warn', 'cognito_api_rejected', { operation, detail: outcome.reason });
    req.resume();
    writeAwsResponse(res, outcome.refusal);
    return;
  }
  if ('error' in outcome) {
    deps.log('warn', 'cognito_api_rejected', { operation, detail: outcome.error.reason });
    req.resume();
    send(res, outcome.error.status, { __type: outcome.error.type, message: outcome.error.message }, outcome.error.type);
    return;
  }
  deps.log('info', 'cognito_api_served', { operation, detail: outcome.reason });
  send(res, 200, outcome.body);
}

async function answer(req: IncomingMessage, deps: CognitoHttpDeps): Promise<Answer> {
  // Browsers never call Cognito's JSON API here: a page of any origin gets a 403 it cannot read.
  if (fromBrowser(req)) return { refusal: browserRefusal('cognito-json'), reason: 'origin_refused' };
  if (req.method !== 'POST')
    return fail(405, 'UnknownOperationException', 'The JSON API takes POST only.', 'method_not_allowed');
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
    return fail(
      400,
      'UnknownOperationException',
      'X-Amz-Target must name an AWSCognitoIdentityProviderService operation.',
      'missing_target',
    );
  }
  const operation = target.slice(TARGET_PREFIX.length);
  if (!ADMIN_OPERATIONS.has(operation) && !TOKEN_OPERATIONS.has(operation)) {
    return fail(
      400,
      'UnknownOperationException',
      `Operation ${operation} is not supported by the local pool.`,
      'unknown_operation',
    );
  }
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== JSON_CONTENT_TYPE) {
    return fail(400, 'SerializationException', `Content-Type must be ${JSON_CONTENT_TYPE}.`, 'bad_content_type');
  }
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (err) {
    if (err instanceof BadRequest) return fail(400, 'SerializationException', err.message, err.reason);
    throw err;
  }
  if (ADMIN_OPERATIONS.has(operation)) {
    // As on AWS, the admin operations are IAM-authorized: SigV4 with the stack's credentials. The signature's
    // clock is the real one, never the issuer's test clock.
    if (!deps.credentials) {
      return fail(
        400,
        'UnrecognizedClientException',
        'Admin operations are off: the issuer was started without the awsCredentials option.',
        'admin_api_off',
      );
    }
    const check = await verifySigV4(
      { method: 'POST', url: req.url ?? '/', headers: req.headers, body: raw },
      { credentials: deps.credentials, region: deps.region, service: 'cognito-idp' },
    );
    if (!check.ok) {
      return { refusal: authFailure('cognito-json', check.reason, check.message), reason: `signature_${check.reason}` };
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.length === 0 ? '{}' : raw.toString('utf8'));
  } catch {
    return fail(400, 'SerializationException', 'The request body is not valid JSON.', 'bad_json');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return fail(400, 'SerializationException', 'The request body must be a JSON object.', 'bad_json');
  }
  const outcome = runOperation(operation, body as Record<string, unknown>, deps.pool);
  return outcome.ok ? { body: outcome.body, reason: outcome.reason } : { error: outcome.error };
}
