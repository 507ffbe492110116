import { expect } from 'chai';
import { deleteWithinBudget, DISCONNECT_RETRY } from '../../../functions/disconnect/delete-within-budget.ts';

function budget(left: number[] | undefined) {
  const sleeps: number[] = [];
  return {
    sleeps,
    budget: {
      remainingMs: () => (left === undefined ? undefined : left.shift()),
      sleep: (ms: number) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    },
  };
}

function failing(times: number) {
  let calls = 0;
  const del = (): Promise<void> => {
    calls += 1;
    return calls <= times ? Promise.reject(new Error(`attempt ${calls}`)) : Promise.resolve();
  };
  return { del, calls: () => calls };
}

describe('connections: $disconnect DeleteItem within its time budget', () => {
  it('succeeds at once without pausing', async () => {
    const { del, calls } = failing(0);
    const { budget: b, sleeps } = budget([9000]);
    expect(await deleteWithinBudget(del, b)).to.deep.equal({ ok: true, rounds: 1 });
    expect(calls()).to.equal(1);
    expect(sleeps).to.deep.equal([]);
  });

  it('retries after a pause while there is time, and succeeds', async () => {
    const { del, calls } = failing(2);
    const { budget: b, sleeps } = budget([9000, 9000]);
    expect(await deleteWithinBudget(del, b)).to.deep.equal({ ok: true, rounds: 3 });
    expect(calls()).to.equal(3);
    expect(sleeps).to.deep.equal([DISCONNECT_RETRY.pauseMs, DISCONNECT_RETRY.pauseMs]);
  });

  it(`gives up after ${DISCONNECT_RETRY.maxRounds} rounds with the last error`, async () => {
    const { del } = failing(10);
    const outcome = await deleteWithinBudget(del, budget(undefined).budget);
    expect(outcome.ok).to.equal(false);
    expect(outcome.rounds).to.equal(DISCONNECT_RETRY.maxRounds);
    expect(String(!outcome.ok && outcome.error)).to.equal('Error: attempt 3');
  });

  it('starts no round it has no time to finish', async () => {
    const { del, calls } = failing(10);
    const outcome = await deleteWithinBudget(del, budget([DISCONNECT_RETRY.roundMs]).budget);
    expect(outcome).to.include({ ok: false, rounds: 1 });
    expect(calls()).to.equal(1);
  });
});
