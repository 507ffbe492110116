#!/usr/bin/env node
// Bundles each Lambda in functions/<name>/index.ts into dist/<name>/index.js (CommonJS, handler `index.handler`)
// and dist/<name>.zip with index.js at its root. Source maps stay beside the bundle, out of the zip, unless
// SOURCEMAP=inline is set (then they are inlined into index.js and so shipped).
import { build } from 'esbuild';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createZip } from './zip.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const functionsDir = path.join(root, 'functions');
const distDir = path.resolve(root, process.env.DIST_DIR ?? 'dist');
const inlineMap = process.env.SOURCEMAP === 'inline';

async function functionNames() {
  const entries = await readdir(functionsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(functionsDir, e.name, 'index.ts')))
    .map((e) => e.name)
    .sort();
}

// Each function is built into a staging directory and renamed into place, so a local stack or test that
// loads dist/<name>/index.js while a rebuild runs sees the old bundle or the new one, never a half-written one.
async function buildOne(name) {
  const outDir = path.join(distDir, name);
  const stageDir = path.join(distDir, `.${name}.staging-${process.pid}`);
  await rm(stageDir, { recursive: true, force: true });
  await mkdir(stageDir, { recursive: true });
  const stagedFile = path.join(stageDir, 'index.js');
  await build({
    entryPoints: [path.join(functionsDir, name, 'index.ts')],
    outfile: stagedFile,
    bundle: true,
    platform: 'node',
    // Node 20 on this machine, nodejs22.x when deployed: target the older one.
    target: 'node20',
    format: 'cjs',
    minify: true,
    treeShaking: true,
    sourcemap: inlineMap ? 'inline' : 'external',
    sourcesContent: false,
    legalComments: 'external',
    // Prefer ESM entry points of the SDK so tree-shaking can drop unused commands.
    mainFields: ['module', 'main'],
    absWorkingDir: root,
    logLevel: 'warning',
  });
  const code = await readFile(stagedFile);
  const zip = createZip([{ name: 'index.js', data: code }]);
  const zipPath = path.join(distDir, `${name}.zip`);
  await writeFile(`${zipPath}.staging-${process.pid}`, zip);
  const oldDir = path.join(distDir, `.${name}.old-${process.pid}`);
  await rm(oldDir, { recursive: true, force: true });
  if (existsSync(outDir)) await rename(outDir, oldDir);
  await rename(stageDir, outDir);
  await rename(`${zipPath}.staging-${process.pid}`, zipPath);
  await rm(oldDir, { recursive: true, force: true });
  const { size } = await stat(zipPath);
  return { name, bundleBytes: code.length, zipBytes: size };
}

const names = await functionNames();
if (names.length === 0) {
  console.error('build: no functions/<name>/index.ts found');
  process.exit(1);
}
await mkdir(distDir, { recursive: true });
// The bundles are CommonJS; the repository's package.json says "type": "module". This marker keeps
// Node (the local stack, tests, the benchmark) loading dist/*/index.js as Lambda does.
await writeFile(path.join(distDir, 'package.json'), '{ "type": "commonjs" }\n');
const results = await Promise.all(names.map(buildOne));
for (const r of results) {
  console.log(
    `built dist/${r.name}.zip  bundle ${(r.bundleBytes / 1024).toFixed(1)} KiB  zip ${(r.zipBytes / 1024).toFixed(1)} KiB`,
  );
}
