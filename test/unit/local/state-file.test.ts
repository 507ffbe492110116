// stack.json and other secret-holding files: owner-only modes, atomic replacement, tightened directories.
import { expect } from 'chai';
import { mkdtemp, mkdir, readFile, readdir, stat, chmod, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../../../local/state-file.ts';

describe('local/state-file', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'state-file-'));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('writes the file 0600 inside a new 0700 directory', async () => {
    const file = path.join(base, 'state', 'stack.json');
    await writePrivateFile(file, '{"a":1}\n');
    expect(await readFile(file, 'utf8')).to.equal('{"a":1}\n');
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).to.equal(0o700);
  });

  it('tightens an existing world-readable directory and replaces the file without leftovers', async () => {
    const dir = path.join(base, 'open');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await writePrivateFile(path.join(dir, 'stack.json'), 'one');
    await writePrivateFile(path.join(dir, 'stack.json'), 'two');
    expect((await stat(dir)).mode & 0o777).to.equal(0o700);
    expect(await readFile(path.join(dir, 'stack.json'), 'utf8')).to.equal('two');
    expect(await readdir(dir)).to.deep.equal(['stack.json']);
  });

  it('ensurePrivateDir is idempotent', async () => {
    await ensurePrivateDir(path.join(base, 'x'));
    await ensurePrivateDir(path.join(base, 'x'));
    expect((await stat(path.join(base, 'x'))).mode & 0o777).to.equal(0o700);
  });
});
