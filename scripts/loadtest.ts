// Load test: N authenticated connections, each sending M messages through the local stack (real bundles,
// authorizer, DynamoDB, management API), then the same workload against a bare `ws` echo server in the same
// run for scale. Exits non-zero when a message is lost, a connection fails or items remain in the table.
//   npx tsx scripts/loadtest.ts [--connections 500] [--messages 20] [--parallel 50] [--workers <CPUs>] [--json]
//   npx tsx scripts/loadtest.ts --push [--connections 1000]: one user's sockets, one send through the control
//   function, beside the same frames sent with direct PostToConnection calls.
// Its stack runs with MAX_CONNECTIONS_PER_USER=0: every connection is the demo user's.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { startStack } from '../local/stack.ts';
import { localDynamoClient } from '../local/dynamodb.ts';
import { signInWithHostedUi } from './cli/hosted-ui-sign-in.ts';
import { ArgsError, parseArgs, positiveInt } from './cli/args.ts';
import { percentile } from './cli/stats.ts';
import { closeSockets, openSockets } from './cli/open-sockets.ts';
import { runPush } from './cli/push-load.ts';

interface RunResult {
  connections: number;
  failedConnections: number;
  connectSeconds: number;
  messages: number;
  lost: number;
  messageSeconds: number;
  latenciesMs: number[];
}

/** Reads the sequence number back from a reply: the stack wraps it in an echo frame, the bare server does not. */
type SeqOf = (data: string) => number | undefined;

async function runWorkload(
  url: string,
  count: number,
  messages: number,
  parallel: number,
  seqOf: SeqOf,
  timeoutMs: number,
): Promise<RunResult> {
  const connectStart = performance.now();
  const { sockets, failed } = await openSockets(url, count, parallel, timeoutMs);
  const connectSeconds = (performance.now() - connectStart) / 1000;

  const latencies: number[] = [];
  let lost = 0;
  const messageStart = performance.now();
  // Closed loop per connection: send, wait for the echo, send the next, as a chat client would.
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let seq = 0;
          let sentAt = 0;
          let timer: NodeJS.Timeout | undefined;
          const sendNext = (): void => {
            if (seq >= messages) {
              ws.off('message', onMessage);
              resolve();
              return;
            }
            sentAt = performance.now();
            ws.send(JSON.stringify({ seq }));
            timer = setTimeout(() => {
              // No echo in time: count this and the remaining messages as lost.
              lost += messages - seq;
              ws.off('message', onMessage);
              resolve();
            }, timeoutMs);
          };
          const onMessage = (data: Buffer): void => {
            if (seqOf(data.toString('utf8')) !== seq) return;
            clearTimeout(timer);
            latencies.push(performance.now() - sentAt);
            seq += 1;
            sendNext();
          };
          ws.on('message', onMessage);
          ws.once('close', () => {
            if (seq < messages) {
              clearTimeout(timer);
              lost += messages - seq;
              seq = messages;
              resolve();
            }
          });
          sendNext();
        }),
    ),
  );
  const messageSeconds = (performance.now() - messageStart) / 1000;
  await closeSockets(sockets);
  return {
    connections: sockets.length,
    failedConnections: failed,
    connectSeconds,
    messages: sockets.length * messages,
    lost,
    messageSeconds,
    latenciesMs: latencies,
  };
}

function summary(r: RunResult): Record<string, number> {
  const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;
  return {
    connections: r.connections,
    failedConnections: r.failedConnections,
    connectionsPerSecond: round(r.connections / r.connectSeconds),
    messages: r.messages,
    messagesPerSecond: round((r.messages - r.lost) / r.messageSeconds),
    p50Ms: round(percentile(r.latenciesMs, 50), 2),
    p95Ms: round(percentile(r.latenciesMs, 95), 2),
    p99Ms: round(percentile(r.latenciesMs, 99), 2),
    lost: r.lost,
  };
}

