// The built artefact, not the sources: dist/authorizer/index.js is required in a child process (CommonJS, as
// Lambda loads it) with an environment pointing at a JWKS server in this process.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  accessClaims,
  connectEvent,
  rsaKey,
  serveJson,
  signRs256,
  startJwksServer,
  type JwksServer,
} from '../../unit/authorizer/helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

interface ChildOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runChild(bundle: string, env: Record<string, string>, events: unknown[]): Promise<ChildOutcome> {
  const script = `
    const { handler } = require(process.argv[1]);
    const events = JSON.parse(process.argv[2]);
    (async () => {
      const out = [];
      for (const e of events) {
        try { out.push({ result: await handler(e) }); } catch (err) { out.push({ error: err.message, name: err.name }); }
      }
      process.stdout.write('RESULT ' + JSON.stringify(out) + '\\n');
    })();`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', script, bundle, JSON.stringify(events)],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 15_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('built bundle dist/authorizer/index.js', function () {
  this.timeout(60_000);
  const key = rsaKey('bundle-k1');
  let server: JwksServer;
  let bundle: string;
  let tempDist: string | undefined;

  before(async function () {
    const built = path.join(root, 'dist/authorizer/index.js');
    const sourcesNewest = Math.max(
      newestMtime(path.join(root, 'functions/authorizer')),
      newestMtime(path.join(root, 'functions/shared')),
    );
    let source = built;
    let privateBuild: string | undefined;
    if (!existsSync(built) || statSync(built).mtimeMs < sourcesNewest) {
      // Stale or missing: build into a private directory so a concurrent `make build` is not disturbed.
      // build.mjs joins DIST_DIR to the repository root, so the directory is given relative to it.
      mkdirSync(path.join(root, 'test-artifacts'), { recursive: true });
      privateBuild = mkdtempSync(path.join(root, 'test-artifacts', 'authorizer-dist-'));
      const relative = path.relative(root, privateBuild);
      await new Promise<void>((resolve, reject) =>
        execFile(
          process.execPath,
          ['scripts/build.mjs'],
          { cwd: root, env: { ...process.env, DIST_DIR: relative } },
          (err, _o, stderr) => (err ? reject(new Error(`build failed: ${stderr}`)) : resolve()),
        ),
      );
      source = path.join(privateBuild, 'authorizer/index.js');
    }
    // A private copy: another engineer's `make build` may replace dist/ while this suite runs.
    tempDist = mkdtempSync(path.join(tmpdir(), 'authorizer-bundle-'));
    copyFileSync(source, path.join(tempDist, 'index.js'));
    writeFileSync(path.join(tempDist, 'package.json'), '{ "type": "commonjs" }\n');
    bundle = path.join(tempDist, 'index.js');
    if (privateBuild) rmSync(privateBuild, { recursive: true, force: true });
    server = await startJwksServer(serveJson({ keys: [key.jwk] }));
  });

  after(async () => {
    await server?.close();
    if (tempDist) rmSync(tempDist, { recursive: true, force: true });
  });

  it('loads, fetches the JWKS at cold start, allows a valid token and rejects bad ones with exactly "Unauthorized"', async () => {
    const issuer = `${server.url}/pool`;
    const now = Math.floor(Date.now() / 1000);
    const claims = accessClaims(issuer, { iat: now - 10, auth_time: now - 20, exp: now + 600 });
    const good = signRs256({ alg: 'RS256', kid: 'bundle-k1' }, claims, key.privateKey);
    const forged = signRs256({ alg: 'RS256', kid: 'bundle-k1' }, claims, rsaKey('bundle-k1').privateKey);
    server.requests = 0;
    const out = await runChild(
      bundle,
      { USER_POOL_ID: 'us-east-1_local0001', CLIENT_IDS: 'client1abc', ISSUER: issuer, JWKS_URI: server.jwksUrl },
      [
        connectEvent({ headers: { authorization: `Bearer ${good}` } }),
        connectEvent({ query: { token: forged } }),
        connectEvent(),
        connectEvent({ headers: { 'Sec-WebSocket-Protocol': `bearer, ${good}` }, methodArn: undefined }),
      ],
    );
    expect(out.code, out.stderr).to.equal(0);
    const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    const results = JSON.parse(line?.slice(7) ?? 'null') as Record<string, unknown>[];
    expect(results[0]).to.have.nested.property('result.policyDocument.Statement[0].Effect', 'Allow');
    expect(results[0]).to.have.nested.property('result.context.username', 'jane');
    expect(results.slice(1)).to.deep.equal([
      { error: 'Unauthorized', name: 'Error' },
      { error: 'Unauthorized', name: 'Error' },
      { error: 'Unauthorized', name: 'Error' },
    ]);
    expect(server.requests, 'one JWKS fetch for the whole run').to.equal(1);
    const reasons = out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { reason: string }).reason);
    expect(reasons).to.deep.equal(['jwks_refreshed', 'allow', 'bad_signature', 'missing_token', 'bad_method_arn']);
    expect(out.stdout).to.not.contain(good);
  });

  for (const [variable, env] of [
    ['USER_POOL_ID', { CLIENT_IDS: 'client1abc' }],
    ['CLIENT_IDS', { USER_POOL_ID: 'us-east-1_local0001' }],
    [
      'JWKS_URI',
      { USER_POOL_ID: 'us-east-1_local0001', CLIENT_IDS: 'c', JWKS_URI: 'http://keys.example.com/jwks.json' },
    ],
    ['TOKEN_SOURCES', { USER_POOL_ID: 'us-east-1_local0001', CLIENT_IDS: 'c', TOKEN_SOURCES: 'cookie' }],
  ] as const) {
    it(`fails the cold start naming ${variable} when it is bad`, async () => {
      const out = await runChild(bundle, env, []);
      expect(out.code).to.not.equal(0);
      expect(out.stderr).to.contain(`Invalid configuration: ${variable}`);
      expect(out.stdout).to.contain('"reason":"config_error"');
    });
  }
});
