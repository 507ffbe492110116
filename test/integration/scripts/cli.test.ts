// scripts/token.ts and scripts/connect.ts as a user runs them, against a stack started here; the deployed
// (--terraform) flow with a stand-in `terraform` on PATH and this test playing the browser.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningStack } from '../../../local/stack.ts';
import { parseLoginForm } from '../../../scripts/cli/hosted-ui-sign-in.ts';
import { startTestStack } from '../helpers/stack-helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  script: string,
  args: string[],
  options: { stdin?: string; env?: Record<string, string>; onStderr?: (text: string) => void } = {},
): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script), ...args], {
      cwd: root,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      options.onStderr?.(stderr);
    });
    child.stdin.end(options.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
}

describe('scripts/token.ts and scripts/connect.ts', function () {
  this.timeout(60000);
  let stack: RunningStack;
  let dir: string;
  let configFile: string;

  before(async () => {
    stack = await startTestStack();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
    configFile = path.join(dir, 'stack.json');
    await writeFile(configFile, JSON.stringify(stack.config));
  });
  after(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('token.ts prints an access token, --id an ID token, --json the token set', async () => {
    const [access, id, json] = await Promise.all([
      run('token.ts', ['--config', configFile]),
      run('token.ts', ['--config', configFile, '--id']),
      run('token.ts', ['--config', configFile, '--json']),
    ]);
    expect(access.code, access.stderr).to.equal(0);
    expect(claims(access.stdout.trim())).to.include({ token_use: 'access', username: 'demo' });
    expect(claims(id.stdout.trim())).to.include({ token_use: 'id', 'cognito:username': 'demo' });
    const set = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(set).to.have.keys('accessToken', 'idToken', 'refreshToken', 'expiresIn', 'tokenType');
  });

  it('token.ts fails with one clear line for a missing stack.json, an unknown flag, or a wrong password', async () => {
    const [missing, flag, password] = await Promise.all([
      run('token.ts', ['--config', path.join(dir, 'nope.json')]),
      run('token.ts', ['--bogus']),
      run('token.ts', ['--config', configFile], { env: { DEMO_PASSWORD: 'Wrong-passw0rd!' } }),
    ]);
    expect([missing.code, flag.code, password.code]).to.deep.equal([1, 1, 1]);
    expect(missing.stderr).to.include('make local');
    expect(flag.stderr).to.include('unknown option --bogus');
    expect(password.stderr).to.match(/sign-in failed/);
    for (const r of [missing, flag, password]) expect(r.stderr).to.not.match(/\n\s+at /);
  });

  for (const mode of ['', '--header', '--protocol']) {
    it(`connect.ts sends stdin lines and prints the echoes (token in ${mode || 'the query string'})`, async () => {
      const result = await run('connect.ts', ['--config', configFile, ...(mode ? [mode] : [])], {
        stdin: 'hello\n{"n":1}\n',
      });
      expect(result.code, result.stderr).to.equal(0);
      const echoes = result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l.replace(/^< /, '')) as { type: string; message: unknown });
      // API Gateway invokes $default concurrently: echoes may come back in either order.
      expect(echoes.map((e) => JSON.stringify(e.message)).sort()).to.deep.equal(['"hello"', '{"n":1}']);
      expect(result.stderr).to.include('closed 1000');
    });
  }

  it('token.ts --terraform opens the hosted UI, catches the redirect on the callback and exchanges the code', async () => {
    const bin = path.join(dir, 'bin');
    await rm(bin, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(bin));
    const outputs = {
      websocket_url: { value: stack.config.websocketUrl },
      hosted_ui_url: { value: stack.config.hostedUiUrl },
      client_id: { value: stack.config.clientId },
      redirect_uri: { value: stack.config.redirectUri },
      scopes: { value: ['openid', 'email'] },
    };
    await writeFile(path.join(bin, 'terraform'), `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify(outputs)}\nJSON\n`);
    await writeFile(path.join(bin, 'xdg-open'), '#!/bin/sh\nexit 0\n');
    await chmod(path.join(bin, 'terraform'), 0o755);
    await chmod(path.join(bin, 'xdg-open'), 0o755);

    let browsed = false;
    const browse = async (authorizeUrl: string): Promise<void> => {
      // What a browser and a user do: load the login page, post the form, follow the redirect.
      const page = await fetch(authorizeUrl, { redirect: 'manual' });
      const cookies = page.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const form = parseLoginForm(await page.text());
      if (!form) throw new Error('no login form');
      const body = new URLSearchParams(form.hidden);
      body.set('username', 'demo');
      body.set('password', 'Demo-passw0rd!');
      const login = await fetch(new URL(form.action || '/login', authorizeUrl), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookies },
        body: body.toString(),
      });
      const location = login.headers.get('location') as string;
      const callback = await fetch(location.replace('://localhost:', '://127.0.0.1:'));
      expect(callback.status).to.equal(200);
    };
    let browsing: Promise<void> = Promise.resolve();
    const result = await run('token.ts', ['--terraform'], {
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
      onStderr: (text) => {
        const url = /^(http\S+\/oauth2\/authorize\S+)$/m.exec(text)?.[1];
        if (url && !browsed) {
          browsed = true;
          browsing = browse(url);
        }
      },
    });
    await browsing;
    expect(result.code, result.stderr).to.equal(0);
    expect(claims(result.stdout.trim())).to.include({
      token_use: 'access',
      client_id: stack.config.clientId,
      scope: 'openid email',
    });
  });
});
