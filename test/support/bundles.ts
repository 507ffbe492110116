// The built Lambda bundles as Lambda loads them: rebuilt first when missing or older than their sources (through
// local/bundles.ts, as `make local` does), then each run in a child Node process by run-bundle.cjs with a clean
// environment, its handler results and log records read back.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePath, bundlesStale, runBuild, type FunctionName } from '../../local/bundles.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(REPO_ROOT, 'dist');
const RUNNER = path.join(REPO_ROOT, 'test/integration/bundles/run-bundle.cjs');

/** Builds when a bundle is missing or older than its sources, so a test run alone tests current code. */
export async function ensureBundlesBuilt(): Promise<void> {
  if (bundlesStale(REPO_ROOT, DIST)) await runBuild(REPO_ROOT, DIST);
}

export interface BundleRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the handler returned, one per event. */
  results: unknown[];
  logs: Record<string, unknown>[];
}

/** Loads `dist/<name>/index.js` in a child process with `env` only, and hands it `events` one after another. */
export function runBundle(name: FunctionName, env: Record<string, string>, events: unknown[] = []): Promise<BundleRun> {
  return new Promise((resolve, reject) => {
    // A clean environment: nothing from this machine's AWS settings leaks into the child.
    const child = spawn(process.execPath, [RUNNER, bundlePath(DIST, name), JSON.stringify(events)], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = stdout.split('\n').filter((l) => l.length > 0);
      resolve({
        code,
        stdout,
        stderr,
        results: lines.filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7)) as unknown),
        logs: lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
      });
    });
  });
}
