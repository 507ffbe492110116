import { expect } from 'chai';
import { forEachBounded } from '../../../functions/shared/bounded.ts';

const tick = (ms = 1): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('shared/bounded: forEachBounded', () => {
  it('runs every element once, never more than `limit` at a time', async () => {
    let inFlight = 0;
    let max = 0;
    const seen: number[] = [];
    await forEachBounded(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (n) => {
        inFlight += 1;
        max = Math.max(max, inFlight);
        await tick();
        seen.push(n);
        inFlight -= 1;
      },
    );
    expect(seen.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(max).to.equal(4);
  });

  it('pulls from an async sequence only as workers free up', async () => {
    let pulled = 0;
    let maxAhead = 0;
    let done = 0;
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 20; i += 1) {
        await tick(0);
        pulled += 1;
        maxAhead = Math.max(maxAhead, pulled - done);
        yield i;
      }
    }
    await forEachBounded(source(), 3, async () => {
      await tick();
      done += 1;
    });
    expect(done).to.equal(20);
    expect(maxAhead).to.be.at.most(3);
  });

  it('stops and rethrows when the sequence fails', async () => {
    async function* source(): AsyncGenerator<number> {
      await tick(0);
      yield 1;
      throw new Error('page 2 failed');
    }
    const seen: number[] = [];
    let thrown: unknown;
    await forEachBounded(source(), 2, async (n) => {
      seen.push(n);
      await tick();
    }).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.equal('Error: page 2 failed');
    expect(seen).to.deep.equal([1]);
  });

  it('rethrows the first task failure', async () => {
    let thrown: unknown;
    await forEachBounded([1, 2, 3], 1, async (n) => {
      if (n === 2) throw new Error('task 2');
      await tick();
    }).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.equal('Error: task 2');
  });

  it('handles an empty sequence and refuses a limit below 1', async () => {
    await forEachBounded([], 3, () => Promise.reject(new Error('never')));
    let thrown: unknown;
    await forEachBounded([1], 0, () => Promise.resolve()).catch((err: unknown) => (thrown = err));
    expect(thrown).to.be.instanceOf(RangeError);
  });
});
