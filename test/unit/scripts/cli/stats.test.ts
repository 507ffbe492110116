// Percentiles and bounded parallelism for the CLI (scripts/cli/stats.ts).
import { expect } from 'chai';
import { mapLimit, percentile } from '../../../../scripts/cli/stats.ts';

describe('CLI stats', () => {
  it('computes nearest-rank percentiles and bounds parallelism', async () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([
      percentile(samples, 50),
      percentile(samples, 95),
      percentile(samples, 99),
      percentile(samples, 100),
    ]).to.deep.equal([50, 95, 99, 100]);
    expect(Number.isNaN(percentile([], 50))).to.equal(true);
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return n * 2;
    });
    expect(out).to.deep.equal([2, 4, 6, 8, 10, 12]);
    expect(peak).to.equal(2);
  });
});
