import { expect } from 'chai';
import { createDecisionLog, type DecisionLogOptions } from '../../../functions/authorizer/decision-log.ts';
import { createLogger } from '../../../functions/shared/log.ts';

const MS = 1_750_000_000_123;

function capture(overrides: Partial<DecisionLogOptions> = {}) {
  const writes: string[] = [];
  const log = createDecisionLog({
    namespace: 'WebSocketAuth',
    level: 'info',
    now: () => MS,
    write: (line) => writes.push(line),
    ...overrides,
  });
  const records = (): Record<string, unknown>[] => writes.map((w) => JSON.parse(w) as Record<string, unknown>);
  return { log, writes, records };
}

describe('authorizer: decision log line', () => {
  it('writes one record per decision, in one write ending in one newline', () => {
    const c = capture();
    c.log('allow', 'allow', { requestId: 'lambda-1', apiRequestId: 'api-1', source: 'header', sub: 'user-1' });
    expect(c.writes).to.have.length(1);
    expect(c.writes[0]?.endsWith('}\n')).to.equal(true);
    expect(c.writes[0]?.indexOf('\n')).to.equal((c.writes[0]?.length ?? 0) - 1);
  });

  it('carries the team record (timestamp, level, fn, reason, both ids) and the EMF Allow count', () => {
    const c = capture();
    c.log('allow', 'allow', { requestId: 'lambda-1', apiRequestId: 'api-1', source: 'header', sub: 'user-1' });
    expect(c.records()[0]).to.deep.equal({
      timestamp: new Date(MS).toISOString(),
      level: 'info',
      fn: 'authorizer',
      reason: 'allow',
      requestId: 'lambda-1',
      apiRequestId: 'api-1',
      decision: 'allow',
      source: 'header',
      sub: 'user-1',
      _aws: {
        Timestamp: MS,
        CloudWatchMetrics: [
          { Namespace: 'WebSocketAuth', Dimensions: [['Function']], Metrics: [{ Name: 'Allow', Unit: 'Count' }] },
        ],
      },
      Function: 'authorizer',
      Allow: 1,
    });
  });

  it('is the same record the shared logger writes for the same metric (one contract, two writers)', () => {
    const shared: string[] = [];
    const logger = createLogger('authorizer', {
      sink: (l) => shared.push(l),
      level: 'info',
      namespace: 'NS',
      now: () => MS,
    });
    logger
      .forRequest({ requestId: 'lambda-1', apiRequestId: 'api-1' })
      .metric(
        'info',
        'bad_signature',
        { Unauthorized: 1 },
        { decision: 'unauthorized', source: 'query' },
        { byReason: true },
      );
    const c = capture({ namespace: 'NS' });
    c.log('unauthorized', 'bad_signature', { requestId: 'lambda-1', apiRequestId: 'api-1', source: 'query' });
    expect(c.records()[0]).to.deep.equal(JSON.parse(shared[0] ?? ''));
  });

  it('counts Unauthorized by reason, and a reason that is not a code as "other"', () => {
    const c = capture();
    c.log('unauthorized', 'revoked', { sub: 'u', detail: { revokedAt: 5, claim: 'exp' } });
    c.log('unauthorized', 'Weird Reason!', {});
    const [first, second] = c.records();
    expect(first?.['Reason']).to.equal('revoked');
    expect(first?.['revokedAt']).to.equal(5);
    expect(first?.['claim']).to.equal('exp');
    expect(
      (first?.['_aws'] as { CloudWatchMetrics: { Dimensions: unknown }[] }).CloudWatchMetrics[0]?.Dimensions,
    ).to.deep.equal([['Function'], ['Function', 'Reason']]);
    expect(second?.['Reason']).to.equal('other');
    expect(second?.['Unauthorized']).to.equal(1);
  });

  it('counts Deny', () => {
    const c = capture();
    c.log('deny', 'group_not_allowed', { sub: 'u' });
    expect(c.records()[0]).to.deep.include({ decision: 'deny', reason: 'group_not_allowed', Deny: 1 });
  });

  it('is never dropped by a level and is raised to the level in front of it (ours or Lambda)', () => {
    const ours = capture({ level: 'error' });
    ours.log('allow', 'allow', {});
    expect(ours.records()[0]?.['level']).to.equal('error');
    const lambda = capture({ level: 'warn', platformLevel: 'fatal' });
    lambda.log('deny', 'missing_scope', {});
    expect(lambda.records()[0]?.['level']).to.equal('fatal');
  });

  it('escapes hostile values and cannot be made to overwrite core keys', () => {
    const c = capture();
    c.log('unauthorized', 'bad_signature', {
      sub: 'a"b\\c\n\u2028',
      apiRequestId: 'x'.repeat(500),
      detail: { reason: 'allow', decision: 'allow', 'bad key': 'x', kid: 'k"1' },
    });
    const [r] = c.records();
    expect(r?.['sub']).to.equal('a"b\\c\n\u2028');
    expect(String(r?.['apiRequestId'])).to.have.length(128);
    expect(r?.['reason']).to.equal('bad_signature');
    expect(r?.['decision']).to.equal('unauthorized');
    expect(r?.['kid']).to.equal('k"1');
    expect(r).not.to.have.property('bad key');
  });
});
