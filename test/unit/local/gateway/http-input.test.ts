// The gateway's header and query maps (local/gateway/http-input.ts).
import { expect } from 'chai';
import { findHeader, headerMaps, queryMaps } from '../../../../local/gateway/http-input.ts';

describe('gateway http-input', () => {
  it('keeps the client casing, merges names differing in case, keeps every value in multiValueHeaders', () => {
    const maps = headerMaps(['Authorization', 'a', 'x-Id', '1', 'X-ID', '2']);
    expect(maps.headers).to.deep.equal({ Authorization: 'a', 'x-Id': '2' });
    expect(maps.multiValueHeaders).to.deep.equal({ Authorization: ['a'], 'x-Id': ['1', '2'] });
    expect(findHeader(maps.headers, 'AUTHORIZATION')).to.equal('a');
  });
  it('cannot be polluted through a __proto__ header', () => {
    const maps = headerMaps(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
    expect(Object.getPrototypeOf(maps.headers)).to.equal(Object.prototype);
  });
  it('decodes query values, keeps the last in the single map, all in the multi map; undefined when empty', () => {
    expect(queryMaps('a=1&a=2&b=x%20y&c')).to.deep.equal({
      queryStringParameters: { a: '2', b: 'x y', c: '' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'], c: [''] },
    });
    expect(queryMaps('')).to.equal(undefined);
    expect(queryMaps('&&')).to.equal(undefined);
  });
  it('keeps malformed percent-encoding as raw text instead of failing', () => {
    expect(queryMaps('t=%E0%A4%A')?.queryStringParameters).to.deep.equal({ t: '%E0%A4%A' });
  });
});
