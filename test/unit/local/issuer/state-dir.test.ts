import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateDir } from '../../../../local/issuer/state-dir.ts';

describe('issuer state directory', function () {
  let root: string;
  beforeEach(function () {
    root = mkdtempSync(join(tmpdir(), 'issuer-state-'));
  });
  afterEach(function () {
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a 0700 directory and writes 0600 files that read back', async function () {
    const dir = await StateDir.open(join(root, 'a', 'b'));
    await dir.write('keys.json', { keys: [1, 2] });
    expect(statSync(dir.path).mode & 0o777).to.equal(0o700);
    expect(statSync(join(dir.path, 'keys.json')).mode & 0o777).to.equal(0o600);
    expect(dir.read('keys.json')).to.deep.equal({ keys: [1, 2] });
    expect(dir.read('users.json')).to.equal(undefined);
    expect(readdirSync(dir.path)).to.deep.equal(['keys.json']); // no temporary file left behind
  });

  it('tightens an existing directory and file', async function () {
    const path = join(root, 'loose');
    const dir = await StateDir.open(path);
    chmodSync(path, 0o755);
    writeFileSync(join(path, 'users.json'), '{}', { mode: 0o644 });
    (await StateDir.open(path)).read('users.json');
    expect(statSync(path).mode & 0o777).to.equal(0o700);
    expect(statSync(join(dir.path, 'users.json')).mode & 0o777).to.equal(0o600);
  });

  it('names a corrupt file and how to start fresh', async function () {
    const dir = await StateDir.open(root);
    writeFileSync(join(root, 'users.json'), '{"half');
    expect(() => dir.read('users.json')).to.throw(/users\.json is not valid JSON.*make local-reset/);
  });

  it('refuses a path that is a file', async function () {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    const error = await StateDir.open(file).then(
      () => 'opened',
      (err: Error) => err.message,
    );
    expect(error).to.match(/cannot be used|not a directory/);
  });
});
