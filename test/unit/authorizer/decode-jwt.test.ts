import { expect } from 'chai';
import { decodeJwt, own, parseJsonObject } from '../../../functions/authorizer/decode-jwt.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64url');
const tok = (header: string, payload: string, sig = 'c2ln'): string => `${b64(header)}.${b64(payload)}.${sig}`;

describe('decodeJwt', () => {
  it('decodes a well-formed token into header and payload objects', () => {
    const r = decodeJwt(tok('{"alg":"RS256","kid":"k1"}', '{"sub":"u1","exp":5}'));
    expect(r).to.deep.equal({ ok: true, jwt: { header: { alg: 'RS256', kid: 'k1' }, payload: { sub: 'u1', exp: 5 } } });
  });

  const malformed: [string, string][] = [
    ['two parts', `${b64('{}')}.${b64('{}')}`],
    ['four parts', `${tok('{}', '{}')}.x`],
    ['an empty header part', `.${b64('{}')}.sig`],
    ['an empty payload part', `${b64('{"alg":"RS256"}')}..sig`],
    ['padding characters', `${b64('{}')}=.${b64('{}')}.sig`],
    ['a header that is not JSON', tok('not json', '{}')],
    ['a payload that is a JSON string', tok('{"alg":"RS256"}', '"just a string"')],
    ['a payload that is an array', tok('{"alg":"RS256"}', '[1,2]')],
    ['a payload that is null', tok('{"alg":"RS256"}', 'null')],
    ['a signature with invalid characters', `${b64('{}')}.${b64('{}')}.a+b`],
    ['another scheme in front (a space)', `Basic ${tok('{}', '{}')}`],
    ['standard base64 characters', tok('{}', '{}').replace('.', '+.')],
  ];
  for (const [what, token] of malformed) {
    it(`refuses ${what}`, () => {
      expect(decodeJwt(token)).to.deep.equal({ ok: false, reason: 'malformed_token' });
    });
  }

  it('lets an empty signature through so the alg check can name it', () => {
    const r = decodeJwt(`${b64('{"alg":"none"}')}.${b64('{"sub":"x"}')}.`);
    expect(r.ok).to.equal(true);
  });

  it('drops __proto__, constructor and prototype keys at every depth and never pollutes Object.prototype', () => {
    const payload = '{"sub":"u","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"nested":{"__proto__":{"x":1},"ok":2}}';
    const r = decodeJwt(tok('{"alg":"RS256","kid":"k"}', payload));
    if (!r.ok) throw new Error('expected a decoded token');
    const p = r.jwt.payload;
    expect(Object.keys(p)).to.deep.equal(['sub', 'nested']);
    expect(Object.getPrototypeOf(p)).to.equal(Object.prototype);
    expect(Object.keys(p['nested'] as object)).to.deep.equal(['ok']);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(own(p, 'polluted')).to.equal(undefined);
  });

  it('keeps ordinary values that merely contain the word "constructor"', () => {
    expect(parseJsonObject('{"username":"constructor"}')).to.deep.equal({ username: 'constructor' });
  });

  it('own() ignores inherited properties', () => {
    expect(own({}, 'toString')).to.equal(undefined);
    expect(own({ a: 1 }, 'a')).to.equal(1);
  });
});
