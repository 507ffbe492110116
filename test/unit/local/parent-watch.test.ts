// Reading make's blocked-signal mask from /proc/<pid>/status.
import { expect } from 'chai';
import { blockedFatalSignal } from '../../../local/parent-watch.ts';

const status = (mask: string) => `Name:\tmake\nState:\tS (sleeping)\nSigBlk:\t${mask}\nSigIgn:\t0000000000000000\n`;

describe('local/parent-watch blockedFatalSignal', () => {
  it('is undefined for make waiting normally (SIGCHLD blocked only)', () => {
    expect(blockedFatalSignal(status('0000000000010000'))).to.equal(undefined);
  });
  it('names the signal inside the handler of SIGINT, SIGHUP or SIGTERM', () => {
    expect(blockedFatalSignal(status('0000000000010002'))).to.equal('SIGINT');
    expect(blockedFatalSignal(status('0000000000000001'))).to.equal('SIGHUP');
    expect(blockedFatalSignal(status('0000000000004000'))).to.equal('SIGTERM');
  });
  it('is undefined when the status has no mask', () => {
    expect(blockedFatalSignal('Name:\tmake\n')).to.equal(undefined);
  });
});
