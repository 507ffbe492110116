import { webcrypto } from 'node:crypto';
import { expect } from 'chai';
import { base64url, challengeS256, createPkce, randomToken, VERIFIER_PATTERN } from '../../../shared/pkce.ts';
import { fixedCrypto } from '../web/helpers.ts';

const crypto = webcrypto as unknown as Parameters<typeof challengeS256>[0];

describe('shared: PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await challengeS256(crypto, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).to.equal(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('base64url-encodes without padding or + and /', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).to.equal('-__-');
    expect(base64url(new Uint8Array([1]))).to.equal('AQ');
  });

  it('makes a 43-character random token from 32 random bytes', () => {
    const fake = fixedCrypto();
    const token = randomToken(fake);
    expect(token).to.have.length(43);
    expect(token).to.equal(base64url(new Uint8Array(32).fill(1)));
    expect(fake.calls).to.equal(1);
  });

  it('creates a verifier that meets RFC 7636 and its matching challenge', async () => {
    const pair = await createPkce(crypto);
    expect(pair.verifier).to.match(VERIFIER_PATTERN);
    expect(pair.challenge).to.equal(await challengeS256(crypto, pair.verifier));
    const other = await createPkce(crypto);
    expect(other.verifier, 'two sign-ins must not share a verifier').to.not.equal(pair.verifier);
  });

  it('refuses to hash a verifier outside RFC 7636 (too short, bad characters)', async () => {
    for (const bad of ['short', 'a'.repeat(129), `${'a'.repeat(42)}+`]) {
      let thrown: unknown;
      try {
        await challengeS256(crypto, bad);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, bad).to.be.instanceOf(Error);
    }
  });
});
