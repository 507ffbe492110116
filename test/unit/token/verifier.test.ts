import { expect } from 'chai';
import sinon from 'sinon';
import { createTokenVerifier, type VerifyOutcome } from '../../../functions/shared/token/verifier.ts';
import type { RevocationReader } from '../../../functions/shared/token/revocations.ts';
import type { CognitoCheck } from '../../../functions/shared/token/cognito-check.ts';
import { accessClaims, NOW_S, rsaKey, signRs256 } from '../authorizer/helpers.ts';
import { heldKeys, ISSUER, verifierConfig } from './helpers.ts';

const key = rsaKey('k1');
const NOW_MS = NOW_S * 1000;
const token = (overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string =>
  signRs256({ alg: 'RS256', kid: 'k1', ...header }, accessClaims(ISSUER, overrides), key.privateKey);

const revocations = (answer: Awaited<ReturnType<RevocationReader['revokedAt']>>) => ({
  revokedAt: sinon.stub().resolves(answer),
});

async function outcome(value: VerifyOutcome | Promise<VerifyOutcome>): Promise<VerifyOutcome> {
  return value;
}

describe('token: verifier', () => {
  it('is synchronous on the warm path when no revocation check is configured', () => {
    const verifier = createTokenVerifier({
      config: verifierConfig(),
      keys: heldKeys({ k1: key.publicKey }),
      now: () => NOW_MS,
    });
    const result = verifier.verify(token());
    expect(result).not.to.be.instanceOf(Promise);
    expect(result).to.deep.include({ ok: true });
  });

  it('asks the JWKS source for a kid it does not hold, and refuses an unknown one', async () => {
    const keys = heldKeys({});
    const verifier = createTokenVerifier({ config: verifierConfig(), keys, now: () => NOW_MS });
    expect(await outcome(verifier.verify(token()))).to.deep.include({ ok: false, reason: 'unknown_kid' });
    expect(keys.resolves).to.equal(1);
  });

  it('refuses an oversized token before decoding it', () => {
    const verifier = createTokenVerifier({
      config: verifierConfig({ maxTokenLength: 100 }),
      keys: heldKeys({ k1: key.publicKey }),
      now: () => NOW_MS,
    });
    expect(verifier.verify(token())).to.deep.include({ ok: false, reason: 'token_too_large' });
  });

  it('marks scope and group failures as forbidden (403), others not', async () => {
    const keys = heldKeys({ k1: key.publicKey });
    const scoped = createTokenVerifier({
      config: verifierConfig({ requiredScopes: ['admin'] }),
      keys,
      now: () => NOW_MS,
    });
    expect(await outcome(scoped.verify(token()))).to.deep.include({
      ok: false,
      reason: 'missing_scope',
      forbidden: true,
    });
    const plain = createTokenVerifier({ config: verifierConfig(), keys, now: () => NOW_MS });
    expect(await outcome(plain.verify(token({ exp: NOW_S - 100 })))).to.deep.include({
      ok: false,
      reason: 'expired',
      forbidden: false,
    });
  });

  describe('revocation table', () => {
    const build = (reader: RevocationReader) =>
      createTokenVerifier({
        config: verifierConfig({ revocationsTable: 'revocations-local' }),
        keys: heldKeys({ k1: key.publicKey }),
        now: () => NOW_MS,
        revocations: reader,
      });

    it('refuses (revoked) a token whose auth_time is not after revokedAt, same second included', async () => {
      for (const revokedAt of [NOW_S - 100, NOW_S - 50]) {
        const reader = revocations({ ok: true, revokedAt });
        const result = await outcome(build(reader).verify(token({ auth_time: NOW_S - 100 })));
        expect(result, String(revokedAt)).to.deep.include({ ok: false, reason: 'revoked', forbidden: false });
        sinon.assert.calledOnceWithExactly(reader.revokedAt, '1d7856e9-7bd7-45fe-beb1-77798de950bc');
      }
    });

    it('accepts a fresh sign-in after the revocation, and a user never revoked', async () => {
      expect(
        await outcome(
          build(revocations({ ok: true, revokedAt: NOW_S - 101 })).verify(token({ auth_time: NOW_S - 100 })),
        ),
      ).to.deep.include({ ok: true });
      expect(await outcome(build(revocations({ ok: true, revokedAt: undefined })).verify(token()))).to.deep.include({
        ok: true,
      });
    });

    it('fails closed (revocation_unavailable) when the read fails', async () => {
      const result = await outcome(build(revocations({ ok: false, error: 'timeout' })).verify(token()));
      expect(result).to.deep.include({ ok: false, reason: 'revocation_unavailable' });
    });

    it('makes no call when the token is refused anyway', async () => {
      const reader = revocations({ ok: true, revokedAt: undefined });
      await outcome(build(reader).verify(token({ exp: NOW_S - 100 })));
      sinon.assert.notCalled(reader.revokedAt);
    });
  });

  describe('Cognito online check', () => {
    const build = (check: CognitoCheck, reader?: RevocationReader) =>
      createTokenVerifier({
        config: verifierConfig(),
        keys: heldKeys({ k1: key.publicKey }),
        now: () => NOW_MS,
        online: check,
        ...(reader ? { revocations: reader } : {}),
      });

    it('passes the token, its scopes and exp, and refuses what the issuer refuses', async () => {
      const check = { check: sinon.stub().resolves({ ok: false, reason: 'revoked_at_issuer', via: 'user_info' }) };
      const t = token({ scope: 'openid email' });
      expect(await outcome(build(check).verify(t))).to.deep.include({ ok: false, reason: 'revoked_at_issuer' });
      sinon.assert.calledOnceWithExactly(check.check, t, ['openid', 'email'], NOW_S + 3600);
    });

    it('accepts what the issuer accepts; the table still wins when it says revoked', async () => {
      const check = { check: sinon.stub().resolves({ ok: true, via: 'get_user', cached: false }) };
      expect(await outcome(build(check).verify(token()))).to.deep.include({ ok: true });
      const revoked = revocations({ ok: true, revokedAt: NOW_S });
      expect(await outcome(build(check, revoked).verify(token()))).to.deep.include({ ok: false, reason: 'revoked' });
    });
  });
});
