// `make web` as the user runs it, stopped by a signal to make's own PID: SIGTERM (make passes it on) and SIGINT
// (make exits without passing it on; the server notices its parent is gone). Either way it stops within 5 s and
// its port is free again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const CONFIG = {
  websocketUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  hostedUiUrl: 'https://myapp.auth.eu-west-1.amazoncognito.com',
  clientId: 'client123',
  redirectUri: 'http://localhost:3000/',
  logoutUri: 'http://localhost:3000/',
  scopes: ['openid'],
};

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  describe(`make web stopped by ${signal} to make's PID`, function () {
    this.timeout(60_000);
    let dir: string;
    let child: ChildProcess | undefined;

    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'make-web-'));
    });

    after(async () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    });

    it('stops within 5 s and frees its port', async () => {
      const file = path.join(dir, 'web.json');
      await writeFile(file, JSON.stringify(CONFIG));
      // -o deps: never reinstall dependencies from a test.
      const run = spawn('make', ['--no-print-directory', '-o', 'deps', 'web'], {
        cwd: root,
        env: { ...process.env, WEB_CONFIG: file, WEB_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = run;
      let out = '';
      run.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      run.stderr?.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<void>((resolve) => run.once('exit', () => resolve()));

      const deadline = Date.now() + 30_000;
      const listening = /listening on http:\/\/127\.0\.0\.1:(\d+)\//;
      let match = listening.exec(out);
      while (!match) {
        if (run.exitCode !== null) throw new Error(`make web exited before listening: ${out}`);
        if (Date.now() > deadline) throw new Error(`make web not listening within 30 s: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
        match = listening.exec(out);
      }
      const port = Number(match[1]);
      expect(await portOpen(port), 'the server is not listening').to.equal(true);

      const signalledAt = Date.now();
      run.kill(signal);
      await exited;
      while ((await portOpen(port)) && Date.now() - signalledAt < 5000) await new Promise((r) => setTimeout(r, 50));
      const took = Date.now() - signalledAt;
      expect(await portOpen(port), `port ${port} still open ${took} ms after ${signal}; output: ${out}`).to.equal(
        false,
      );
      expect(took, `stopping took ${took} ms`).to.be.below(5000);
    });
  });
}
