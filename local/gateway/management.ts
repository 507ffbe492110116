// The @connections management API on the gateway's HTTP port, with API Gateway's status codes and the
// x-amzn-ErrorType header the AWS SDK needs to raise its modeled errors (GoneException, ...).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export const POST_TO_CONNECTION_LIMIT_BYTES = 131_072;
/** Past this the body is not even drained: the socket is closed after the 413. */
const HARD_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface ManagedConnection {
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent?: string;
}

/** What the management API needs from the gateway: lookups and actions on live connections. */
export interface ConnectionControl {
  get(connectionId: string): ManagedConnection | undefined;
  /** Sends the payload; false when the connection is gone (closed or closing). */
  send(connectionId: string, data: Buffer): boolean;
  /** Closes the connection; false when it is gone. */
  remove(connectionId: string): boolean;
}

/** Parses `/@connections/{id}` or `/<stage>/@connections/{id}`; undefined for any other path. */
export function parseManagementPath(rawPath: string, stage: string): string | undefined {
  const path = rawPath.split('?')[0] as string;
  const match = /^(?:\/([^/]+))?\/@connections\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  if (match[1] !== undefined && match[1] !== stage) return undefined;
  try {
    const id = decodeURIComponent(match[2] as string);
    return id.length > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ message });
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-ErrorType': type,
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean; aborted: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > POST_TO_CONNECTION_LIMIT_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        if (size > HARD_BODY_LIMIT_BYTES) {
          req.pause();
          resolve({ body: Buffer.alloc(0), tooLarge: true, aborted: true });
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge, aborted: false }));
    req.on('error', () => resolve({ body: Buffer.alloc(0), tooLarge, aborted: true }));
  });
}

/** Handles one management request. Returns false when the path is not a management path. */
export async function handleManagementRequest(
  req: IncomingMessage,
  res: ServerResponse,
  stage: string,
  control: ConnectionControl,
): Promise<boolean> {
  const connectionId = parseManagementPath(req.url ?? '/', stage);
  if (connectionId === undefined) return false;
  // Signatures are not checked locally: any SigV4-signed (or unsigned) request is accepted.
  switch (req.method) {
    case 'POST': {
      const { body, tooLarge, aborted } = await readBody(req);
      if (tooLarge) {
        sendError(res, 413, 'PayloadTooLargeException', 'Request entity too large');
        if (aborted) res.once('finish', () => req.socket.destroy());
        return true;
      }
      if (aborted) return true;
      if (!control.send(connectionId, body)) sendError(res, 410, 'GoneException', 'Gone');
      else {
        res.writeHead(200, { 'Content-Length': 0, 'x-amzn-RequestId': randomUUID() });
        res.end();
      }
      return true;
    }
    case 'GET': {
      req.resume();
      const conn = control.get(connectionId);
      if (!conn) {
        sendError(res, 410, 'GoneException', 'Gone');
        return true;
      }
      const body = JSON.stringify({
        connectedAt: new Date(conn.connectedAt).toISOString(),
        identity: { sourceIp: conn.sourceIp, userAgent: conn.userAgent ?? '' },
        lastActiveAt: new Date(conn.lastActiveAt).toISOString(),
      });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    }
    case 'DELETE': {
      req.resume();
      if (!control.remove(connectionId)) sendError(res, 410, 'GoneException', 'Gone');
      else {
        res.writeHead(204);
        res.end();
      }
      return true;
    }
    default:
      req.resume();
      sendError(res, 403, 'ForbiddenException', 'Forbidden');
      return true;
  }
}
