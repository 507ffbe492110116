// The build's promises: byte-for-byte reproducible zips holding only index.js at their root, the source map
// kept out of the zip, and nothing left behind by staging.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { createZip } from '../../../scripts/zip.mjs';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../..');
const FUNCTIONS = ['authorizer', 'connect', 'control', 'default', 'disconnect', 'refresh'];

interface ZipEntry {
  name: string;
  dosTime: number;
  dosDate: number;
  data: Buffer;
}

/** Reads a zip through its central directory, inflating each entry (enough for the archives we write). */
function readZip(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end, 'end of central directory record').to.be.greaterThan(-1);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    expect(zip.readUInt32LE(at), 'central directory signature').to.equal(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const compressedSize = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.push({
      name,
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
      data: inflateRawSync(zip.subarray(dataStart, dataStart + compressedSize)),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function buildInto(dir: string): void {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {
    cwd: root,
    env: { ...process.env, DIST_DIR: dir },
    stdio: 'pipe',
  });
}

describe('build: scripts/build.mjs and scripts/zip.mjs', function () {
  this.timeout(60_000);
  let first: string;
  let second: string;

  before(() => {
    first = mkdtempSync(path.join(tmpdir(), 'build-a-'));
    second = mkdtempSync(path.join(tmpdir(), 'build-b-'));
    buildInto(first);
    buildInto(second);
    // A rebuild over an existing dist replaces it in place.
    buildInto(second);
  });

  after(() => {
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  });

  it('gives byte-identical zips for two builds of the same source', () => {
    for (const name of FUNCTIONS) {
      const a = readFileSync(path.join(first, `${name}.zip`));
      const b = readFileSync(path.join(second, `${name}.zip`));
      expect(a.equals(b), `${name}.zip differs between two builds`).to.equal(true);
    }
  });

  it('puts exactly index.js at the root of each zip, equal to dist/<name>/index.js, dated 1980-01-01 00:00', () => {
    for (const name of FUNCTIONS) {
      const entries = readZip(readFileSync(path.join(first, `${name}.zip`)));
      expect(
        entries.map((e) => e.name),
        `${name}.zip entries`,
      ).to.deep.equal(['index.js']);
      const [entry] = entries;
      expect(entry!.data.equals(readFileSync(path.join(first, name, 'index.js'))), `${name}.zip index.js`).to.equal(
        true,
      );
      expect([entry!.dosDate, entry!.dosTime], `${name}.zip timestamp`).to.deep.equal([(1 << 5) | 1, 0]);
    }
  });

  it('keeps the source map beside the bundle and out of it (no sourceMappingURL shipped)', () => {
    for (const name of FUNCTIONS) {
      expect(readdirSync(path.join(first, name)), `${name} output files`).to.include('index.js.map');
      expect(readFileSync(path.join(first, name, 'index.js'), 'utf8'), `${name} bundle`).not.to.include(
        'sourceMappingURL',
      );
    }
  });

  it('leaves no staging files and marks dist as CommonJS', () => {
    const names = readdirSync(second).sort();
    expect(names).to.deep.equal([...FUNCTIONS, ...FUNCTIONS.map((n) => `${n}.zip`), 'package.json'].sort());
    expect(JSON.parse(readFileSync(path.join(second, 'package.json'), 'utf8'))).to.deep.equal({ type: 'commonjs' });
  });

  it('createZip sorts entries by name and round-trips their bytes', () => {
    const zip = createZip([
      { name: 'b.txt', data: Buffer.from('second') },
      { name: 'a.txt', data: Buffer.from('first'.repeat(100)) },
    ]);
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).to.deep.equal(['a.txt', 'b.txt']);
    expect(entries[0]!.data.toString()).to.equal('first'.repeat(100));
    expect(entries[1]!.data.toString()).to.equal('second');
  });
});
