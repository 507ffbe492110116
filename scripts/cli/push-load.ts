// The push load scenario (`npx tsx scripts/loadtest.ts --push`): N sockets of one user, one `send` through the
// control function's Lambda Invoke, every push frame counted; then, in the same run, the same N frames sent by
// the client itself with N direct PostToConnection calls, for comparison.
import { performance } from 'node:perf_hooks';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { RunningStack } from '../../local/stack.ts';
import { mapLimit } from './stats.ts';
import { closeSockets, openSockets } from './open-sockets.ts';

export interface PushResult {
  sockets: number;
  failedSockets: number;
  /** The control function's answer to the send. */
  answer: unknown;
  controlSeconds: number;
  controlDelivered: number;
  directSeconds: number;
  directDelivered: number;
  directFailed: number;
}

/** The `sub` claim of a JWT, read without verification (the stack has just issued it). */
export function subOf(token: string): string {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
  if (typeof claims.sub !== 'string') throw new Error('the access token has no sub');
  return claims.sub;
}

/** Waits until `counter()` reaches `target` or `timeoutMs` passes; resolves with the time it took, in s. */
async function until(counter: () => number, target: number, started: number, timeoutMs: number): Promise<number> {
  while (counter() < target && performance.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 5));
  }
  return (performance.now() - started) / 1000;
}

export async function runPush(
  stack: RunningStack,
  accessToken: string,
  count: number,
  parallel: number,
  timeoutMs: number,
): Promise<PushResult> {
  const { sockets, failed: failedSockets } = await openSockets(
    `${stack.config.websocketUrl}?token=${accessToken}`,
    count,
    parallel,
    timeoutMs,
  );

  let controlDelivered = 0;
  let directDelivered = 0;
  for (const ws of sockets) {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type?: string; message?: { via?: string } };
      if (frame.type === 'push' && frame.message?.via === 'control') controlDelivered += 1;
      else if (frame.message?.via === 'direct') directDelivered += 1;
    });
  }

  const { credentials, region } = stack.config;
  const lambda = new LambdaClient({ region, credentials, endpoint: stack.config.lambdaEndpoint, maxAttempts: 1 });
  // A `list` first, so the measured send runs on a warm control worker, as a busy backend's would.
  await lambda.send(
    new InvokeCommand({
      FunctionName: stack.config.functionNames.control,
      Payload: Buffer.from(JSON.stringify({ op: 'list', sub: subOf(accessToken) })),
    }),
  );
  const started = performance.now();
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: stack.config.functionNames.control,
      Payload: Buffer.from(JSON.stringify({ op: 'send', sub: subOf(accessToken), message: { via: 'control' } })),
    }),
  );
  const controlSeconds = await until(() => controlDelivered, sockets.length, started, timeoutMs);
  lambda.destroy();
  let answer: unknown = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  try {
    answer = JSON.parse(answer as string);
  } catch {
    // shown as received
  }

  // The same frames, posted by the client itself: one PostToConnection per connection.
  const management = new ApiGatewayManagementApiClient({
    region,
    credentials,
    endpoint: stack.config.managementEndpoint,
    maxAttempts: 1,
  });
  const ids = stack.gateway.connectionIds();
  let directFailed = 0;
  const frame = Buffer.from(
    JSON.stringify({ type: 'push', message: { via: 'direct' }, sentAt: new Date().toISOString() }),
  );
  const directStarted = performance.now();
  await mapLimit(ids, parallel, (id) =>
    management.send(new PostToConnectionCommand({ ConnectionId: id, Data: frame })).then(
      () => undefined,
      () => void (directFailed += 1),
    ),
  );
  const directSeconds = await until(() => directDelivered, ids.length - directFailed, directStarted, timeoutMs);
  management.destroy();

  await closeSockets(sockets);
  return {
    sockets: sockets.length,
    failedSockets,
    answer,
    controlSeconds,
    controlDelivered,
    directSeconds,
    directDelivered,
    directFailed,
  };
}
