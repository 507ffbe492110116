import { expect } from 'chai';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { startIssuer } from '../../../local/issuer/index.ts';
import { parseErrorMessage, parseLoginForm, signInWithHostedUi } from '../../../scripts/cli/hosted-ui-sign-in.ts';
import { CLIENT_ID, REDIRECT_URI, startTestIssuer } from './helpers.ts';

const clients = [{ clientId: CLIENT_ID, callbackUrls: [REDIRECT_URI], logoutUrls: [] }];
const quiet = () => undefined;

describe('issuer: lifecycle and configuration', function () {
  it('rejects with a clear error when the port is in use', async function () {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await startIssuer({ port, clients, log: quiet }).then(
        async (issuer) => {
          await issuer.close();
          expect.fail('startIssuer should have rejected');
        },
        (err: Error) =>
          expect(err.message).to.equal(
            `Issuer cannot listen on 127.0.0.1:${port}: the port is already in use (set another port, or 0 for a free one)`,
          ),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  for (const [name, options, message] of [
    ['no clients', { clients: [] }, /at least one client/],
    [
      'a client without callback URLs',
      { clients: [{ clientId: 'c', callbackUrls: [], logoutUrls: [] }] },
      /callbackUrls/,
    ],
    [
      'a relative callback URL',
      { clients: [{ clientId: 'c', callbackUrls: ['/cb'], logoutUrls: [] }] },
      /not an absolute URL/,
    ],
    [
      'a javascript: callback URL',
      { clients: [{ clientId: 'c', callbackUrls: ['javascript:alert(1)'], logoutUrls: [] }] },
      /http or https/,
    ],
    ['a duplicated client', { clients: [...clients, ...clients] }, /configured twice/],
    ['a malformed pool id', { clients, poolId: 'nounderscore' }, /poolId/],
    [
      'a pool id from another region',
      { clients, region: 'eu-west-1', poolId: 'us-east-1_abc' },
      /does not start with region/,
    ],
    ['a negative TTL', { clients, accessTokenTtlSeconds: -1 }, /accessTokenTtlSeconds/],
    ['a weak seeded password', { clients, users: [{ username: 'demo', password: 'password' }] }, /"demo".*upper-case/],
    ['an invalid port', { clients, port: 70000 }, /port/],
    ['a password hash cost that is not a power of two', { clients, passwordHashCost: 1000 }, /passwordHashCost/],
  ] as const) {
    it(`refuses ${name} at start`, async function () {
      let error: unknown;
      try {
        const issuer = await startIssuer({ log: quiet, ...(options as unknown as Parameters<typeof startIssuer>[0]) });
        await issuer.close();
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.match(message);
    });
  }

  it('signs in with a lowered password hash cost (for load tests)', async function () {
    const issuer = await startIssuer({ clients, passwordHashCost: 1024, log: quiet });
    try {
      const set = await signInWithHostedUi({
        hostedUiUrl: issuer.url,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        username: 'demo',
        password: 'Demo-passw0rd!',
      });
      expect(set.accessToken.split('.')).to.have.length(3);
    } finally {
      await issuer.close();
    }
  });

  it('derives the region from a custom pool id', async function () {
    const issuer = await startIssuer({ clients, poolId: 'eu-west-1_Test123', log: quiet });
    try {
      expect(issuer.region).to.equal('eu-west-1');
      expect(issuer.issuer).to.equal(`${issuer.url}/eu-west-1_Test123`);
      expect((await fetch(`${issuer.issuer}/.well-known/jwks.json`)).status).to.equal(200);
      expect((await fetch(`${issuer.url}/us-east-1_local0001/.well-known/jwks.json`)).status).to.equal(404);
    } finally {
      await issuer.close();
    }
  });

  it('closes promptly with an idle keep-alive connection open, and close is idempotent', async function () {
    const issuer = await startTestIssuer();
    const socket = connect(issuer.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /static/hosted-ui.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    await new Promise((resolve) => socket.once('data', resolve));
    const started = Date.now();
    await Promise.all([issuer.close(), issuer.close()]);
    expect(Date.now() - started).to.be.below(1000);
    socket.destroy();
  });

  it('survives malformed requests: bad URL, bad percent-encoding, garbage bytes, absurd headers', async function () {
    const issuer = await startTestIssuer();
    try {
      const raw = async (text: string): Promise<string> => {
        const socket = connect(issuer.port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write(text);
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        await new Promise((resolve) => {
          socket.once('close', resolve);
          setTimeout(resolve, 1000);
        });
        socket.destroy();
        return Buffer.concat(chunks).toString('latin1');
      };
      expect(await raw('GET //[bad HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).to.match(/^HTTP\/1\.1 [45]\d\d/);
      expect(await raw('\x00\x01\x02 garbage\r\n\r\n')).to.match(/^HTTP\/1\.1 400/);
      const percent = await fetch(`${issuer.authorizeUrl}?client_id=%E0%A4%A&redirect_uri=%ZZ`);
      expect(percent.status).to.equal(400);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${issuer.url}/login`,
          { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 'abc' } },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on('error', () => resolve(400)); // Node's client may refuse to send it; either way the server must not fall over
        req.end();
        void reject;
      });
      expect(status).to.equal(400);
      expect((await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).status).to.equal(200);
      expect(issuer.logs.filter((l) => l.includes('internal_error'))).to.deep.equal([]);
    } finally {
      await issuer.close();
    }
  });
});

describe('sign-in client helpers', function () {
  it('finds the form with the password field, whatever the attribute order and quoting', function () {
    const html = `<form action="/search"><input name="q"></form>
      <form method='post' action='/login?x=1&amp;y=2'><input value="a&amp;b&#39;c" type="hidden" name="request_id">
      <input name=username><input type="password" name="password"><input type="HIDDEN" name="extra" value=""></form>`;
    expect(parseLoginForm(html)).to.deep.equal({
      action: '/login?x=1&y=2',
      hidden: [
        ['request_id', "a&b'c"],
        ['extra', ''],
      ],
    });
    expect(parseLoginForm('<form><input name="q"></form>')).to.equal(undefined);
  });

  it('reads the error message text', function () {
    expect(
      parseErrorMessage(
        '<div class="error" id="error-message" role="alert"><ul><li>A &amp; B</li><li>C</li></ul></div>',
      ),
    ).to.equal('A & B C');
    expect(parseErrorMessage('<p>fine</p>')).to.equal(undefined);
  });
});

describe('issuer CLI (local/issuer/cli.ts)', function () {
  async function run(
    env: Record<string, string>,
  ): Promise<{ child: import('node:child_process').ChildProcess; first: string; stderr: () => string }> {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/issuer/cli.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const first = await new Promise<string>((resolve) => {
      let out = '';
      const done = () => resolve(out);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('issuer_ready')) done();
      });
      child.once('exit', done);
      setTimeout(done, 15000);
    });
    return { child, first, stderr: () => err };
  }

  it('starts from environment variables, serves discovery, and stops cleanly on SIGTERM', async function () {
    const { child, first } = await run({
      ISSUER_PORT: '0',
      ISSUER_CLIENT_ID: 'cliclient',
      ISSUER_POOL_ID: 'eu-west-1_Cli1',
    });
    try {
      const ready = JSON.parse(first.split('\n').find((l) => l.includes('issuer_ready')) ?? '{}') as Record<
        string,
        string
      >;
      expect(ready.clientId).to.equal('cliclient');
      expect(ready.issuer).to.match(/^http:\/\/127\.0\.0\.1:\d+\/eu-west-1_Cli1$/);
      const doc = (await (await fetch(`${ready.issuer}/.well-known/openid-configuration`)).json()) as Record<
        string,
        string
      >;
      expect(doc.issuer).to.equal(ready.issuer);
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exit).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 1 naming the variable when the configuration is bad', async function () {
    const { child, stderr } = await run({ ISSUER_PORT: 'eighty' });
    const code = child.exitCode ?? (await new Promise<number | null>((resolve) => child.once('exit', resolve)));
    expect(code).to.equal(1);
    expect(stderr()).to.contain('ISSUER_PORT');
  });
});
