// One bounded HTTP request over node:http / node:https, for the calls the verifier makes to the issuer (the JWKS,
// GetUser, userInfo). Not the global fetch: loading its implementation costs tens of milliseconds of cold start,
// and node:http lets the connect phase (TCP, and TLS for https) be bounded separately. Redirects are not
// followed: a 3xx is just a status.
import http from 'node:http';
import https from 'node:https';

export interface HttpRequestOptions {
  readonly method: 'GET' | 'POST';
  /** Aborts everything: connect, headers and body. */
  readonly signal: AbortSignal;
  /** Longest wait until the connection is established (and, for https, the TLS handshake done). */
  readonly connectTimeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  /** The declared content-length, when there is one. */
  readonly contentLength: number | undefined;
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops reading and closes the connection. */
  cancel(): void;
}

export type HttpRequest = (url: string, options: HttpRequestOptions) => Promise<HttpResponse>;

export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError';
}

export const nodeHttpRequest: HttpRequest = (url, { method, signal, connectTimeoutMs, headers, body }) =>
  new Promise<HttpResponse>((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:') {
      reject(new Error(`unsupported protocol ${target.protocol}`));
      return;
    }
    let connectTimer: NodeJS.Timeout | undefined;
    // agent: false, so a fresh connection that closes afterwards: these calls are rare (the JWKS about once an
    // hour, online checks cached), and an idle pooled socket would only keep the process alive.
    const options: http.RequestOptions = { method, agent: false, signal, headers: { ...headers } };
    const onResponse = (res: http.IncomingMessage): void => {
      clearTimeout(connectTimer);
      const declared = Number(res.headers['content-length']);
      resolve({
        status: res.statusCode ?? 0,
        contentLength: res.headers['content-length'] !== undefined && Number.isFinite(declared) ? declared : undefined,
        body: res,
        cancel: () => res.destroy(),
      });
    };
    const req = secure ? https.request(target, options, onResponse) : http.request(target, options, onResponse);
    req.once('socket', (socket) => {
      connectTimer = setTimeout(
        () => req.destroy(new ConnectTimeoutError(`not connected within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (err) => {
      clearTimeout(connectTimer);
      reject(err);
    });
    req.end(body);
  });

/** Reads at most `maxBytes` of a body, then stops (the rest is discarded with the connection). */
export async function readBodyCapped(response: HttpResponse, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      response.cancel();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A GET (the JWKS): the same transport with the method fixed. */
export type HttpGetOptions = Omit<HttpRequestOptions, 'method' | 'body'>;
export type HttpGet = (url: string, options: HttpGetOptions) => Promise<HttpResponse>;
export const nodeHttpGet: HttpGet = (url, options) => nodeHttpRequest(url, { ...options, method: 'GET' });
