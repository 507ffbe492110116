import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** Runs the rehearsal's entry point with a PATH that holds node and nothing else (so no moto_server). */
function rehearseWithoutMoto(ci: string | undefined): { status: number | null; lines: string[] } {
  const env: NodeJS.ProcessEnv = { PATH: path.dirname(process.execPath), HOME: process.env.HOME };
  if (ci !== undefined) env.CI = ci;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rehearse/main.ts'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, lines: run.stdout.trim().split('\n') };
}

describe('make tf-rehearse without moto_server', function () {
  this.timeout(90_000);

  it('skips with one line outside CI, so make test still works', () => {
    const { status, lines } = rehearseWithoutMoto(undefined);
    expect(status).to.equal(0);
    expect(lines).to.deep.equal([
      'rehearsal: skipped, moto_server not found on PATH (pip install "moto[server]" to run it)',
    ]);
  });

  it('fails in CI and says how to get it', () => {
    const { status, lines } = rehearseWithoutMoto('true');
    expect(status).to.equal(1);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include('pip install "moto[server]"');
  });
});
