import { expect } from 'chai';
import { KeyObject } from 'node:crypto';
import { keysFromJwks, JwksFormatError, modulusBits } from '../../../functions/shared/token/jwks-keys.ts';
import { ecJwk, rsaKey } from '../authorizer/helpers.ts';

describe('keysFromJwks', () => {
  const good = rsaKey('good');

  it('converts an RSA-2048 signing key into a public KeyObject under its kid', () => {
    const { keys, skipped } = keysFromJwks({ keys: [good.jwk] });
    const key = keys.get('good');
    expect(key).to.be.instanceOf(KeyObject);
    expect(key?.type).to.equal('public');
    expect(key?.export({ format: 'jwk' })).to.deep.equal(good.publicKey.export({ format: 'jwk' }));
    expect(skipped).to.deep.equal([]);
  });

  it('accepts a key without use and alg', () => {
    const { kty, n, e, kid } = good.jwk;
    expect(keysFromJwks({ keys: [{ kty, n, e, kid }] }).keys.has('good')).to.equal(true);
  });

  it('skips every key that is not an RSA signing key of 2048 bits or more, saying why', () => {
    const small = rsaKey('small', 1024);
    const doc = {
      keys: [
        good.jwk,
        small.jwk,
        ecJwk('ec'),
        { ...rsaKey('enc').jwk, use: 'enc' },
        { ...rsaKey('ps').jwk, alg: 'PS256' },
        { ...good.jwk, kid: 'broken', n: 'not+base64' },
        { ...good.jwk, kid: 42 },
        'a string',
      ],
    };
    const { keys, skipped } = keysFromJwks(doc);
    expect([...keys.keys()]).to.deep.equal(['good']);
    expect(skipped).to.deep.equal([
      { kid: 'small', reason: 'key_too_small' },
      { kid: 'ec', reason: 'not_rsa' },
      { kid: 'enc', reason: 'not_signing_key' },
      { kid: 'ps', reason: 'bad_alg' },
      { kid: 'broken', reason: 'bad_material' },
      { kid: '#6', reason: 'bad_kid' },
      { kid: '#7', reason: 'not_an_object' },
    ]);
  });

  it('trusts neither key when two different keys share a kid', () => {
    const other = rsaKey('good');
    const { keys, skipped } = keysFromJwks({ keys: [good.jwk, other.jwk, rsaKey('x').jwk] });
    expect([...keys.keys()]).to.deep.equal(['x']);
    expect(skipped).to.deep.equal([{ kid: 'good', reason: 'duplicate_kid' }]);
  });

  it('never builds a private key even when the JWK carries private members', () => {
    const priv = good.privateKey.export({ format: 'jwk' });
    const { keys } = keysFromJwks({ keys: [{ ...priv, kid: 'p', alg: 'RS256' }] });
    expect(keys.get('p')?.type).to.equal('public');
  });

  it('throws JwksFormatError for a document without a keys array', () => {
    expect(() => keysFromJwks({ keys: {} })).to.throw(JwksFormatError);
    expect(() => keysFromJwks({})).to.throw(JwksFormatError);
  });

  it('computes modulus bit lengths ignoring leading zero bytes', () => {
    expect(modulusBits(Buffer.from([0, 0x80, 0]).toString('base64url'))).to.equal(16);
    expect(modulusBits(Buffer.from([0x01, 0xff]).toString('base64url'))).to.equal(9);
    expect(modulusBits(String(good.jwk['n']))).to.equal(2048);
    expect(modulusBits('')).to.equal(0);
  });
});
