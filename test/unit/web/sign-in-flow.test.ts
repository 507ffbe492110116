import { expect } from 'chai';
import {
  checkCallback,
  PENDING_KEY,
  PENDING_MAX_AGE_MS,
  sameString,
  savePending,
  takePending,
  withoutOAuthParams,
  type PendingSignIn,
} from '../../../web/src/sign-in-flow.ts';
import { MemoryStorage } from './helpers.ts';

const NOW = 1_700_000_000_000;
const STATE = 's'.repeat(43);
const PENDING: PendingSignIn = { state: STATE, verifier: 'v'.repeat(43), createdAt: NOW - 1000 };

function params(query: string): URLSearchParams {
  return new URLSearchParams(query);
}

describe('web: sign-in round trip', () => {
  describe('pending sign-in storage', () => {
    it('saves, then takes exactly once', () => {
      const storage = new MemoryStorage();
      savePending(storage, PENDING);
      expect(takePending(storage)).to.deep.equal(PENDING);
      expect(takePending(storage), 'a second return must find nothing').to.equal(undefined);
      expect(storage.map.size).to.equal(0);
    });

    it('treats corrupt or mistyped stored values as absent, and still removes them', () => {
      for (const raw of [
        'not json',
        'null',
        '42',
        '{"state":1,"verifier":"v","createdAt":1}',
        '{"state":"s","verifier":"v"}',
      ]) {
        const storage = new MemoryStorage();
        storage.setItem(PENDING_KEY, raw);
        expect(takePending(storage), raw).to.equal(undefined);
        expect(storage.map.has(PENDING_KEY), raw).to.equal(false);
      }
    });
  });

  describe('checkCallback', () => {
    it('is "none" for an ordinary page load', () => {
      expect(checkCallback(params(''), PENDING, NOW)).to.equal(undefined);
      expect(checkCallback(params('foo=bar'), undefined, NOW)).to.equal(undefined);
    });

    it('returns the code and the verifier when the state matches', () => {
      expect(checkCallback(params(`code=abc-123&state=${STATE}`), PENDING, NOW)).to.deep.equal({
        ok: true,
        code: 'abc-123',
        verifier: PENDING.verifier,
      });
    });

    it('refuses a wrong state', () => {
      const outcome = checkCallback(params(`code=abc&state=${'t'.repeat(43)}`), PENDING, NOW);
      expect(outcome).to.include({ ok: false, reason: 'state_mismatch' });
    });

    it('refuses a missing, empty or repeated state', () => {
      for (const query of ['code=abc', 'code=abc&state=', `code=abc&state=${STATE}&state=${STATE}`]) {
        expect(checkCallback(params(query), PENDING, NOW), query).to.include({
          ok: false,
          reason: 'state_mismatch',
        });
      }
    });

    it('refuses a return this tab never started (no pending sign-in), even with some state', () => {
      expect(checkCallback(params(`code=abc&state=${STATE}`), undefined, NOW)).to.include({
        ok: false,
        reason: 'no_pending_sign_in',
      });
    });

    it('refuses a pending sign-in that is too old', () => {
      const old = { ...PENDING, createdAt: NOW - PENDING_MAX_AGE_MS - 1 };
      expect(checkCallback(params(`code=abc&state=${STATE}`), old, NOW)).to.include({
        ok: false,
        reason: 'pending_expired',
      });
    });

    it('reports a hosted UI error only after the state matched, and never as a code', () => {
      const outcome = checkCallback(
        params(`error=access_denied&error_description=User+cancelled&state=${STATE}`),
        PENDING,
        NOW,
      );
      expect(outcome).to.include({ ok: false, reason: 'hosted_ui_error' });
      expect((outcome as { message: string }).message).to.contain('access_denied: User cancelled');
      expect(checkCallback(params('error=access_denied&state=forged'), PENDING, NOW)).to.include({
        reason: 'state_mismatch',
      });
    });

    it('refuses a repeated, empty or malformed code', () => {
      for (const query of [
        `code=a&code=b&state=${STATE}`,
        `code=&state=${STATE}`,
        `code=a%20b&state=${STATE}`,
        `code=${'x'.repeat(2049)}&state=${STATE}`,
      ]) {
        expect(checkCallback(params(query), PENDING, NOW), query).to.include({ ok: false, reason: 'bad_code' });
      }
    });
  });

  it('sameString compares by value and length', () => {
    expect(sameString('abc', 'abc')).to.equal(true);
    expect(sameString('abc', 'abd')).to.equal(false);
    expect(sameString('abc', 'abcd')).to.equal(false);
    expect(sameString('', '')).to.equal(true);
  });

  it('withoutOAuthParams strips the OAuth response and keeps everything else', () => {
    expect(withoutOAuthParams('http://localhost:3000/?code=abc&state=xyz')).to.equal('/');
    expect(
      withoutOAuthParams('http://localhost:3000/app?debug=1&code=abc&state=xyz&error=e&error_description=d#frag'),
    ).to.equal('/app?debug=1');
  });
});
