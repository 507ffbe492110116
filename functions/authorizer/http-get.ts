// A minimal GET over node:http / node:https for the JWKS. Not the global fetch: loading fetch's implementation
// costs tens of milliseconds of cold start, and node:http lets us bound the connect phase separately
// (TCP, and the TLS handshake for https) as API Gateway's own JWT authorizer does.
import http from 'node:http';
import https from 'node:https';

export interface HttpGetOptions {
  /** Aborts everything: connect, headers and body. */
  readonly signal: AbortSignal;
  /** Longest wait until the connection is established (and, for https, the TLS handshake done). */
  readonly connectTimeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpGetResponse {
  readonly status: number;
  /** The declared content-length, when there is one. */
  readonly contentLength: number | undefined;
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops reading and closes the connection. */
  cancel(): void;
}

export type HttpGet = (url: string, options: HttpGetOptions) => Promise<HttpGetResponse>;

export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError';
}

/** Redirects are not followed (a 3xx is just a status): keys come only from the configured URL. */
export const nodeHttpGet: HttpGet = (url, { signal, connectTimeoutMs, headers }) =>
  new Promise<HttpGetResponse>((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:') {
      reject(new Error(`unsupported protocol ${target.protocol}`));
      return;
    }
    let connectTimer: NodeJS.Timeout | undefined;
    // agent: false, so a fresh connection that closes afterwards: the JWKS is fetched about once an hour, and an
    // idle pooled socket would only keep the process (or a test's child process) alive.
    const options: http.RequestOptions = { method: 'GET', agent: false, signal, headers: { ...headers } };
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
    req.end();
  });
