import { expect } from 'chai';
import { decodeHeader, own, parseJsonObject, vetPayload } from '../../../functions/shared/token/decode-jwt.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64url');
const tok = (header: string, payload = '{}', sig = 'c2ln'): string => `${b64(header)}.${b64(payload)}.${sig}`;

describe('decodeHeader', () => {
  it('decodes the header of a well-formed token', () => {
    expect(decodeHeader(tok('{"alg":"RS256","kid":"k1"}'))).to.deep.equal({
      ok: true,
      header: { alg: 'RS256', kid: 'k1' },
    });
  });

  it('lets an empty signature through so the alg check can name it', () => {
    expect(decodeHeader(`${b64('{"alg":"none"}')}.${b64('{"sub":"x"}')}.`).ok).to.equal(true);
  });

  const malformed: [string, string][] = [
    ['two parts', `${b64('{}')}.${b64('{}')}`],
    ['four parts', `${tok('{}')}.x`],
    ['an empty header part', `.${b64('{}')}.sig`],
    ['an empty payload part', `${b64('{"alg":"RS256"}')}..sig`],
    ['padding characters in the header', `${b64('{}')}=.${b64('{}')}.sig`],
    ['another scheme in front (a space)', `Basic ${tok('{}')}`],
    ['a header that is not JSON', tok('not json')],
    ['a header that is a JSON array', tok('["RS256"]')],
    ['a header that is null', tok('null')],
    ['an oversized header', tok(`{"alg":"RS256","x":"${'a'.repeat(2000)}"}`)],
  ];
  for (const [what, token] of malformed) {
    it(`refuses ${what}`, () => {
      expect(decodeHeader(token)).to.deep.equal({ ok: false, reason: 'malformed_token' });
    });
  }

  it('drops __proto__, constructor and prototype keys from the header and never pollutes Object.prototype', () => {
    const r = decodeHeader(
      tok('{"alg":"RS256","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"kid":"k"}'),
    );
    if (!r.ok) throw new Error('expected a decoded header');
    expect(Object.keys(r.header)).to.deep.equal(['alg', 'kid']);
    expect(Object.getPrototypeOf(r.header)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('drops __proto__ / constructor / prototype keys spelled with JSON \\u escapes too', () => {
    const r = decodeHeader(
      tok('{"alg":"RS256","\\u005f_proto__":{"polluted":true},"\\u0063onstructor":1,"protot\\u0079pe":1,"kid":"k"}'),
    );
    if (!r.ok) throw new Error('expected a decoded header');
    expect(Object.keys(r.header)).to.deep.equal(['alg', 'kid']);
  });
});

describe('parseJsonObject', () => {
  it('removes dangerous keys at every depth', () => {
    const v = parseJsonObject('{"a":{"__proto__":{"x":1},"ok":2},"prototype":1}');
    expect(v).to.deep.equal({ a: { ok: 2 } });
    expect(Object.keys(v?.['a'] as object)).to.deep.equal(['ok']);
  });
  it('keeps ordinary values that merely contain the word "constructor"', () => {
    expect(parseJsonObject('{"username":"constructor"}')).to.deep.equal({ username: 'constructor' });
  });
  it('returns undefined for non-objects and bad JSON', () => {
    for (const text of ['[]', '"s"', '1', 'null', '{', '']) expect(parseJsonObject(text), text).to.equal(undefined);
  });
});

describe('vetPayload', () => {
  it('accepts a plain object as parsed by JSON.parse', () => {
    const p = JSON.parse('{"sub":"u"}') as unknown;
    expect(vetPayload(p)).to.equal(p);
  });
  it('refuses strings, arrays, null and objects with other prototypes', () => {
    for (const v of ['payload', [1], null, 42, Object.create(null), new Date()])
      expect(vetPayload(v)).to.equal(undefined);
  });
  it('refuses an own __proto__, constructor or prototype key (JSON.parse creates them as own properties)', () => {
    for (const text of ['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}', '{"prototype":1}']) {
      expect(vetPayload(JSON.parse(text)), text).to.equal(undefined);
    }
  });
});

describe('own', () => {
  it('ignores inherited properties', () => {
    expect(own({}, 'toString')).to.equal(undefined);
    expect(own({ a: 1 }, 'a')).to.equal(1);
  });
});
