// A pool of Lambda-like execution environments for one function. Each worker thread is one container: its
// own process.env, its own module state kept between invocations, one invocation at a time. New workers start
// when every worker is busy, up to `maxConcurrency`; beyond that invocations wait in a bounded queue. A worker
// that crashes or exceeds the timeout is thrown away and its invocation answered as an error, as Lambda does.
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.cjs');

export interface FunctionSpec {
  name: string;
  /** Absolute path of the CommonJS bundle (dist/<name>/index.js). */
  bundlePath: string;
  handler?: string;
  /** The function's whole environment: nothing leaks in from the host process. */
  env: Record<string, string>;
  timeoutMs?: number;
  maxConcurrency?: number;
  memoryMb?: number;
  maxQueue?: number;
}

export type InvokeResult =
  | { ok: true; value: unknown; durationMs: number }
  | { ok: false; error: { type: string; message: string }; durationMs: number };

export type Invoke = (event: unknown) => Promise<InvokeResult>;

/** Receives each line a function writes to stdout/stderr. */
export type OutputSink = (fn: string, stream: 'stdout' | 'stderr', line: string) => void;

interface Pending {
  event: unknown;
  resolve: (result: InvokeResult) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  dead: boolean;
  /** Finish the current invocation, then stop (the environment changed). */
  retire?: boolean;
  current?: { id: string; started: number; resolve: (r: InvokeResult) => void; timer: NodeJS.Timeout };
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: string; ok: true; json: string }
  | { type: 'result'; id: string; ok: false; error: { type: string; message: string } };

function lineSplitter(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let rest = '';
  return (chunk) => {
    rest += chunk.toString();
    let index = rest.indexOf('\n');
    while (index >= 0) {
      const line = rest.slice(0, index).replace(/\r$/, '');
      rest = rest.slice(index + 1);
      if (line.length > 0) onLine(line);
      index = rest.indexOf('\n');
    }
    // A runaway line without newline must not grow without bound.
    if (rest.length > 256 * 1024) {
      onLine(rest);
      rest = '';
    }
  };
}

export class FunctionPool {
  readonly name: string;
  private spec: Required<Omit<FunctionSpec, 'handler'>> & { handler: string };
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private closed = false;
  /** Workers started over the pool's life (a cold start each). */
  coldStarts = 0;
  /** Highest number of workers alive at once. */
  peakWorkers = 0;

  constructor(
    spec: FunctionSpec,
    private readonly output: OutputSink = () => {},
  ) {
    this.name = spec.name;
    this.spec = {
      handler: spec.handler ?? 'handler',
      timeoutMs: spec.timeoutMs ?? 10_000,
      maxConcurrency: spec.maxConcurrency ?? 8,
      memoryMb: spec.memoryMb ?? 256,
      maxQueue: spec.maxQueue ?? 10_000,
      name: spec.name,
      bundlePath: spec.bundlePath,
      env: spec.env,
    };
  }

  get workerCount(): number {
    return this.slots.size;
  }

