// `make local` as the user runs it, stopped by a signal to make's own PID: SIGTERM (make passes it on) and
// SIGINT (make exits without passing it on; the stack notices its parent is gone). Either way the whole stack
// stops within 5 s, every $disconnect runs (the persisted table is empty) and every port is free again.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInWithHostedUi } from '../../../scripts/cli/hosted-ui-sign-in.ts';
import type { StackConfig } from '../../../local/stack.ts';
import { localDynamoClient, startDynamo } from '../../../local/dynamodb.ts';
import { itemCount } from '../helpers/stack-helpers.ts';
import { mustOpen } from '../helpers/ws-client.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface MakeRun {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function makeLocal(stateDir: string, dynamoDir: string): MakeRun {
  // -o deps: never reinstall dependencies from a test.
  const child = spawn('make', ['--no-print-directory', '-o', 'deps', 'local'], {
    cwd: root,
    env: {
      ...process.env,
      LOCAL_BUILD: 'if-missing',
      LOCAL_STATE_DIR: stateDir,
      DYNAMODB_PATH: dynamoDir,
      WEB_PORT: '0',
      GATEWAY_PORT: '0',
      LAMBDA_PORT: '0',
      ISSUER_PORT: '0',
      DYNAMODB_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, exited };
}

async function ready(run: MakeRun): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!run.stdout().includes('local stack ready')) {
    if (run.child.exitCode !== null) throw new Error(`make exited before ready: ${run.stdout()}`);
    if (Date.now() > deadline) throw new Error(`not ready within 60 s: ${run.stdout()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  describe(`make local stopped by ${signal} to make's PID`, function () {
    this.timeout(120_000);
    let stateDir: string;
    let dynamoDir: string;
    before(async () => {
      stateDir = await mkdtemp(path.join(os.tmpdir(), 'make-local-state-'));
      dynamoDir = await mkdtemp(path.join(os.tmpdir(), 'make-local-ddb-'));
    });
    after(async () => {
      await rm(stateDir, { recursive: true, force: true });
      await rm(dynamoDir, { recursive: true, force: true });
    });

    it('stops the whole stack within 5 s: sockets closed with 1001, every $disconnect run, every port free', async () => {
      const run = makeLocal(stateDir, dynamoDir);
      try {
        await ready(run);
        const config = JSON.parse(await readFile(path.join(stateDir, 'stack.json'), 'utf8')) as StackConfig;
        const tokens = await signInWithHostedUi({ ...config, username: 'demo', password: 'Demo-passw0rd!' });
        const clients = await Promise.all(
          [1, 2].map(() => mustOpen(`${config.websocketUrl}?token=${tokens.accessToken}`)),
        );
        const endpoints = [
          config.websocketUrl.replace(/^ws/, 'http'),
          config.lambdaEndpoint,
          config.hostedUiUrl,
          config.dynamodbEndpoint,
          config.webUrl.replace('localhost', '127.0.0.1'),
        ];
        for (const url of endpoints) expect(await portOpen(url), `${url} open while running`).to.equal(true);

        const started = Date.now();
        run.child.kill(signal);
        const closes = await Promise.all(clients.map((c) => c.closed));
        expect(closes.map((c) => c.code)).to.deep.equal([1001, 1001]);
        // make itself may exit at once (SIGINT); the stack must be gone within 5 s either way.
        const deadline = started + 5000;
        for (const url of endpoints) {
          while ((await portOpen(url)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
          expect(await portOpen(url), `${url} still open ${Date.now() - started} ms after ${signal}`).to.equal(false);
        }
        const exit = await run.exited;
        expect(exit.signal ?? exit.code, 'how make ended').to.not.equal(undefined);

        const reopened = await startDynamo({ port: 0, path: dynamoDir });
        const db = localDynamoClient(reopened.endpoint, 'us-east-1');
        try {
          expect(await itemCount(db, config.tableName), 'items left: a $disconnect did not run').to.equal(0);
        } finally {
          db.destroy();
          await reopened.close();
        }
      } finally {
        run.child.kill('SIGKILL');
      }
    });
  });
}
