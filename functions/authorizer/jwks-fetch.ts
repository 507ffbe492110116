// Fetches the JWKS document with hard bounds, like API Gateway's own JWT authorizer: the response headers
// must arrive within `headersTimeoutMs` (covers connect and TLS), everything within `timeoutMs`, and the body
// may not exceed `maxBytes`, counted while streaming so an endless body is cut off early.
import { parseJsonObject, type JsonObject } from './decode-jwt.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface FetchLimits {
  readonly timeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 3000, headersTimeoutMs: 1500, maxBytes: 150 * 1024 };

export type JwksFetchFailure = 'timeout' | 'http_status' | 'too_large' | 'bad_json' | 'network';

export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
  constructor(readonly kind: JwksFetchFailure, detail: string) {
    super(`${kind}: ${detail}`);
  }
}

/** Rejects as soon as `signal` aborts, even when `promise` ignores the signal (an injected fetch may). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await raceAbort(reader.read(), signal);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new JwksFetchError('too_large', `body exceeds ${maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => undefined);
    throw err;
  }
  return Buffer.concat(chunks, total);
}

export async function fetchJwks(fetchFn: FetchLike, url: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<JsonObject> {
  const controller = new AbortController();
  const { signal } = controller;
  let phase = 'headers';
  const overall = setTimeout(() => controller.abort(new JwksFetchError('timeout', `no complete response within ${limits.timeoutMs} ms`)), limits.timeoutMs);
  const headers = setTimeout(() => controller.abort(new JwksFetchError('timeout', `no response headers within ${limits.headersTimeoutMs} ms`)), limits.headersTimeoutMs);
  try {
    let response: Response;
    try {
      // Redirects are refused: the configured URI is the only place keys may come from.
      response = await raceAbort(fetchFn(url, { signal, redirect: 'error', headers: { accept: 'application/json' } }), signal);
    } finally {
      clearTimeout(headers);
    }
    phase = 'body';
    if (!response.ok) {
      response.body?.cancel().catch(() => undefined);
      throw new JwksFetchError('http_status', `status ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      response.body?.cancel().catch(() => undefined);
      throw new JwksFetchError('too_large', `content-length ${declared} exceeds ${limits.maxBytes} bytes`);
    }
    if (!response.body) throw new JwksFetchError('bad_json', 'empty body');
    const bytes = await readCapped(response.body, limits.maxBytes, signal);
    const doc = parseJsonObject(bytes.toString('utf8'));
    if (!doc) throw new JwksFetchError('bad_json', 'body is not a JSON object');
    return doc;
  } catch (err) {
    if (err instanceof JwksFetchError) throw err;
    if (signal.aborted && signal.reason instanceof JwksFetchError) throw signal.reason;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new JwksFetchError('network', `${phase}: ${message}`.slice(0, 200));
  } finally {
    clearTimeout(overall);
    clearTimeout(headers);
    // Abort whatever is still open (a socket of a refused body) so nothing lingers past this call.
    if (!signal.aborted) controller.abort(new JwksFetchError('network', 'done'));
  }
}