  readonly invoke: Invoke = (event) =>
    new Promise<InvokeResult>((resolve) => {
      if (this.closed) {
        resolve({
          ok: false,
          error: { type: 'ServiceException', message: `${this.name}: pool closed` },
          durationMs: 0,
        });
        return;
      }
      if (this.queue.length >= this.spec.maxQueue) {
        resolve({ ok: false, error: { type: 'TooManyRequestsException', message: 'Rate Exceeded.' }, durationMs: 0 });
        return;
      }
      this.queue.push({ event, resolve });
      this.dispatch();
    });

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => !s.busy && !s.dead);
      if (!slot) {
        if (this.slots.size >= this.spec.maxConcurrency) return;
        slot = this.startWorker();
      }
      const pending = this.queue.shift() as Pending;
      this.run(slot, pending);
    }
  }

  private startWorker(): Slot {
    const env: Record<string, string> = {
      AWS_LAMBDA_FUNCTION_NAME: this.spec.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.spec.memoryMb),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.spec.name}`,
      ...this.spec.env,
    };
    const worker = new Worker(workerScript, {
      workerData: {
        bundlePath: this.spec.bundlePath,
        handlerName: this.spec.handler,
        functionName: this.spec.name,
        memoryMb: this.spec.memoryMb,
      },
      env,
      // No TypeScript loader or inspector flags from the host: the bundle runs as Lambda would run it.
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: this.spec.memoryMb },
    });
    this.coldStarts += 1;
    let markReady: () => void = () => {};
    const slot: Slot = { worker, busy: false, dead: false, ready: new Promise<void>((r) => (markReady = r)) };
    this.slots.add(slot);
    this.peakWorkers = Math.max(this.peakWorkers, this.slots.size);
    worker.stdout.on(
      'data',
      lineSplitter((line) => this.output(this.spec.name, 'stdout', line)),
    );
    worker.stderr.on(
      'data',
      lineSplitter((line) => this.output(this.spec.name, 'stderr', line)),
    );
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'ready') {
        markReady();
        return;
      }
      const current = slot.current;
      if (!current || current.id !== msg.id) return;
      clearTimeout(current.timer);
      slot.current = undefined;
      slot.busy = false;
      if (slot.retire) this.retire(slot);
      const durationMs = Date.now() - current.started;
      if (msg.ok) {
        let value: unknown;
        try {
          value = JSON.parse(msg.json);
        } catch {
          value = null;
        }
        current.resolve({ ok: true, value, durationMs });
      } else {
        current.resolve({ ok: false, error: msg.error, durationMs });
      }
      this.dispatch();
    });
    const fail = (type: string, message: string): void => {
      if (slot.dead || this.closed) return;
      slot.dead = true;
      markReady();
      this.slots.delete(slot);
      const current = slot.current;
      if (current) {
        clearTimeout(current.timer);
        slot.current = undefined;
        current.resolve({ ok: false, error: { type, message }, durationMs: Date.now() - current.started });
      }
      this.output(
        this.spec.name,
        'stderr',
        JSON.stringify({ level: 'error', reason: 'worker_replaced', type, message: message.slice(0, 300) }),
      );
      // Invocations that were waiting get a fresh worker.
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (err) => fail('Runtime.UnhandledError', `${err.name}: ${err.message}`));
    worker.on('exit', (code) => fail('Runtime.ExitError', `worker exited with code ${code}`));
    return slot;
  }

  private run(slot: Slot, pending: Pending): void {
    slot.busy = true;
    const id = randomUUID();
    const started = Date.now();
    const timer = setTimeout(() => {
      // Like Lambda: the environment that timed out is discarded, the caller sees an error.
      const current = slot.current;
      if (!current || current.id !== id) return;
      slot.current = undefined;
      current.resolve({
        ok: false,
        error: {
          type: 'Sandbox.Timedout',
          message: `Task timed out after ${(this.spec.timeoutMs / 1000).toFixed(2)} seconds`,
        },
        durationMs: Date.now() - started,
      });
      slot.dead = true;
      this.slots.delete(slot);
      void slot.worker.terminate();
      this.dispatch();
    }, this.spec.timeoutMs);
    slot.current = { id, started, resolve: pending.resolve, timer };
    // The timeout covers the init phase of a cold worker too, as Lambda's does for on-demand init.
    void slot.ready.then(() => {
      if (slot.dead || slot.current?.id !== id) return;
      slot.worker.postMessage({
        type: 'invoke',
        id,
        event: pending.event,
        requestId: id,
        deadline: started + this.spec.timeoutMs,
      });
    });
  }

  /**
   * Replaces the function's environment, like UpdateFunctionConfiguration: idle workers are retired, busy
   * ones finish their invocation and then retire, and new workers start with the new environment.
   */
  setEnvironment(env: Record<string, string>): void {
    this.spec = { ...this.spec, env: { ...env } };
    for (const slot of this.slots) {
      slot.retire = true;
      if (!slot.busy) this.retire(slot);
    }
  }

  private retire(slot: Slot): void {
    slot.dead = true;
    this.slots.delete(slot);
    void slot.worker.terminate();
  }

  /** Stops every worker; invocations still queued or running are answered with an error. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.resolve({
        ok: false,
        error: { type: 'ServiceException', message: `${this.name}: pool closed` },
        durationMs: 0,
      });
    }
    await Promise.all(
      [...this.slots].map((slot) => {
        slot.dead = true;
        const current = slot.current;
        if (current) {
          clearTimeout(current.timer);
          slot.current = undefined;
          current.resolve({
            ok: false,
            error: { type: 'ServiceException', message: `${this.name}: pool closed` },
            durationMs: Date.now() - current.started,
          });
        }
        return slot.worker.terminate();
      }),
    );
    this.slots.clear();
  }
}
