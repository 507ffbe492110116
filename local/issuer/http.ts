// Small HTTP helpers for the issuer: capped body reading, strict form parsing, cookies, responses.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 16 * 1024;

export class BadRequest extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'BadRequest';
  }
}

/** Reads the whole body, refusing more than `limit` bytes before buffering them. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > limit)) {
    req.resume(); // drain, so the connection can answer
    return Promise.reject(new BadRequest('body_too_large', `Request body must be at most ${limit} bytes.`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new BadRequest('body_too_large', `Request body must be at most ${limit} bytes.`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', () => {
      if (!done) {
        done = true;
        reject(new BadRequest('body_aborted', 'The request body was not received completely.'));
      }
    });
  });
}

/** Parses an application/x-www-form-urlencoded body; anything else is refused. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    throw new BadRequest('bad_content_type', 'Content-Type must be application/x-www-form-urlencoded.');
  }
  const body = await readBody(req);
  const text = body.toString('utf8');
  if (text.includes('\uFFFD')) throw new BadRequest('bad_encoding', 'The request body is not valid UTF-8.');
  return new URLSearchParams(text);
}

/** The one value of a form or query parameter; a repeated parameter is ambiguous and refused. */
export function singleParam(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new BadRequest('duplicate_parameter', `${name} was given more than once.`);
  return values[0];
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  path?: string;
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  // HttpOnly: page scripts never need it. SameSite=Lax: sent on the top-level redirect back from the app,
  // never on a cross-site POST, which is what makes the login form CSRF-resistant.
  return `${name}=${value}; Path=${options.path ?? '/'}; Max-Age=${options.maxAgeSeconds}; HttpOnly; SameSite=Lax`;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0, ...headers });
  res.end();
}
