// The Lambda worker pool on its own: environment isolation, warm module state, callback handlers, init
// errors, the concurrency cap with queueing, log forwarding and environment updates.
import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FunctionPool, type InvokeResult } from '../../../local/lambda-runner/pool.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lambdas');
const probe = path.join(fixtures, 'env-probe.cjs');

function value(result: InvokeResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`invocation failed: ${result.error.type} ${result.error.message}`);
  return result.value as Record<string, unknown>;
}

describe('FunctionPool', function () {
  this.timeout(20000);
  const pools: FunctionPool[] = [];
  const pool = (
    spec: Partial<ConstructorParameters<typeof FunctionPool>[0]>,
    sink?: ConstructorParameters<typeof FunctionPool>[1],
  ) => {
    const p = new FunctionPool({ name: 'probe', bundlePath: probe, env: { PROBE: 'one' }, ...spec }, sink);
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('gives the function only its own environment (nothing from the host) and a Lambda context', async () => {
    const out = value(await pool({}).invoke({}));
    expect(out).to.include({ probe: 'one', path: null, functionName: 'probe', envName: 'probe' });
    expect(out.remaining).to.be.above(0);
  });

  it('keeps module state between invocations of a warm worker', async () => {
    const p = pool({ maxConcurrency: 1 });
    const first = value(await p.invoke({}));
    const second = value(await p.invoke({}));
    expect([first.calls, second.calls]).to.deep.equal([1, 2]);
    expect(second.threadId).to.equal(first.threadId);
  });

  it('runs concurrent invocations on separate workers up to the cap, then queues', async () => {
    const p = pool({ maxConcurrency: 2 });
    const started = Date.now();
    const results = await Promise.all([1, 2, 3].map(() => p.invoke({ waitMs: 400 })));
    const threads = new Set(results.map((r) => value(r).threadId));
    expect(threads.size).to.equal(2);
    expect(p.peakWorkers).to.equal(2);
    expect(Date.now() - started, 'the third waited for a free worker').to.be.at.least(780);
  });

  it('answers callback errors as errors with the string as message (callback("Unauthorized"))', async () => {
    const result = await pool({}).invoke({ fail: 'Unauthorized' });
    expect(result).to.deep.include({ ok: false, error: { type: 'Error', message: 'Unauthorized' } });
  });

  it('answers every invocation of a bundle that fails to load with Runtime.ImportModuleError', async () => {
    const result = await pool({ bundlePath: path.join(fixtures, 'missing.cjs') }).invoke({});
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.error.type).to.equal('Runtime.ImportModuleError');
  });

  it('forwards each stdout line with the function name', async () => {
    const lines: string[] = [];
    const p = pool({}, (fn, stream, line) => lines.push(`${fn}/${stream}: ${line}`));
    await p.invoke({ log: 'hello from the handler' });
    await new Promise((r) => setTimeout(r, 100));
    expect(lines).to.include('probe/stdout: {"level":"info","reason":"cold_start"}');
    expect(lines).to.include('probe/stdout: hello from the handler');
  });

  it('starts new workers with a new environment after setEnvironment, like a configuration update', async () => {
    const p = pool({ maxConcurrency: 1 });
    expect(value(await p.invoke({})).probe).to.equal('one');
    p.setEnvironment({ PROBE: 'two' });
    const after = value(await p.invoke({}));
    expect(after).to.include({ probe: 'two', calls: 1 });
  });

  it('answers an invocation still running at close with an error at once, not after its timeout', async () => {
    const p = pool({ timeoutMs: 10_000 });
    const running = p.invoke({ waitMs: 8000 });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await p.close();
    const result = await Promise.race([running, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 1000))]);
    expect(result).to.not.equal('hung');
    expect((result as InvokeResult).ok).to.equal(false);
    expect(Date.now() - started).to.be.below(1000);
  });

  it('answers invocations after close with an error instead of hanging', async () => {
    const p = pool({});
    await p.close();
    expect((await p.invoke({})).ok).to.equal(false);
  });
});
