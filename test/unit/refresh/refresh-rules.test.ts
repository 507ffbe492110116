import { expect } from 'chai';
import {
  planRefresh,
  refreshedTtl,
  REFRESH_LIMIT,
  type StoredConnection,
} from '../../../functions/refresh/refresh-rules.ts';

const NOW_MS = 1_705_726_800_000;
const NOW_S = NOW_MS / 1000;
const stored: StoredConnection = {
  sub: 'user-1',
  tokenExp: NOW_S + 300,
  ttl: NOW_S - 100 + 7260,
  connectedAt: (NOW_S - 100) * 1000,
  refreshCount: undefined,
  refreshWindowStart: undefined,
};

describe('refresh: rules', () => {
  it('plans the first refresh: new expiry, a new window counting 1', () => {
    expect(planRefresh(stored, { sub: 'user-1', exp: NOW_S + 3600 }, NOW_MS)).to.deep.equal({
      ok: true,
      update: { tokenExp: NOW_S + 3600, ttl: stored.ttl, refreshCount: 1, refreshWindowStart: NOW_S },
    });
  });

  it("refuses another user's token (sub_mismatch)", () => {
    expect(planRefresh(stored, { sub: 'user-2', exp: NOW_S + 3600 }, NOW_MS)).to.deep.equal({
      ok: false,
      reason: 'sub_mismatch',
    });
  });

  it('refuses a token that does not expire later than the stored expiry (not_newer)', () => {
    for (const exp of [stored.tokenExp, stored.tokenExp - 1]) {
      expect(planRefresh(stored, { sub: 'user-1', exp }, NOW_MS)).to.deep.equal({
        ok: false,
        reason: 'not_newer',
      });
    }
  });

  it(`allows ${REFRESH_LIMIT} refreshes in a minute and refuses the next (rate_limited)`, () => {
    const inWindow = { ...stored, refreshWindowStart: NOW_S - 30, refreshCount: REFRESH_LIMIT - 1 };
    const plan = planRefresh(inWindow, { sub: 'user-1', exp: NOW_S + 3600 }, NOW_MS);
    expect(plan).to.deep.include({ ok: true });
    if (plan.ok) {
      expect(plan.update.refreshCount).to.equal(REFRESH_LIMIT);
      expect(plan.update.refreshWindowStart).to.equal(NOW_S - 30);
    }
    const full = { ...inWindow, refreshCount: REFRESH_LIMIT };
    expect(planRefresh(full, { sub: 'user-1', exp: NOW_S + 3600 }, NOW_MS)).to.deep.equal({
      ok: false,
      reason: 'rate_limited',
    });
  });

  it('starts a new window once the minute has passed', () => {
    const old = { ...stored, refreshWindowStart: NOW_S - 60, refreshCount: REFRESH_LIMIT };
    const plan = planRefresh(old, { sub: 'user-1', exp: NOW_S + 3600 }, NOW_MS);
    expect(plan).to.deep.equal({
      ok: true,
      update: { tokenExp: NOW_S + 3600, ttl: stored.ttl, refreshCount: 1, refreshWindowStart: NOW_S },
    });
  });

  it('counts a window started slightly in the future (another clock) as the current one', () => {
    const ahead = { ...stored, refreshWindowStart: NOW_S + 1, refreshCount: REFRESH_LIMIT };
    expect(planRefresh(ahead, { sub: 'user-1', exp: NOW_S + 3600 }, NOW_MS)).to.deep.equal({
      ok: false,
      reason: 'rate_limited',
    });
  });

  it('moves the TTL to the latest moment the connection can be open plus a margin, never earlier', () => {
    const short = { ttl: NOW_S + 60, connectedAt: NOW_MS };
    expect(refreshedTtl(short, NOW_S + 600)).to.equal(NOW_S + 660);
    // Never past API Gateway's 2-hour limit (plus the margin)...
    expect(refreshedTtl(short, NOW_S + 86_400)).to.equal(NOW_S + 7200 + 60);
    // ...and never shorter than the TTL already stored.
    expect(refreshedTtl({ ttl: NOW_S + 9000, connectedAt: NOW_MS }, NOW_S + 600)).to.equal(NOW_S + 9000);
  });
});
