// moto_server for one rehearsal: found on PATH, started on a free loopback port, stopped (with its process
// group) at the end. Every wait is bounded so a stuck emulator cannot hang `make test`.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../local/ports.ts';

export interface RunningMoto {
  endpoint: string;
  stop(): Promise<void>;
}

/** The moto_server executable on PATH, or undefined. */
export function findOnPath(command: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What to do without moto_server: fail in CI (the rehearsal is part of the suite there), else skip. */
export function missingMotoOutcome(env: NodeJS.ProcessEnv): { fail: boolean; message: string } {
  const inCi = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return inCi
    ? {
        fail: true,
        message: 'rehearsal: moto_server not found on PATH (CI is set, so this fails): pip install "moto[server]"',
      }
    : {
        fail: false,
        message: 'rehearsal: skipped, moto_server not found on PATH (pip install "moto[server]" to run it)',
      };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} while starting`);
    try {
      const res = await fetch(`${endpoint}/moto-api/reset-auth`, { signal: AbortSignal.timeout(2000) });
      // Any HTTP answer means the server listens; the path itself does not matter.
      await res.body?.cancel();
      return;
    } catch {
      await delay(200);
    }
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The server runs in its own process group (detached), so a wrapper script's child goes too.
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startMoto(options: {
  executable: string;
  host?: string;
  startTimeoutMs?: number;
  onOutput?: (line: string) => void;
}): Promise<RunningMoto> {
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const child = spawn(options.executable, ['-H', host, '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The CloudWatch role's managed policy (AmazonAPIGatewayPushToCloudWatchLogs) must exist for the attachment.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  const forward = (chunk: Buffer): void => {
    if (!options.onOutput) return;
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') options.onOutput(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const endpoint = `http://${host}:${port}`;
  const stop = async (): Promise<void> => {
    signalGroup(child, 'SIGTERM');
    if (!(await exited(child, 5000))) {
      signalGroup(child, 'SIGKILL');
      await exited(child, 5000);
    }
  };
  try {
    await waitReady(endpoint, child, options.startTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
}
