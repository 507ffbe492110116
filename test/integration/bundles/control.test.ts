// The built control bundle (dist/control/index.js) loaded as Lambda loads it: a valid environment loads and
// answers a bad payload without touching any service; a bad one fails the cold start naming the variable.
import { expect } from 'chai';
import { ensureBundlesBuilt, runBundle, type BundleRun } from '../../support/bundles.ts';

const VALID = {
  CONNECTIONS_TABLE: 'conns',
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:9/dev',
};

const run = (env: Record<string, string>, events: unknown[] = []): Promise<BundleRun> =>
  runBundle('control', env, events);

describe('control: built bundle', function () {
  this.timeout(90_000);
  before(() => ensureBundlesBuilt());

  it('loads with a valid environment and answers a bad payload with invalid_request', async () => {
    const result = await run(VALID, [{ op: 'explode' }]);
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
    it(`fails its cold start naming ${variable}`, async () => {
      const result = await run(env);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain(`Invalid configuration: ${variable}`);
      expect(result.logs[0]).to.include({ level: 'error', fn: 'control', reason: 'config_error' });
    });
  }
});