const ids = (n: number): string => String(n).padEnd(5);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), {
    booleans: ['json', 'help', 'push'],
    values: ['connections', 'messages', 'parallel', 'timeout', 'workers'],
  });
  if (args.flags.has('help')) {
    process.stderr.write(
      'usage: npx tsx scripts/loadtest.ts [--push] [--connections 500] [--messages 20] [--parallel 50] [--workers <CPUs>] [--timeout 30] [--json]\n',
    );
    return 0;
  }
  const push = args.flags.has('push');
  const connections = positiveInt(args, 'connections', push ? 1000 : 500, 20_000);
  const messages = positiveInt(args, 'messages', 20, 10_000);
  const parallel = positiveInt(args, 'parallel', 50, 1000);
  const timeoutMs = positiveInt(args, 'timeout', 30, 600) * 1000;
  // One busy worker per CPU: more only adds cold starts and contention on a small machine.
  const workers = positiveInt(args, 'workers', Math.max(2, os.cpus().length), 64);

  const stack = await startStack({
    ports: { web: 0, gateway: 0, lambda: 0, issuer: 0, dynamodb: 0 },
    web: false,
    // Every connection is the demo user's: the per-user limit is off for load scenarios.
    env: { MAX_CONNECTIONS_PER_USER: '0' },
    logLevel: 'error',
    // The default ten minutes would do; the load test never idles.
    functionTimeoutMs: 30_000,
    // Workers per function, like a Lambda concurrency limit.
    maxConcurrency: workers,
  });
  let failed: boolean;
  try {
    // One sign-in; every connection reuses the token.
    const { accessToken } = await signInWithHostedUi({
      hostedUiUrl: stack.config.hostedUiUrl,
      clientId: stack.config.clientId,
      redirectUri: stack.config.redirectUri,
      ...stack.demoUser,
    });
    if (push) {
      const r = await runPush(stack, accessToken, connections, parallel, timeoutMs);
      await stack.gateway.idle();
      failed = r.failedSockets > 0 || r.controlDelivered !== r.sockets || r.directDelivered !== r.sockets;
      const round = (n: number): number => Math.round(n * 1000) / 1000;
      const result = {
        sockets: r.sockets,
        failedSockets: r.failedSockets,
        control: { seconds: round(r.controlSeconds), delivered: r.controlDelivered, answer: r.answer },
        direct: { seconds: round(r.directSeconds), delivered: r.directDelivered, failed: r.directFailed, parallel },
        ok: !failed,
      };
      if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(result)}\n`);
      else
        process.stdout.write(
          [
            `push load: ${r.sockets} sockets of one user (${r.failedSockets} failed to open), Node ${process.version}, ${os.cpus().length} CPUs`,
            `control send (1 Invoke)          ${result.control.seconds.toFixed(3)} s   delivered ${r.controlDelivered}/${r.sockets}   answer ${JSON.stringify(r.answer)}`,
            `direct PostToConnection x ${ids(r.sockets)}  ${result.direct.seconds.toFixed(3)} s   delivered ${r.directDelivered}/${r.sockets}   (${parallel} in flight, ${r.directFailed} failed)`,
            failed ? 'FAILED: a push frame was not delivered' : 'OK: every frame delivered',
            '',
          ].join('\n'),
        );
      return failed ? 1 : 0;
    }
    const stackSeq: SeqOf = (data) => {
      try {
        const frame = JSON.parse(data) as { type?: string; message?: { seq?: unknown } };
        return frame.type === 'echo' && typeof frame.message?.seq === 'number' ? frame.message.seq : undefined;
      } catch {
        return undefined;
      }
    };
    const stackRun = await runWorkload(
      `${stack.config.websocketUrl}?token=${accessToken}`,
      connections,
      messages,
      parallel,
      stackSeq,
      timeoutMs,
    );
    await stack.gateway.idle();
    const db = localDynamoClient(stack.config.dynamodbEndpoint, stack.config.region, stack.config.credentials);
    const left = (await db.send(new ScanCommand({ TableName: stack.config.tableName, Select: 'COUNT' }))).Count ?? 0;
    db.destroy();
    const peakWorkers = Object.fromEntries(Object.entries(stack.pools).map(([name, pool]) => [name, pool.peakWorkers]));

    // The same workload against a bare ws echo server: what the machine can do without auth, Lambdas or DynamoDB.
    const bare = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    bare.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    await new Promise<void>((r) => bare.once('listening', () => r()));
    const barePort = (bare.address() as { port: number }).port;
    const bareSeq: SeqOf = (data) => {
      try {
        const value = (JSON.parse(data) as { seq?: unknown }).seq;
        return typeof value === 'number' ? value : undefined;
      } catch {
        return undefined;
      }
    };
    const bareRun = await runWorkload(
      `ws://127.0.0.1:${barePort}`,
      connections,
      messages,
      parallel,
      bareSeq,
      timeoutMs,
    );
    await new Promise<void>((r) => bare.close(() => r()));

    const s = summary(stackRun);
    const b = summary(bareRun);
    const ratio = {
      connectionsPerSecond:
        Math.round(((b.connectionsPerSecond as number) / (s.connectionsPerSecond as number)) * 10) / 10,
      messagesPerSecond: Math.round(((b.messagesPerSecond as number) / (s.messagesPerSecond as number)) * 10) / 10,
      p50: Math.round(((s.p50Ms as number) / (b.p50Ms as number)) * 10) / 10,
    };
    failed = stackRun.lost > 0 || left > 0 || stackRun.failedConnections > 0;
    if (args.flags.has('json')) {
      process.stdout.write(
        `${JSON.stringify({ stack: { ...s, itemsLeft: left, peakWorkers }, bare: b, bareOverStack: ratio, ok: !failed })}\n`,
      );
    } else {
      const row = (name: string, r: Record<string, number>): string =>
        `${name.padEnd(12)} ${String(r.connectionsPerSecond).padStart(8)} conn/s  ${String(r.messagesPerSecond).padStart(8)} msg/s  ` +
        `p50 ${String(r.p50Ms).padStart(7)} ms  p95 ${String(r.p95Ms).padStart(7)} ms  p99 ${String(r.p99Ms).padStart(7)} ms  lost ${r.lost}  failed conn ${r.failedConnections}`;
      process.stdout.write(
        [
          `load test: ${connections} connections x ${messages} messages (${parallel} handshakes in flight, up to ${workers} workers per function), Node ${process.version}, ${os.cpus().length} CPUs`,
          row('local stack', s),
          row('bare ws', b),
          `items left in ${stack.config.tableName} after every client closed: ${left}`,
          `peak workers per function: ${Object.entries(peakWorkers)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
          `bare ws / local stack: ${ratio.connectionsPerSecond}x connections/s, ${ratio.messagesPerSecond}x messages/s; stack p50 latency ${ratio.p50}x bare`,
          failed ? 'FAILED: messages lost, connections failed or items left' : 'OK: no message lost, no item left',
          '',
        ].join('\n'),
      );
    }
  } finally {
    await stack.stop();
  }
  return failed ? 1 : 0;
}

// The SDK's Node 20 deprecation notice is noise in a measurement run; other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (!`${w.name} ${w.message}`.includes('NodeVersionSupportWarning'))
    process.stderr.write(`${w.name}: ${w.message}\n`);
});
try {
  process.exitCode = await main();
  process.exit();
} catch (err) {
  process.stderr.write(
    `loadtest: ${err instanceof ArgsError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`,
  );
  process.exit(1);
}
