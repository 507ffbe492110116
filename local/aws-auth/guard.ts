// The gate in front of every local AWS-API endpoint: refuse browsers, read the body (bounded), verify SigV4,
// and answer the failure in the service's own shape. Callers get the body back only when the request passed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifySigV4, type LocalCredentials } from './sigv4.ts';
import { authFailure, awsError, browserRefusal, type AwsErrorResponse, type AwsServiceProfile } from './responses.ts';

export interface EndpointAuth {
  credentials: LocalCredentials;
  region: string;
  service: AwsServiceProfile;
  /** Clock, epoch ms (tests). */
  now?: () => number;
}

export type GuardResult =
  { ok: true; body: Buffer } | { ok: false; reason: 'browser' | 'too_large' | 'aborted' | 'unauthenticated' };

/** True when the request carries an `Origin` header (any value, even `null`). */
export function fromBrowser(req: Pick<IncomingMessage, 'headers'>): boolean {
  return req.headers.origin !== undefined;
}

export function writeAwsResponse(res: ServerResponse, response: AwsErrorResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted'; drained?: boolean };

/**
 * Reads the whole body. Past `limitBytes` it stops keeping the bytes and reports `too_large`: after reading on
 * to the end (`drained`, so the client can read the answer) while the body stays under `drainLimitBytes`, at
 * once beyond that.
 */
export function readBody(req: IncomingMessage, limitBytes: number, drainLimitBytes = limitBytes): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        chunks.length = 0;
        if (size > drainLimitBytes) {
          req.pause();
          finish({ ok: false, reason: 'too_large', drained: false });
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      finish(
        size > limitBytes
          ? { ok: false, reason: 'too_large', drained: true }
          : { ok: true, body: Buffer.concat(chunks) },
      ),
    );
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}

/**
 * Checks one request. On failure the response has been written (403 for browsers, the service's auth error,
 * 413 past `limitBytes`, read on to the end up to `drainLimitBytes`); on success nothing has been written and the body is returned.
 */
export async function guardAwsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  auth: EndpointAuth,
  limitBytes: number,
  drainLimitBytes = limitBytes,
): Promise<GuardResult> {
  if (fromBrowser(req)) {
    req.resume();
    writeAwsResponse(res, browserRefusal(auth.service.protocol));
    return { ok: false, reason: 'browser' };
  }
  const read = await readBody(req, limitBytes, drainLimitBytes);
  if (!read.ok) {
    if (read.reason === 'too_large') {
      writeAwsResponse(
        res,
        awsError(auth.service.protocol, 'PayloadTooLargeException', 'Request entity too large', 413),
      );
      // The rest of a body past the drain limit is not read: the socket is closed after the answer.
      if (!read.drained) res.once('finish', () => req.socket.destroy());
    }
    return { ok: false, reason: read.reason };
  }
  const verdict = await verifySigV4(
    { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: read.body },
    {
      credentials: auth.credentials,
      region: auth.region,
      service: auth.service.signingName,
      ...(auth.now ? { now: auth.now } : {}),
    },
  );
  if (!verdict.ok) {
    writeAwsResponse(res, authFailure(auth.service.protocol, verdict.reason, verdict.message));
    return { ok: false, reason: 'unauthenticated' };
  }
  return { ok: true, body: read.body };
}
