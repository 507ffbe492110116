// Lambda's Invoke operation over the stack's function pools: name resolution, payload checks and the answer
// shapes `@aws-sdk/client-lambda` parses (README.md, "Fidelity, with sources"). Pure of HTTP: the server feeds it the
// verified request and writes what it returns.
import type { Invoke } from '../lambda-runner/pool.ts';

export const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** Lambda's synchronous request payload quota. */
export const MAX_PAYLOAD_BYTES = 6_291_456;

export interface InvokeTarget {
  region: string;
  accountId: string;
  /** Function name → its pool's invoke. */
  functions: ReadonlyMap<string, Invoke>;
  /** Event invocations still running (so shutdown can wait for them). */
  track?: (work: Promise<unknown>) => void;
}

export interface InvokeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): InvokeAnswer {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A modeled Lambda error: the SDK reads the type from `x-amzn-ErrorType`. */
export function lambdaError(status: number, type: string, message: string, extra: Record<string, unknown> = {}) {
  return json(status, { Type: 'User', message, ...extra }, { 'x-amzn-ErrorType': type });
}

function functionArn(target: InvokeTarget, name: string): string {
  return `arn:aws:lambda:${target.region}:${target.accountId}:function:${name}`;
}

type Resolved = { ok: true; name: string } | { ok: false; reason: 'not_found' | 'bad_qualifier'; name: string };

/**
 * Accepts what Lambda accepts as FunctionName: a name, `name:qualifier`, `account:function:name` or the full ARN
 * of this region and account. Only `$LATEST` exists locally.
 */
export function resolveFunctionName(target: InvokeTarget, raw: string, qualifier: string | undefined): Resolved {
  let name = raw;
  let q = qualifier;
  const arn = /^arn:aws:lambda:([^:]+):([^:]+):function:([^:]+)(?::([^:]+))?$/.exec(raw);
  const partial = /^([0-9]{12}):function:([^:]+)(?::([^:]+))?$/.exec(raw);
  const withQualifier = /^([^:]+):([^:]+)$/.exec(raw);
  if (arn) {
    if (arn[1] !== target.region || arn[2] !== target.accountId) return { ok: false, reason: 'not_found', name: raw };
    name = arn[3] as string;
    q = arn[4] ?? q;
  } else if (partial) {
    if (partial[1] !== target.accountId) return { ok: false, reason: 'not_found', name: raw };
    name = partial[2] as string;
    q = partial[3] ?? q;
  } else if (withQualifier) {
    name = withQualifier[1] as string;
    q = withQualifier[2];
  }
  if (!target.functions.has(name)) return { ok: false, reason: 'not_found', name };
  if (q !== undefined && q !== '$LATEST') return { ok: false, reason: 'bad_qualifier', name: `${name}:${q}` };
  return { ok: true, name };
}

export interface InvokeRequest {
  functionName: string;
  qualifier?: string;
  invocationType?: string;
  payload: Buffer;
}

/** Runs one Invoke and answers as Lambda does. */
export async function invokeFunction(target: InvokeTarget, request: InvokeRequest): Promise<InvokeAnswer> {
  const resolved = resolveFunctionName(target, request.functionName, request.qualifier);
  if (!resolved.ok) {
    return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${functionArn(target, resolved.name)}`);
  }
  const type = request.invocationType ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
    return lambdaError(400, 'InvalidParameterValueException', `Unsupported invocation type: ${type}`);
  }
  if (request.payload.length > MAX_PAYLOAD_BYTES) {
    return lambdaError(
      413,
      'RequestTooLargeException',
      `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
    );
  }
  let event: unknown = {};
  if (request.payload.length > 0) {
    try {
      event = JSON.parse(request.payload.toString('utf8'));
    } catch (err) {
      return lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const invoke = target.functions.get(resolved.name) as Invoke;
  if (type === 'DryRun') return { status: 204, headers: {}, body: '' };
  if (type === 'Event') {
    // Asynchronous: accepted at once, the result is discarded (no destinations locally).
    const work = invoke(event).catch(() => undefined);
    target.track?.(work);
    return { status: 202, headers: {}, body: '' };
  }
  const result = await invoke(event).catch((err: unknown) => ({
    ok: false as const,
    error: { type: 'ServiceException', message: err instanceof Error ? err.message : String(err) },
    durationMs: 0,
  }));
  const version = { 'X-Amz-Executed-Version': '$LATEST' };
  if (result.ok) {
    const body = JSON.stringify(result.value === undefined ? null : result.value) ?? 'null';
    return { status: 200, headers: { 'Content-Type': 'application/json', ...version }, body };
  }
  if (result.error.type === 'TooManyRequestsException') {
    return lambdaError(429, 'TooManyRequestsException', result.error.message, {
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  }
  if (result.error.type === 'ServiceException') {
    return lambdaError(500, 'ServiceException', result.error.message);
  }
  // The function failed: Invoke itself succeeds, and says so in X-Amz-Function-Error.
  return json(
    200,
    { errorType: result.error.type, errorMessage: result.error.message, trace: [] },
    { ...version, 'X-Amz-Function-Error': 'Unhandled' },
  );
}
