// `make local` as a newcomer runs it: local/main.ts in a child process, ports from the environment (0 here),
// `local stack ready` on stdout, .local/stack.json written, clean stop on SIGTERM, and one clear line plus
// exit code 1 for a bad configuration or a port in use.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInWithHostedUi } from '../../../scripts/cli/hosted-ui-sign-in.ts';
import type { StackConfig } from '../../../local/stack.ts';
import { mustOpen } from '../helpers/ws-client.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function runMain(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'local', 'main.ts')], {
    cwd: root,
    // if-missing: `make test` built the bundles; never rebuild from sources being edited in the checkout.
    env: {
      ...process.env,
      LOCAL_BUILD: 'if-missing',
      WEB_PORT: '0',
      GATEWAY_PORT: '0',
      LAMBDA_PORT: '0',
      ISSUER_PORT: '0',
      DYNAMODB_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(run: Run, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.stdout().includes(text)) {
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode} before "${text}": ${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms: ${run.stdout()} ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('local/main.ts (make local) in a child process', function () {
  this.timeout(60000);
  let stateDir: string;
  before(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'local-main-'));
  });
  after(async () => rm(stateDir, { recursive: true, force: true }));

  it('prints "local stack ready", writes stack.json, serves a session and stops cleanly on SIGTERM', async () => {
    const run = runMain({ LOCAL_STATE_DIR: stateDir, LOG_LEVEL: 'warn' });
    try {
      await waitFor(run, 'local stack ready', 45000);
      expect(run.stdout()).to.include('demo / Demo-passw0rd!');
      const config = JSON.parse(await readFile(path.join(stateDir, 'stack.json'), 'utf8')) as StackConfig;
      expect(Object.keys(config).sort()).to.deep.equal([
        'clientId',
        'credentials',
        'dynamodbEndpoint',
        'functionNames',
        'hostedUiUrl',
        'issuer',
        'jwksUri',
        'lambdaEndpoint',
        'managementEndpoint',
        'redirectUri',
        'region',
        'revocationsTableName',
        'tableName',
        'userPoolId',
        'webUrl',
        'websocketUrl',
      ]);
      expect(config.revocationsTableName).to.equal('revocations-local');
      expect(config.functionNames).to.deep.equal({
        authorizer: 'authorizer',
        connect: 'connect',
        default: 'default',
        disconnect: 'disconnect',
        refresh: 'refresh',
        control: 'control',
      });
      expect(config.credentials.accessKeyId).to.match(/^LOCAL[A-Z2-7]{15}$/);
      expect((await stat(path.join(stateDir, 'stack.json'))).mode & 0o777, 'stack.json mode').to.equal(0o600);
      expect((await stat(stateDir)).mode & 0o777, 'state directory mode').to.equal(0o700);
      expect(config.redirectUri).to.match(/^http:\/\/localhost:\d+\/$/);
      expect(config.webUrl).to.equal(config.redirectUri);
      const tokens = await signInWithHostedUi({ ...config, username: 'demo', password: 'Demo-passw0rd!' });
      const client = await mustOpen(`${config.websocketUrl}?token=${tokens.accessToken}`);
      client.send('hello');
      expect(await client.nextJson()).to.include({ type: 'echo', message: 'hello' });
      run.child.kill('SIGTERM');
      expect((await client.closed).code).to.equal(1001);
      expect(await run.exited).to.equal(0);
      expect(run.stdout()).to.include('local stack stopped');
      expect(run.stderr(), "the SDK's Node 20 notice is filtered, nothing else is printed").to.equal('');
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('refuses a bad configuration with one line naming the variable and exit code 1', async () => {
    const cases = [
      ['GATEWAY_PORT', 'abc'],
      ['IDLE_TIMEOUT_SECONDS', '-5'],
      ['REQUIRED_SCOPES', 'bad"scope'],
      ['STAGE', 'a/b'],
    ] as const;
    const runs = cases.map(([name, value]) => ({ name, run: runMain({ LOCAL_STATE_DIR: stateDir, [name]: value }) }));
    for (const { name, run } of runs) {
      expect(await run.exited, name).to.equal(1);
      expect(run.stderr(), name).to.include(name);
      expect(run.stderr(), `${name}: no stack trace`).to.not.match(/\n\s+at /);
      expect(run.stderr().trim().split('\n'), `${name}: one line`).to.have.length(1);
    }
  });

  it('refuses a port already in use with a clear message and exit code 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = runMain({ LOCAL_STATE_DIR: stateDir, GATEWAY_PORT: String(port) });
      expect(await run.exited).to.equal(1);
      expect(run.stderr()).to.include(`port ${port} is already in use`);
      expect(run.stderr()).to.include('GATEWAY_PORT');
      expect(run.stderr()).to.not.match(/\n\s+at /);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
