// Keys, users and token state survive a restart when the issuer has a state directory, as a real pool's do: a
// token issued before the restart, on the same port, still verifies against the JWKS and still works at userInfo.
import { createPublicKey, verify as rsaVerify } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  CLIENT_ID,
  DEMO,
  decodeJwt,
  obtainCode,
  postToken,
  redeem,
  startTestIssuer,
  type TestIssuer,
} from './helpers.ts';

interface Jwk {
  kid: string;
  n: string;
  e: string;
}

async function jwks(issuer: TestIssuer): Promise<Jwk[]> {
  return ((await (await fetch(issuer.jwksUri)).json()) as { keys: Jwk[] }).keys;
}

function verifiesWith(token: string, keys: Jwk[]): boolean {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const { kid } = decodeJwt(token).header;
  const jwk = keys.find((key) => key.kid === kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  return rsaVerify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
}

describe('issuer: state directory (restart)', function () {
  let root: string;
  const running: TestIssuer[] = [];
  beforeEach(function () {
    root = mkdtempSync(join(tmpdir(), 'issuer-restart-'));
  });
  afterEach(async function () {
    await Promise.all(running.splice(0).map((issuer) => issuer.close()));
    rmSync(root, { recursive: true, force: true });
  });

  async function start(stateDir: string, port = 0, poolId?: string): Promise<TestIssuer> {
    const issuer = await startTestIssuer({ stateDir, port, ...(poolId ? { poolId } : {}) });
    running.push(issuer);
    return issuer;
  }

  it('keeps keys, users, live tokens, refresh tokens and revocations across a restart on the same port', async function () {
    const stateDir = join(root, 'state');
    const first = await start(stateDir);
    const keysBefore = await jwks(first);
    const kept = await redeem(first, await obtainCode(first));
    const revoked = await redeem(first, await obtainCode(first));
    first.addUser({ username: 'erin', password: DEMO.password });
    const revoke = await fetch(first.revokeUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: String(revoked.body.refresh_token), client_id: CLIENT_ID }).toString(),
    });
    expect(revoke.status).to.equal(200);
    const port = first.port;
    await first.close();
    running.splice(0);
    // Let fetch's keep-alive pool see the old server's sockets close before the same port is reused.
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(statSync(stateDir).mode & 0o777).to.equal(0o700);
    for (const file of readdirSync(stateDir)) expect(statSync(join(stateDir, file)).mode & 0o777, file).to.equal(0o600);
    expect(readdirSync(stateDir).sort()).to.deep.equal(['grants.json', 'keys.json', 'users.json']);

    const second = await start(stateDir, port);
    const keysAfter = await jwks(second);
    expect(keysAfter.map((k) => k.kid)).to.deep.equal(keysBefore.map((k) => k.kid));
    const access = String(kept.body.access_token);
    expect(verifiesWith(access, keysAfter), 'old token verifies with the new JWKS').to.equal(true);
    expect(decodeJwt(access).payload.iss).to.equal(second.issuer);
    const info = await fetch(second.userInfoUrl, { headers: { Authorization: `Bearer ${access}` } });
    expect(info.status).to.equal(200);
    const refreshed = await postToken(second, {
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      refresh_token: String(kept.body.refresh_token),
    });
    expect(refreshed.response.status).to.equal(200);
    const gone = await fetch(second.userInfoUrl, {
      headers: { Authorization: `Bearer ${String(revoked.body.access_token)}` },
    });
    expect(gone.status, 'a revocation survives the restart').to.equal(401);
    const erin = await obtainCode(second, {}, { username: 'erin', password: DEMO.password });
    expect((await redeem(second, erin)).response.status).to.equal(200);
  });

  it('does not store refresh tokens or passwords in the clear', async function () {
    const stateDir = join(root, 'state');
    const issuer = await start(stateDir);
    const { body } = await redeem(issuer, await obtainCode(issuer));
    await issuer.close();
    running.splice(0);
    const { readFileSync } = await import('node:fs');
    const all = readdirSync(stateDir)
      .map((file) => readFileSync(join(stateDir, file), 'utf8'))
      .join('\n');
    expect(all).to.not.contain(String(body.refresh_token));
    expect(all).to.not.contain(DEMO.password);
  });

  it('keeps the in-memory behaviour without a directory: new keys on every start', async function () {
    const a = await startTestIssuer();
    const b = await startTestIssuer();
    running.push(a, b);
    expect((await jwks(a))[0]?.kid).to.not.equal((await jwks(b))[0]?.kid);
  });

  it('refuses a corrupt file and another pool’s directory with a message naming the file', async function () {
    const stateDir = join(root, 'state');
    const issuer = await start(stateDir);
    await issuer.close();
    running.splice(0);
    const error = await start(stateDir, 0, 'us-east-1_other1').then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(error).to.match(/keys\.json belongs to pool us-east-1_local0001, not us-east-1_other1/);
    writeFileSync(join(stateDir, 'users.json'), '{"version":1,', { mode: 0o600 });
    const corrupt = await start(stateDir).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(corrupt).to.match(/users\.json is not valid JSON/);
    writeFileSync(join(stateDir, 'users.json'), '{"version":1,"poolId":"us-east-1_local0001","data":[{"username":1}]}');
    const bad = await start(stateDir).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(bad).to.match(/users\.json: .*entry 0 is not a user/);
  });
});
