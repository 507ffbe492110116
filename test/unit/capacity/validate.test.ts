import { expect } from 'chai';
import { predict, type Calibration, type ValidateOptions } from '../../../scripts/capacity/validate.ts';
import { DEFAULT_BACKOFF } from '../../../web/src/backoff.ts';

const options: ValidateOptions = { clients: 500, workers: 2, seed: 1, backoff: DEFAULT_BACKOFF, calibrationRounds: 30 };
const calibration: Calibration = {
  bareHandshakeMs: 2,
  fullHandshakeMs: 12,
  coldHandshakeMs: 700,
  burstPerSecond: 100,
  burst: 100,
};

describe('capacity: the local-stack prediction of --validate', () => {
  it('models the local stack: nothing throttled, every client reconnects, workers capped per function', () => {
    const r = predict(options, calibration);
    expect(r.connected).to.equal(500);
    expect(r.throttledByQuota + r.throttledByLambda + r.throttledByDynamoDb).to.equal(0);
    expect(r.coldStarts.authorizer).to.be.at.most(2);
    expect(r.peakConcurrency).to.be.at.most(6);
  });

  it('the burst throughput sets the pace: 100 handshakes/s need about 5 s for 500 clients', () => {
    const r = predict(options, calibration);
    expect(r.t99Ms).to.be.within(4500, 6500);
    const faster = predict(options, { ...calibration, burstPerSecond: 400 });
    expect(faster.t99Ms ?? Infinity).to.be.lessThan(r.t99Ms ?? 0);
  });
});
