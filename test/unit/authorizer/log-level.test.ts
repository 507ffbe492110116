import { expect } from 'chai';
import { createLogger } from '../../../functions/shared/log.ts';
import { withMinLevel } from '../../../functions/authorizer/log-level.ts';

describe('withMinLevel (LOG_LEVEL)', () => {
  it('drops lines below the minimum and passes the rest unchanged', () => {
    const lines: string[] = [];
    const log = withMinLevel(
      createLogger('authorizer', (l) => lines.push(l)),
      'warn',
    );
    log('debug', 'a');
    log('info', 'allow', { sub: 'u' });
    log('warn', 'jwks_fetch_failed', { failures: 1 });
    log('error', 'internal_error');
    expect(lines.map((l) => (JSON.parse(l) as { reason: string }).reason)).to.deep.equal([
      'jwks_fetch_failed',
      'internal_error',
    ]);
    expect(JSON.parse(lines[0] ?? '{}')).to.deep.equal({
      level: 'warn',
      fn: 'authorizer',
      reason: 'jwks_fetch_failed',
      failures: 1,
    });
  });

  it('passes everything at debug', () => {
    const lines: string[] = [];
    const log = withMinLevel(
      createLogger('authorizer', (l) => lines.push(l)),
      'debug',
    );
    for (const level of ['debug', 'info', 'warn', 'error'] as const) log(level, level);
    expect(lines).to.have.length(4);
  });
});
