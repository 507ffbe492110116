// A required scope the local client can never grant makes every handshake fail: the stack says so at start,
// in one warning line, and still starts.
import { expect } from 'chai';
import { startTestStack } from '../helpers/stack-helpers.ts';

describe('local stack start warning for required scopes never granted', function () {
  this.timeout(60000);

  it('warns once, naming the scope, when REQUIRED_SCOPES asks for one the local client cannot grant', async () => {
    const lines: string[] = [];
    const stack = await startTestStack({
      env: { REQUIRED_SCOPES: 'openid chat/write' },
      logLevel: 'warn',
      logSink: (line) => lines.push(line),
    });
    await stack.stop();
    const warnings = lines
      .map((l) => JSON.parse(l) as { level: string; reason: string; message?: string })
      .filter((r) => r.reason === 'required_scopes_never_granted');
    expect(warnings).to.have.length(1);
    expect(warnings[0]?.level).to.equal('warn');
    expect(warnings[0]?.message).to.contain('chat/write').and.not.contain('openid,');
  });

  it('says nothing when every required scope can be granted', async () => {
    const lines: string[] = [];
    const stack = await startTestStack({
      env: { REQUIRED_SCOPES: 'openid email' },
      logLevel: 'warn',
      logSink: (line) => lines.push(line),
    });
    await stack.stop();
    expect(lines.filter((l) => l.includes('required_scopes_never_granted'))).to.deep.equal([]);
  });
});
