// scripts/control.ts and connect.ts's /refresh as a user runs them, against a stack started here: --user
// resolved through the issuer's signed AdminGetUser, the control function invoked through the Lambda API, and
// the exit codes (0 answered, 1 usage or configuration, 2 the function answered an error).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningStack } from '../../../local/stack.ts';
import { accessToken, startTestStack } from '../helpers/stack-helpers.ts';
import { mustOpen } from '../helpers/ws-client.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function run(
  script: string,
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script), ...args], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(stdin);
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('scripts/control.ts and connect.ts /refresh', function () {
  this.timeout(90000);
  let stack: RunningStack;
  let dir: string;
  let config: string;
  before(async () => {
    stack = await startTestStack();
    dir = await mkdtemp(path.join(os.tmpdir(), 'control-cli-'));
    config = path.join(dir, 'stack.json');
    await writeFile(config, JSON.stringify(stack.config));
  });
  after(async () => {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('send --user demo reaches every socket of demo; list shows them; disconnect closes them', async () => {
    const token = await accessToken(stack);
    const a = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    const b = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    const sent = await run('control.ts', ['send', '--user', 'demo', '--message', '{"hello":1}', '--config', config]);
    expect(sent.code, sent.stderr).to.equal(0);
    expect(JSON.parse(sent.stdout)).to.include({ delivered: 2 });
    for (const client of [a, b])
      expect(await client.nextJson()).to.deep.include({ type: 'push', message: { hello: 1 } });

    const listed = await run('control.ts', ['list', '--user', 'demo', '--config', config]);
    expect(listed.code, listed.stderr).to.equal(0);
    expect((JSON.parse(listed.stdout) as { connections: unknown[] }).connections).to.have.length(2);

    const closed = await run('control.ts', ['disconnect', '--user', 'demo', '--config', config]);
    expect(closed.code, closed.stderr).to.equal(0);
    expect(JSON.parse(closed.stdout)).to.include({ closed: 2 });
    await Promise.all([a.closed, b.closed]);
  });

  it('exit codes: 1 for usage, an unknown user or a missing stack.json; 2 when the function answers an error', async () => {
    const usage = await run('control.ts', ['kick', '--user', 'demo', '--config', config]);
    expect(usage.code).to.equal(1);
    expect(usage.stderr).to.contain('first argument');
    const nobody = await run('control.ts', ['list', '--user', 'nobody-here', '--config', config]);
    expect(nobody.code).to.equal(1);
    expect(nobody.stderr).to.contain('no user named nobody-here');
    const missing = await run('control.ts', ['list', '--sub', 'x', '--config', path.join(dir, 'absent.json')]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('make local');
    // Control characters grow sixfold in the JSON frame: a 25 KB argument makes a 150 KB push frame.
    const tooLarge = await run('control.ts', [
      'send',
      '--sub',
      'x',
      '--message',
      '\u0001'.repeat(25_000),
      '--config',
      config,
    ]);
    expect(tooLarge.code, tooLarge.stderr).to.equal(2);
    expect(JSON.parse(tooLarge.stdout)).to.deep.equal({ error: 'message_too_large' });
  });

  it('connect.ts: /refresh signs in again and sends the new token; piped lines are shown once', async () => {
    const session = await run('connect.ts', ['--config', config], 'hello\n/refresh\n');
    expect(session.code, session.stderr).to.equal(0);
    expect(session.stderr.match(/^> hello$/gm), 'the sent line, once').to.have.length(1);
    expect(session.stderr).to.contain('refresh: signed in again, new token sent');
    expect(session.stdout).to.match(/"type":"echo".*"hello"/);
    expect(session.stdout).to.match(/"type":"(token_refreshed|error)"/);
  });
});
