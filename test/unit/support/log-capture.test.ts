import { expect } from 'chai';
import { captureLog } from '../../support/log-capture.ts';
import { thrownBy } from '../../support/failures.ts';

describe('test support: log capture', () => {
  it('keeps lines in order and reads them back parsed, with their reasons', () => {
    const capture = captureLog();
    capture.sink('{"level":"info","reason":"connected"}');
    capture.sink('{"level":"warn","reason":"gone","connectionId":"a="}');
    expect(capture.lines).to.have.length(2);
    expect(capture.records()[1]).to.deep.equal({ level: 'warn', reason: 'gone', connectionId: 'a=' });
    expect(capture.reasons()).to.deep.equal(['connected', 'gone']);
  });

  it('fails the reading test when a line is not a JSON object', () => {
    const capture = captureLog();
    capture.sink('[1]');
    expect(thrownBy(() => capture.records()).message).to.contain('log line 1 is not a JSON object');
    expect(thrownBy(() => captureLogOf(['not json']).records())).to.be.instanceOf(SyntaxError);
  });
});

function captureLogOf(lines: string[]): ReturnType<typeof captureLog> {
  const capture = captureLog();
  for (const line of lines) capture.sink(line);
  return capture;
}
