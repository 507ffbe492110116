import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createLogger,
  DEFAULT_NAMESPACE,
  describeError,
  loadLogConfig,
  type LoggerOptions,
} from '../../../functions/shared/log.ts';
import { invocationIds, remainingMs } from '../../../functions/shared/invocation.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// 2024-01-20T05:00:00.123Z
const NOW = 1_705_726_800_123;

function capture(options: Omit<LoggerOptions, 'sink'> = {}) {
  const lines: string[] = [];
  const log = createLogger('connect', {
    now: () => NOW,
    level: 'info',
    platformLevel: undefined,
    ...options,
    sink: (l) => lines.push(l),
  });
  const records = (): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, records };
}

describe('shared/log: records', () => {
  it('writes the contract record: timestamp (RFC 3339), level, fn, reason, both request ids, then fields', () => {
    const { log, lines } = capture();
    log.forRequest({ requestId: 'lambda-1', apiRequestId: 'api-1' })('info', 'connected', {
      connectionId: 'C1',
      tokenExp: 17,
      skipped: undefined,
    });
    expect(lines).to.deep.equal([
      '{"timestamp":"2024-01-20T05:00:00.123Z","level":"info","fn":"connect","reason":"connected","requestId":"lambda-1","apiRequestId":"api-1","connectionId":"C1","tokenExp":17}',
    ]);
  });

  it('is one line whatever the fields hold (newlines and quotes are escaped)', () => {
    const { log, lines } = capture();
    log('error', 'store_failed', { error: 'Bad\n"thing"\r\u2028' });
    expect(lines).to.have.length(1);
    expect(lines[0]).to.not.match(/[\n\r]/);
    expect(JSON.parse(lines[0] ?? '')).to.include({ error: 'Bad\n"thing"\r\u2028' });
  });

  it('never lets fields overwrite the core keys or the bound request ids', () => {
    const { log, records } = capture();
    log.forRequest({ requestId: 'lambda-1', apiRequestId: 'api-1' })('warn', 'x', {
      timestamp: 'forged',
      level: 'error',
      fn: 'other',
      reason: 'forged',
      requestId: 'forged',
      apiRequestId: 'forged',
      Function: 'forged',
    });
    expect(records()[0]).to.deep.equal({
      timestamp: '2024-01-20T05:00:00.123Z',
      level: 'warn',
      fn: 'connect',
      reason: 'x',
      requestId: 'lambda-1',
      apiRequestId: 'api-1',
    });
  });

  it('leaves an id out when it is unknown, and caps ids that are too long', () => {
    const { log, records } = capture();
    log.forRequest({ requestId: undefined, apiRequestId: 'a'.repeat(500) })('info', 'x');
    const record = records()[0] ?? {};
    expect(record).to.not.have.property('requestId');
    expect(String(record['apiRequestId'])).to.have.length(128);
  });

  it('a bound logger does not change the logger it came from', () => {
    const { log, records } = capture();
    log.forRequest({ requestId: 'r' });
    log('info', 'plain');
    expect(records()[0]).to.not.have.property('requestId');
  });

  it('skips records below its level and reports which levels are enabled', () => {
    const { log, records } = capture({ level: 'warn' });
    log('debug', 'a');
    log('info', 'b');
    log('warn', 'c');
    log('error', 'd');
    expect(records().map((r) => r['reason'])).to.deep.equal(['c', 'd']);
    expect(log.enabled('info')).to.equal(false);
    expect(log.enabled('error')).to.equal(true);
    expect(log.level).to.equal('warn');
    expect(log.fn).to.equal('connect');
  });

  it('keeps the old call form createLogger(fn, sink)', () => {
    const lines: string[] = [];
    const log = createLogger('issuer', (l) => lines.push(l));
    log('error', 'internal_error', { error: 'x' });
    expect(JSON.parse(lines[0] ?? '')).to.include({ level: 'error', fn: 'issuer', reason: 'internal_error' });
  });

  it('writes each record to stdout with one write call, newline included, never through console', () => {
    const script = `
      import { createLogger } from './functions/shared/log.ts';
      const writes = [];
      const original = process.stdout.write.bind(process.stdout);
      process.stdout.write = (chunk, ...rest) => { writes.push(String(chunk)); return true; };
      console.log = console.info = () => { throw new Error('console used'); };
      const log = createLogger('default', { level: 'info' });
      log.forRequest({ requestId: 'r1', apiRequestId: 'a1' })('info', 'echoed', { bytes: 3 });
      log.metric('info', 'echoed', { Echo: 1 });
      process.stdout.write = original;
      original(JSON.stringify(writes));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
      timeout: 30_000,
    });
    expect(run.status, run.stderr).to.equal(0);
    const writes = JSON.parse(run.stdout) as string[];
    expect(writes).to.have.length(2);
    for (const w of writes) {
      expect(w.endsWith('\n')).to.equal(true);
      expect(w.slice(0, -1)).to.not.include('\n');
      expect(JSON.parse(w)).to.have.property('fn', 'default');
    }
  });
});

describe('shared/log: EMF metrics', () => {
  it('makes the record itself the metric record, in the contract format', () => {
    const { log, records } = capture();
    log.forRequest({ requestId: 'r1', apiRequestId: 'a1' }).metric('info', 'connected', { Connect: 1 }, { sub: 's' });
    expect(records()[0]).to.deep.equal({
      timestamp: '2024-01-20T05:00:00.123Z',
      level: 'info',
      fn: 'connect',
      reason: 'connected',
      requestId: 'r1',
      apiRequestId: 'a1',
      sub: 's',
      _aws: {
        Timestamp: NOW,
        CloudWatchMetrics: [
          { Namespace: 'WebSocketAuth', Dimensions: [['Function']], Metrics: [{ Name: 'Connect', Unit: 'Count' }] },
        ],
      },
      Function: 'connect',
      Connect: 1,
    });
  });

  it('adds the [Function, Reason] dimension set with the reason code when asked', () => {
    const { log, records } = capture({ namespace: 'Custom/NS' });
    log.metric('info', 'token_expired', { Unauthorized: 1 }, {}, { byReason: true });
    const record = records()[0] ?? {};
    expect(record['_aws']).to.deep.equal({
      Timestamp: NOW,
      CloudWatchMetrics: [
        {
          Namespace: 'Custom/NS',
          Dimensions: [['Function'], ['Function', 'Reason']],
          Metrics: [{ Name: 'Unauthorized', Unit: 'Count' }],
        },
      ],
    });
    expect(record).to.include({ Function: 'connect', Reason: 'token_expired', Unauthorized: 1 });
  });

  it('never makes an arbitrary reason a dimension value', () => {
    const { log, records } = capture();
    log.metric('warn', 'User 1d7856e9 said "hi"', { Unauthorized: 1 }, {}, { byReason: true });
    expect(records()[0]).to.include({ Reason: 'other' });
  });

  it('counts several metrics on one record, and fields cannot overwrite a metric value', () => {
    const { log, records } = capture();
    log.metric('info', 'sent', { Push: 3, GoneCleanup: 1 }, { Push: 99, delivered: 3 });
    const record = records()[0] ?? {};
    expect(record).to.include({ Push: 3, GoneCleanup: 1, delivered: 3 });
    const aws = record['_aws'] as { CloudWatchMetrics: { Metrics: unknown[] }[] };
    expect(aws.CloudWatchMetrics[0]?.Metrics).to.deep.equal([
      { Name: 'Push', Unit: 'Count' },
      { Name: 'GoneCleanup', Unit: 'Count' },
    ]);
  });

  it('is never dropped by a log level: written, and raised to the level that the filters keep', () => {
    const { log, records } = capture({ level: 'error', platformLevel: 'warn' });
    log('info', 'connected');
    log.metric('info', 'connected', { Connect: 1 });
    log.metric('debug', 'echoed', { Echo: 1 });
    expect(records().map((r) => [r['reason'], r['level'], r['raisedFrom']])).to.deep.equal([
      ['connected', 'error', 'info'],
      ['echoed', 'error', 'debug'],
    ]);
  });

  it("is raised to Lambda's own filter level when that is higher than LOG_LEVEL (FATAL included)", () => {
    const { log, records } = capture({ level: 'debug', platformLevel: 'fatal' });
    log.metric('info', 'connected', { Connect: 1 });
    log.metric('error', 'store_failed', { InternalError: 1 });
    expect(records().map((r) => r['level'])).to.deep.equal(['fatal', 'fatal']);
  });

  it('keeps the level of a record already at or above the filters', () => {
    const { log, records } = capture({ level: 'info', platformLevel: 'info' });
    log.metric('error', 'store_failed', { InternalError: 1 });
    expect(records()[0]).to.include({ level: 'error' });
    expect(records()[0]).to.not.have.property('raisedFrom');
  });

  it('writes a plain record when no metric value is a finite number', () => {
    const { log, records } = capture();
    log.metric('info', 'x', { Push: Number.NaN });
    expect(records()[0]).to.not.have.property('_aws');
  });
});

describe('shared/log: configuration (LOG_LEVEL, AWS_LAMBDA_LOG_LEVEL, METRICS_NAMESPACE)', () => {
  it('defaults to info and WebSocketAuth', () => {
    expect(loadLogConfig({})).to.deep.equal({ level: 'info', namespace: DEFAULT_NAMESPACE, platformLevel: undefined });
  });

  it('takes LOG_LEVEL first, in any case', () => {
    expect(loadLogConfig({ LOG_LEVEL: 'WARN', AWS_LAMBDA_LOG_LEVEL: 'DEBUG' })).to.include({ level: 'warn' });
  });

  it("falls back to Lambda's AWS_LAMBDA_LOG_LEVEL (TRACE reads as debug, FATAL as error)", () => {
    expect(loadLogConfig({ AWS_LAMBDA_LOG_LEVEL: 'TRACE' })).to.include({ level: 'debug', platformLevel: 'debug' });
    expect(loadLogConfig({ AWS_LAMBDA_LOG_LEVEL: 'ERROR' })).to.include({ level: 'error', platformLevel: 'error' });
    expect(loadLogConfig({ AWS_LAMBDA_LOG_LEVEL: 'FATAL' })).to.include({ level: 'error', platformLevel: 'fatal' });
    expect(loadLogConfig({ AWS_LAMBDA_LOG_LEVEL: 'whatever' })).to.include({ level: 'info', platformLevel: undefined });
  });

  it('refuses a bad LOG_LEVEL, naming it', () => {
    expect(() => loadLogConfig({ LOG_LEVEL: 'verbose' })).to.throw(/LOG_LEVEL must be one of debug, info, warn, error/);
  });

  it('takes METRICS_NAMESPACE and refuses a malformed or reserved one, naming it', () => {
    expect(loadLogConfig({ METRICS_NAMESPACE: 'Team/WebSocket' })).to.include({ namespace: 'Team/WebSocket' });
    for (const bad of ['AWS/ApiGateway', 'a{b}', 'x'.repeat(256)]) {
      expect(() => loadLogConfig({ METRICS_NAMESPACE: bad }), bad).to.throw(/METRICS_NAMESPACE/);
    }
  });

  it('a logger created without options reads the environment leniently (a bad value never stops logging)', () => {
    const saved = { ...process.env };
    try {
      process.env['LOG_LEVEL'] = 'nonsense';
      process.env['METRICS_NAMESPACE'] = 'AWS/Nope';
      const lines: string[] = [];
      const log = createLogger('x', (l) => lines.push(l));
      log('info', 'ok');
      log.metric('info', 'm', { Echo: 1 });
      expect(lines).to.have.length(2);
      expect(JSON.parse(lines[1] ?? '')).to.have.nested.property(
        '_aws.CloudWatchMetrics[0].Namespace',
        'WebSocketAuth',
      );
    } finally {
      process.env = saved;
    }
  });
});

describe('shared/invocation', () => {
  it("reads Lambda's awsRequestId and API Gateway's requestId", () => {
    expect(invocationIds({ requestContext: { requestId: 'api-1' } }, { awsRequestId: 'lambda-1' })).to.deep.equal({
      requestId: 'lambda-1',
      apiRequestId: 'api-1',
    });
  });

  it('tolerates a missing or malformed context and event', () => {
    expect(invocationIds(undefined, undefined)).to.deep.equal({ requestId: undefined, apiRequestId: undefined });
    expect(invocationIds({ requestContext: { requestId: 5 } }, { awsRequestId: 7 })).to.deep.equal({
      requestId: undefined,
      apiRequestId: undefined,
    });
  });

  it('reads the remaining time when the context can tell', () => {
    expect(remainingMs({ getRemainingTimeInMillis: () => 1234 })).to.equal(1234);
    expect(remainingMs({})).to.equal(undefined);
    expect(remainingMs({ getRemainingTimeInMillis: () => 'soon' })).to.equal(undefined);
  });
});

describe('shared/log: describeError', () => {
  it('names the class and message, capped', () => {
    expect(describeError(new TypeError('bad'))).to.equal('TypeError: bad');
    expect(describeError('x'.repeat(1000))).to.have.length(300);
  });
});
