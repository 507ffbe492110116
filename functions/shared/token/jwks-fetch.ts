// Fetches the JWKS document with hard bounds, like API Gateway's own JWT authorizer: the connection must be
// established within `connectTimeoutMs`, everything must be done within `timeoutMs`, and the body may not
// exceed `maxBytes`, counted while streaming so an endless body is cut off early.
import { parseJsonObject, type JsonObject } from './decode-jwt.ts';
import { ConnectTimeoutError, type HttpGet } from './http-request.ts';

export interface FetchLimits {
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 3000, connectTimeoutMs: 1500, maxBytes: 150 * 1024 };

export type JwksFetchFailure = 'timeout' | 'http_status' | 'too_large' | 'bad_json' | 'network';

export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
  constructor(
    readonly kind: JwksFetchFailure,
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

/** The abort's reason as an Error (AbortSignal.timeout gives a TimeoutError; a bare abort() an AbortError). */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

/** Rejects as soon as `signal` aborts, even when `promise` ignores the signal (an injected transport may). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}

async function readCapped(body: AsyncIterable<Uint8Array>, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const step = await raceAbort(iterator.next(), signal);
    if (step.done) break;
    const value = step.value;
    total += value.byteLength;
    if (total > maxBytes) throw new JwksFetchError('too_large', `body exceeds ${maxBytes} bytes`);
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export async function fetchJwks(
  get: HttpGet,
  url: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): Promise<JsonObject> {
  const controller = new AbortController();
  const { signal } = controller;
  const overall = setTimeout(
    () => controller.abort(new JwksFetchError('timeout', `no complete response within ${limits.timeoutMs} ms`)),
    limits.timeoutMs,
  );
  let cancel: (() => void) | undefined;
  try {
    const response = await raceAbort(
      get(url, { signal, connectTimeoutMs: limits.connectTimeoutMs, headers: { accept: 'application/json' } }),
      signal,
    );
    cancel = () => response.cancel();
    if (response.status < 200 || response.status > 299)
      throw new JwksFetchError('http_status', `status ${response.status}`);
    if (response.contentLength !== undefined && response.contentLength > limits.maxBytes) {
      throw new JwksFetchError(
        'too_large',
        `content-length ${response.contentLength} exceeds ${limits.maxBytes} bytes`,
      );
    }
    const bytes = await readCapped(response.body, limits.maxBytes, signal);
    cancel = undefined;
    const doc = parseJsonObject(bytes.toString('utf8'));
    if (!doc) throw new JwksFetchError('bad_json', 'body is not a JSON object');
    return doc;
  } catch (err) {
    if (err instanceof JwksFetchError) throw err;
    if (err instanceof ConnectTimeoutError) throw new JwksFetchError('timeout', err.message);
    if (signal.aborted && signal.reason instanceof JwksFetchError) throw signal.reason;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new JwksFetchError('network', message.slice(0, 200));
  } finally {
    clearTimeout(overall);
    // Close whatever is still open (a refused or oversized body) so nothing lingers past this call.
    cancel?.();
    if (!signal.aborted) controller.abort(new JwksFetchError('network', 'done'));
  }
}
