// The stack log (local/stack-log.ts).
import { expect } from 'chai';
import { createStackLog } from '../../../local/stack-log.ts';

describe('stack log', () => {
  it('filters by level and tags forwarded JSON lines with their component', () => {
    const lines: string[] = [];
    const log = createStackLog('warn', (l) => lines.push(l));
    log.emit('info', 'gateway', 'connected', {});
    log.emit('warn', 'gateway', 'slow', { ms: 5 });
    log.forward('default', '{"level":"info","reason":"echoed"}');
    log.forward('default', '{"level":"error","reason":"store_failed"}');
    log.forward('default', 'plain text');
    expect(
      lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((r) => [r.component, r.reason]),
    ).to.deep.equal([
      ['gateway', 'slow'],
      ['default', 'store_failed'],
    ]);
  });
  it('wraps non-JSON output in a JSON line', () => {
    const lines: string[] = [];
    createStackLog('info', (l) => lines.push(l)).forward('connect', 'hello "world"');
    expect(JSON.parse(lines[0] as string)).to.include({
      component: 'connect',
      reason: 'output',
      text: 'hello "world"',
    });
  });
});
