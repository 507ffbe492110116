// The @connections management API on the gateway's HTTP port, with API Gateway's status codes and the
// x-amzn-ErrorType header the AWS SDK needs to raise its modeled errors (GoneException, ...).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { guardAwsRequest, type EndpointAuth } from '../aws-auth/index.ts';

export const POST_TO_CONNECTION_LIMIT_BYTES = 131_072;
/** Past this the body is not even read to its end: the socket is closed after the 413. */
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

/** Handles one management request. Returns false when the path is not a management path. */
export async function handleManagementRequest(
  req: IncomingMessage,
  res: ServerResponse,
  stage: string,
  control: ConnectionControl,
  auth: EndpointAuth,
): Promise<boolean> {
  const connectionId = parseManagementPath(req.url ?? '/', stage);
  if (connectionId === undefined) return false;
  // SigV4 with the stack's credentials, and no browser, before anything else (local/aws-auth).
  const checked = await guardAwsRequest(req, res, auth, POST_TO_CONNECTION_LIMIT_BYTES, HARD_BODY_LIMIT_BYTES);
  if (!checked.ok) return true;
  switch (req.method) {
    case 'POST': {
      if (!control.send(connectionId, checked.body)) sendError(res, 410, 'GoneException', 'Gone');
      else {
        res.writeHead(200, { 'Content-Length': 0, 'x-amzn-RequestId': randomUUID() });
        res.end();
      }
      return true;
    }
    case 'GET': {
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
      if (!control.remove(connectionId)) sendError(res, 410, 'GoneException', 'Gone');
      else {
        res.writeHead(204);
        res.end();
      }
      return true;
    }
    default:
      sendError(res, 403, 'ForbiddenException', 'Forbidden');
      return true;
  }
}
