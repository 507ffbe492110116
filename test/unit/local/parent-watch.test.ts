// Reading make's blocked-signal mask from /proc/<pid>/status.
import { expect } from 'chai';
import { blocksFatalSignal } from '../../../local/parent-watch.ts';

const status = (mask: string) => `Name:\tmake\nState:\tS (sleeping)\nSigBlk:\t${mask}\nSigIgn:\t0000000000000000\n`;

describe('local/parent-watch blocksFatalSignal', () => {
  it('is false for make waiting normally (SIGCHLD blocked only)', () => {
    expect(blocksFatalSignal(status('0000000000010000'))).to.equal(false);
  });
  it('is true inside the handler of SIGINT, SIGHUP or SIGTERM', () => {
    expect(blocksFatalSignal(status('0000000000010002'))).to.equal(true);
    expect(blocksFatalSignal(status('0000000000000001'))).to.equal(true);
    expect(blocksFatalSignal(status('0000000000004000'))).to.equal(true);
  });
  it('is false when the status has no mask', () => {
    expect(blocksFatalSignal('Name:\tmake\n')).to.equal(false);
  });
});
