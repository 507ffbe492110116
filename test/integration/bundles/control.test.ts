// The built control bundle (dist/control/index.js) loaded as Lambda loads it: a valid environment loads and
// answers a bad payload without touching any service; a bad one fails the cold start naming the variable.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RUNNER = path.join(root, 'test/integration/bundles/run-bundle.cjs');
const BUNDLE = path.join(root, 'dist/control/index.js');

const VALID = {
  CONNECTIONS_TABLE: 'conns',
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:9/dev',
};

function run(env: Record<string, string>, events: unknown[] = []) {
  const child = spawnSync(process.execPath, [RUNNER, BUNDLE, JSON.stringify(events)], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const lines = child.stdout.split('\n').filter((l) => l.length > 0);
  return {
    code: child.status,
    stderr: child.stderr,
    results: lines.filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7)) as unknown),
    logs: lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('control: built bundle', function () {
  this.timeout(90_000);
  before(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {
      cwd: root,
      stdio: 'pipe',
      timeout: 60_000,
    });
  });

  it('loads with a valid environment and answers a bad payload with invalid_request', () => {
    const result = run(VALID, [{ op: 'explode' }]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.results).to.deep.equal([
      { error: 'invalid_request', message: 'op must be one of send, disconnect, list, revoke' },
    ]);
    expect(result.logs[0]).to.include({ level: 'warn', fn: 'control', reason: 'invalid_request' });
    expect(result.logs[0]?.['timestamp']).to.be.a('string');
  });

  const bad: [string, Record<string, string>][] = [
    ['CONNECTIONS_TABLE', { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://x/dev' }],
    ['AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI', { CONNECTIONS_TABLE: 'conns', AWS_REGION: 'eu-west-1' }],
    ['REVOCATIONS_TABLE', { ...VALID, REVOCATIONS_TABLE: '!' }],
    ['LOG_LEVEL', { ...VALID, LOG_LEVEL: 'loud' }],
    ['METRICS_NAMESPACE', { ...VALID, METRICS_NAMESPACE: 'AWS/Lambda' }],
  ];
  for (const [variable, env] of bad) {
    it(`fails its cold start naming ${variable}`, () => {
      const result = run(env);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain(`Invalid configuration: ${variable}`);
      expect(result.logs[0]).to.include({ level: 'error', fn: 'control', reason: 'config_error' });
    });
  }
});
