// The DynamoDB endpoint of the stack: every request is refused if it comes from a browser or is not signed
// with the stack's credentials, and only then handed to dynalite in-process. dynalite itself accepts any
// signature and answers `Access-Control-Allow-Origin: *`; it never sees a request this gate refused, and it
// listens only on a socket in a private directory (its close path needs a listening server).
import http from 'node:http';
import { Readable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { guardAwsRequest, SERVICES, type LocalCredentials } from './aws-auth/index.ts';
import { createDynalite, type DynamoServer } from './dynamodb.ts';
import { listen } from './ports.ts';

/** DynamoDB's request size limit. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface GuardedDynamoOptions {
  host?: string;
  port?: number;
  /** Directory to persist the data in; in memory when absent. */
  path?: string;
  region: string;
  credentials: LocalCredentials;
}

export type { DynamoServer } from './dynamodb.ts';

export async function startGuardedDynamo(options: GuardedDynamoOptions): Promise<DynamoServer> {
  const host = options.host ?? '127.0.0.1';
  const store = createDynalite(options.path);
  const privateDir = await mkdtemp(path.join(os.tmpdir(), 'dynalite-'));
  await new Promise<void>((resolve, reject) => {
    store.once('error', reject);
    store.listen(path.join(privateDir, 'sock'), () => {
      store.off('error', reject);
      resolve();
    });
  });
  const auth = { credentials: options.credentials, region: options.region, service: SERVICES.dynamodb };

  const server = http.createServer((req, res) => {
    void guardAwsRequest(req, res, auth, MAX_REQUEST_BYTES).then((checked) => {
      if (!checked.ok) return;
      // The verified request, replayed to dynalite's handler with the body already read.
      const replay = Readable.from(checked.body.length > 0 ? [checked.body] : []) as Readable & {
        headers: http.IncomingHttpHeaders;
        method?: string;
        url?: string;
      };
      replay.headers = req.headers;
      replay.method = req.method;
      replay.url = req.url;
      store.emit('request', replay, res);
    });
  });
  try {
    await listen(server, options.port ?? 0, host);
  } catch (err) {
    await new Promise<void>((resolve) => store.close(() => resolve()));
    await rm(privateDir, { recursive: true, force: true });
    throw err;
  }
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // dynalite closes its store on the server's close; the callback fires after it.
      await new Promise<void>((resolve) => store.close(() => resolve()));
      await rm(privateDir, { recursive: true, force: true });
    },
  };
}
