// The `make web` entry point as a process: served config, listening address, and its one-line failures.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

const CONFIG = {
  websocketUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  hostedUiUrl: 'https://myapp.auth.eu-west-1.amazoncognito.com',
  clientId: 'client123',
  redirectUri: 'http://localhost:3000/',
  logoutUri: 'http://localhost:3000/',
  scopes: ['openid'],
};

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [tsx, path.join(root, 'web', 'serve-deployed.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return run;
}

async function until(run: Run, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const match = pattern.exec(run.stdout);
    if (match) return match;
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${pattern} in output; stdout: ${run.stdout} stderr: ${run.stderr}`);
}

describe('web: serve-deployed (make web) as a process', function () {
  this.timeout(30_000);
  let dir: string;
  const children: ChildProcess[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'serve-deployed-'));
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the app with the --config values on 127.0.0.1 and stops cleanly on SIGTERM', async () => {
    const file = path.join(dir, 'web.json');
    await writeFile(file, JSON.stringify(CONFIG));
    const run = start(['--config', file], { WEB_PORT: '0' });
    children.push(run.child);
    const match = await until(run, /listening on (http:\/\/127\.0\.0\.1:\d+\/)/, 20_000);
    const url = match[1] as string;
    const served = (await (await fetch(`${url}config.json`)).json()) as unknown;
    expect(served).to.deep.equal(CONFIG);
    const page = await fetch(url);
    expect(page.headers.get('content-security-policy')).to.contain(
      "connect-src 'self' https://myapp.auth.eu-west-1.amazoncognito.com wss://abc123.execute-api.eu-west-1.amazonaws.com",
    );
    expect(run.stdout, 'the callback port differs from the free port: say so').to.contain(
      'sign-in will return elsewhere',
    );
    run.child.kill('SIGTERM');
    expect(await run.exited).to.equal(0);
  });

  it('given .local/stack.json, passes none of its credentials or AWS-API endpoints to the browser', async () => {
    const secret = 'SECRET-3b8f0e1c9d2a4b7e';
    const keyId = 'AKIALOCAL7Q2W3E4R5T6';
    const stack = {
      websocketUrl: 'ws://127.0.0.1:3001/dev',
      managementEndpoint: 'http://127.0.0.1:3001/dev',
      hostedUiUrl: 'http://127.0.0.1:9229',
      clientId: 'localwebclient0000000000a1',
      redirectUri: 'http://localhost:3000/',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      lambdaEndpoint: 'http://127.0.0.1:3002',
      functionNames: { control: 'control' },
      credentials: { accessKeyId: keyId, secretAccessKey: secret },
      tableName: 'connections-local',
    };
    const file = path.join(dir, 'stack.json');
    await writeFile(file, JSON.stringify(stack), { mode: 0o600 });
    const run = start(['--config', file], { WEB_PORT: '0' });
    children.push(run.child);
    const url = (await until(run, /listening on (http:\/\/127\.0\.0\.1:\d+\/)/, 20_000))[1] as string;
    const served = (await (await fetch(`${url}config.json`)).json()) as Record<string, unknown>;
    expect(Object.keys(served).sort()).to.deep.equal([
      'clientId',
      'hostedUiUrl',
      'logoutUri',
      'redirectUri',
      'scopes',
      'websocketUrl',
    ]);
    for (const asset of ['', 'config.json', 'app.js', 'styles.css']) {
      const response = await fetch(`${url}${asset}`);
      const text = `${JSON.stringify([...response.headers])}${await response.text()}`;
      for (const leak of [secret, keyId, ':8000', ':3002']) {
        expect(text.includes(leak), `/${asset} carries ${leak}`).to.equal(false);
      }
    }
    expect(run.stdout + run.stderr, 'printed a credential').to.not.contain(secret);
    run.child.kill('SIGINT');
    expect(await run.exited).to.equal(0);
  });

  it('exits 1 with one clear line for a missing config file', async () => {
    const missing = path.join(dir, 'missing.json');
    const run = start(['--config', missing], { WEB_PORT: '0' });
    children.push(run.child);
    expect(await run.exited).to.equal(1);
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('web: ')),
    ).to.deep.equal([`web: ${missing}: no such file`]);
  });

  it('exits 1 naming WEB_PORT when it is not a port', async () => {
    const run = start([], { WEB_PORT: 'eighty' });
    children.push(run.child);
    expect(await run.exited).to.equal(1);
    expect(run.stderr).to.contain('web: WEB_PORT must be a port number');
  });

  it('exits 1 with the terraform problem when there is no usable terraform output', async () => {
    const run = start(['--terraform-dir', dir], { WEB_PORT: '0' });
    children.push(run.child);
    expect(await run.exited).to.equal(1);
    // Terraform may be absent, fail, or print no outputs for an empty directory: each says what to do.
    expect(run.stderr).to.match(
      /web: (terraform is not installed|terraform -chdir=.* output -json failed|terraform has no outputs)/,
    );
    expect(run.stderr).to.contain('--config <file.json>');
  });
});
