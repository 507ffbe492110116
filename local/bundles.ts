// Finds the built Lambda bundles and rebuilds them when missing or older than their sources, so `make local`
// and the tests always run what `make build` would deploy.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const FUNCTION_NAMES = ['authorizer', 'connect', 'default', 'disconnect', 'refresh', 'control'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** The directories whose TypeScript ends up in the bundles: functions/ and shared/ (imported by them). */
const SOURCE_DIRS = ['functions', 'shared'];

/** True when a bundle is missing or older than any TypeScript file under functions/ or shared/. */
export function bundlesStale(root: string, distDir: string): boolean {
  const sources = Math.max(
    ...SOURCE_DIRS.map((dir) => (existsSync(path.join(root, dir)) ? newestMtime(path.join(root, dir)) : 0)),
  );
  return FUNCTION_NAMES.some((name) => {
    const bundle = path.join(distDir, name, 'index.js');
    return !existsSync(bundle) || statSync(bundle).mtimeMs < sources;
  });
}

export function runBuild(root: string, distDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(root, 'scripts', 'build.mjs')],
      { cwd: root, env: { ...process.env, DIST_DIR: path.relative(root, distDir) || 'dist' }, timeout: 120_000 },
      (err, _stdout, stderr) => {
        if (err) reject(new Error(`building the functions failed: ${stderr.trim().slice(0, 2000) || err.message}`));
        else resolve();
      },
    );
  });
}

export function bundlePath(distDir: string, name: string): string {
  return path.join(distDir, name, 'index.js');
}
