// The local Lambda Invoke endpoint (`lambdaEndpoint` in stack.json): SigV4 with the stack's credentials,
// browsers refused, then `POST /2015-03-31/functions/{FunctionName}/invocations` as Lambda answers it.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { guardAwsRequest, SERVICES, writeAwsResponse, type LocalCredentials } from '../aws-auth/index.ts';
import type { Invoke } from '../lambda-runner/pool.ts';
import { INVOKE_PATH, MAX_PAYLOAD_BYTES, invokeFunction, lambdaError, type InvokeAnswer } from './invoke.ts';
import { listen } from '../ports.ts';

export interface LambdaApiOptions {
  host?: string;
  port?: number;
  region: string;
  accountId?: string;
  credentials: LocalCredentials;
  functions: ReadonlyMap<string, Invoke>;
  now?: () => number;
}

export interface RunningLambdaApi {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

function write(res: http.ServerResponse, answer: InvokeAnswer): void {
  res.writeHead(answer.status, {
    ...answer.headers,
    'Content-Length': String(Buffer.byteLength(answer.body)),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(answer.body);
}

function decodeName(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export async function startLambdaApi(options: LambdaApiOptions): Promise<RunningLambdaApi> {
  const host = options.host ?? '127.0.0.1';
  const inflight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };
  const target = {
    region: options.region,
    accountId: options.accountId ?? '000000000000',
    functions: options.functions,
    track,
  };
  const auth = {
    credentials: options.credentials,
    region: options.region,
    service: SERVICES.lambda,
    ...(options.now ? { now: options.now } : {}),
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    // Authentication comes first, as on AWS: an unsigned caller learns nothing about paths or names.
    const checked = await guardAwsRequest(req, res, auth, MAX_PAYLOAD_BYTES + 1);
    if (!checked.ok) return;
    const url = new URL(req.url ?? '/', 'http://local');
    const match = INVOKE_PATH.exec(url.pathname);
    const functionName = match ? decodeName(match[1] as string) : undefined;
    if (req.method !== 'POST' || functionName === undefined) {
      writeAwsResponse(res, {
        status: 404,
        headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'UnknownOperationException' },
        body: JSON.stringify({ message: 'Unknown operation: only Invoke is served locally' }),
      });
      return;
    }
    const qualifier = url.searchParams.get('Qualifier') ?? undefined;
    const invocationType = req.headers['x-amz-invocation-type'];
    const answer = await invokeFunction(target, {
      functionName,
      payload: checked.body,
      ...(qualifier === undefined ? {} : { qualifier }),
      ...(typeof invocationType === 'string' ? { invocationType } : {}),
    });
    write(res, answer);
  };

  const server = http.createServer((req, res) => {
    const work = handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        write(res, lambdaError(500, 'ServiceException', err instanceof Error ? err.message : 'error'));
      else res.end();
    });
    track(work);
  });
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as { port: number }).port;
  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: () =>
      (closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Invocations in progress finish (their functions are still running); then keep-alive sockets go.
        while (inflight.size > 0) await Promise.allSettled([...inflight]);
        server.closeAllConnections();
        await stopped;
      })()),
  };
}
