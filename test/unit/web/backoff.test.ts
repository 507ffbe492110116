import { expect } from 'chai';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  DEFAULT_PLANNED_RECONNECT,
  plannedReconnectDelay,
} from '../../../web/src/backoff.ts';

describe('web: reconnect back-off', () => {
  it('doubles from 1 s up to the 60 s cap, between half and all of each step, for 12 attempts', () => {
    const attempts = Array.from({ length: 12 }, (_, i) => i + 1);
    const low = attempts.map((n) => backoffDelay(n, () => 0));
    const high = attempts.map((n) => backoffDelay(n, () => 0.999999));
    expect(low).to.deep.equal([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000, 30000]);
    expect(high).to.deep.equal([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000, 60000, 60000]);
  });

  it('retries for at least 3.5 minutes before giving up (a 100k storm at 500/s takes 200 s)', () => {
    let least = 0;
    for (let n = 1; n <= DEFAULT_BACKOFF.maxAttempts; n += 1) least += backoffDelay(n, () => 0) ?? 0;
    expect(least).to.equal(211_500);
  });

  it('gives up after maxAttempts and refuses nonsense attempt numbers', () => {
    expect(backoffDelay(DEFAULT_BACKOFF.maxAttempts + 1, () => 0.5)).to.equal(undefined);
    for (const n of [0, -1, 1.5, Number.NaN])
      expect(
        backoffDelay(n, () => 0.5),
        String(n),
      ).to.equal(undefined);
  });

  it('clamps an out-of-range random value', () => {
    expect(backoffDelay(1, () => 7)).to.equal(1000);
    expect(backoffDelay(1, () => -3)).to.equal(500);
  });

  it('follows custom options', () => {
    expect(backoffDelay(3, () => 1, { baseMs: 100, maxMs: 250, maxAttempts: 3 })).to.equal(250);
    expect(backoffDelay(4, () => 1, { baseMs: 100, maxMs: 250, maxAttempts: 3 })).to.equal(undefined);
  });
});

describe('web: planned reconnect before the 2-hour cut', () => {
  it('opens the replacement in the last 10 minutes, at least 30 s before the cut', () => {
    expect(plannedReconnectDelay(() => 0)).to.equal(110 * 60 * 1000);
    expect(plannedReconnectDelay(() => 1)).to.equal(120 * 60 * 1000 - 30 * 1000);
    expect(plannedReconnectDelay(() => 0.5)).to.equal(Math.round(110 * 60 * 1000 + (9.5 * 60 * 1000) / 2));
  });

  it('clamps the random value and follows custom options', () => {
    expect(plannedReconnectDelay(() => -1)).to.equal(plannedReconnectDelay(() => 0));
    expect(plannedReconnectDelay(() => 9)).to.equal(plannedReconnectDelay(() => 1));
    expect(plannedReconnectDelay(() => 0.5, { maxConnectionMs: 1000, windowMs: 400, marginMs: 100 })).to.equal(750);
  });

  it('never schedules before the connection opened, even with a window longer than the connection', () => {
    expect(plannedReconnectDelay(() => 0, { maxConnectionMs: 1000, windowMs: 5000, marginMs: 100 })).to.equal(0);
    expect(
      plannedReconnectDelay(() => 1, {
        ...DEFAULT_PLANNED_RECONNECT,
        marginMs: DEFAULT_PLANNED_RECONNECT.windowMs * 2,
      }),
    ).to.equal(DEFAULT_PLANNED_RECONNECT.maxConnectionMs - DEFAULT_PLANNED_RECONNECT.windowMs);
  });
});
