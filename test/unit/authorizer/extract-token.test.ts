import { expect } from 'chai';
import { extractToken, type ExtractOptions } from '../../../functions/authorizer/extract-token.ts';
import { connectEvent } from './helpers.ts';

const T = 'aaa.bbb.ccc';
const U = 'ddd.eee.fff';
const all: ExtractOptions = {
  sources: ['header', 'query', 'protocol'],
  headerName: 'Authorization',
  queryParam: 'token',
  maxLength: 8192,
};

describe('extractToken', () => {
  for (const name of ['Authorization', 'authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn']) {
    for (const value of [`Bearer ${T}`, `bearer ${T}`, `BEARER   ${T}`, T]) {
      it(`reads the header as "${name}: ${value.replace(T, '<jwt>')}"`, () => {
        const r = extractToken(connectEvent({ headers: { [name]: value } }), all);
        expect(r).to.deep.equal({ ok: true, token: T, source: 'header' });
      });
    }
  }

  it('reads a custom TOKEN_HEADER name case-insensitively', () => {
    const r = extractToken(connectEvent({ headers: { 'x-auth-token': T } }), { ...all, headerName: 'X-Auth-Token' });
    expect(r).to.deep.equal({ ok: true, token: T, source: 'header' });
  });

  it('reads the query parameter', () => {
    expect(extractToken(connectEvent({ query: { token: T } }), all)).to.deep.equal({
      ok: true,
      token: T,
      source: 'query',
    });
  });

  it('treats the query parameter name case-sensitively', () => {
    expect(extractToken(connectEvent({ query: { TOKEN: T } }), all)).to.deep.equal({
      ok: false,
      reason: 'missing_token',
    });
  });

  it('reads Sec-WebSocket-Protocol given as "bearer, <token>" in any casing', () => {
    for (const value of [`bearer, ${T}`, `Bearer,${T}`, `chat, bearer, ${T}`]) {
      const r = extractToken(connectEvent({ headers: { 'sec-websocket-protocol': value } }), all);
      expect(r, value).to.deep.equal({ ok: true, token: T, source: 'protocol' });
    }
  });

  it('ignores a Sec-WebSocket-Protocol header without the bearer pair', () => {
    const r = extractToken(connectEvent({ headers: { 'Sec-WebSocket-Protocol': 'chat, superchat' } }), all);
    expect(r).to.deep.equal({ ok: false, reason: 'missing_token' });
  });

  it('accepts the same token from several sources', () => {
    const r = extractToken(
      connectEvent({
        headers: { Authorization: `Bearer ${T}`, 'Sec-WebSocket-Protocol': `bearer, ${T}` },
        query: { token: T },
      }),
      all,
    );
    expect(r).to.deep.equal({ ok: true, token: T, source: 'header' });
  });

  it('reads only the configured sources', () => {
    const e = connectEvent({ headers: { Authorization: `Bearer ${T}` } });
    expect(extractToken(e, { ...all, sources: ['query', 'protocol'] })).to.deep.equal({
      ok: false,
      reason: 'missing_token',
    });
    const q = connectEvent({ query: { token: T } });
    expect(extractToken(q, { ...all, sources: ['header'] })).to.deep.equal({ ok: false, reason: 'missing_token' });
  });

  describe('rejections', () => {
    const cases: [string, unknown, string][] = [
      ['no token anywhere', connectEvent(), 'missing_token'],
      ['an event that is not an object', 'GET /', 'missing_token'],
      ['a null event', null, 'missing_token'],
      [
        'null headers and query',
        { methodArn: 'x', headers: null, multiValueHeaders: null, queryStringParameters: null },
        'missing_token',
      ],
      ['an empty header', connectEvent({ headers: { Authorization: '' } }), 'missing_token'],
      ['a bare "Bearer"', connectEvent({ headers: { Authorization: 'Bearer ' } }), 'missing_token'],
      ['an empty query parameter', connectEvent({ query: { token: '' } }), 'missing_token'],
      [
        '"bearer" with no token in Sec-WebSocket-Protocol',
        connectEvent({ headers: { 'Sec-WebSocket-Protocol': 'bearer' } }),
        'missing_token',
      ],
      [
        'different tokens in header and query',
        connectEvent({ headers: { Authorization: T }, query: { token: U } }),
        'duplicate_token',
      ],
      [
        'different tokens in header and protocol',
        connectEvent({ headers: { Authorization: T, 'Sec-WebSocket-Protocol': `bearer, ${U}` } }),
        'duplicate_token',
      ],
      [
        'two values in multiValueHeaders',
        connectEvent({ headers: { Authorization: T }, multiValueHeaders: { Authorization: [T, U] } }),
        'duplicate_token',
      ],
      [
        'two values in multiValueQueryStringParameters',
        connectEvent({ query: { token: U }, multiValueQuery: { token: [T, U] } }),
        'duplicate_token',
      ],
      [
        'two header keys differing in case',
        { methodArn: 'x', headers: { authorization: T, Authorization: U } },
        'duplicate_token',
      ],
      [
        'an empty value beside a real one',
        connectEvent({ query: { token: T }, multiValueQuery: { token: ['', T] } }),
        'duplicate_token',
      ],
      [
        'two bearer pairs in Sec-WebSocket-Protocol',
        connectEvent({ headers: { 'Sec-WebSocket-Protocol': `bearer, ${T}, bearer, ${U}` } }),
        'duplicate_token',
      ],
      [
        'a header over 8 KB',
        connectEvent({ headers: { Authorization: `Bearer ${'a'.repeat(8193)}` } }),
        'token_too_large',
      ],
      ['a query parameter over 8 KB', connectEvent({ query: { token: 'a.b.' + 'c'.repeat(8200) } }), 'token_too_large'],
      [
        'a protocol header far over 8 KB',
        connectEvent({ headers: { 'Sec-WebSocket-Protocol': `bearer, ${'a'.repeat(20000)}` } }),
        'token_too_large',
      ],
      ['a non-string header value', { methodArn: 'x', headers: { Authorization: 42 } }, 'malformed_token'],
    ];
    for (const [what, event, reason] of cases) {
      it(`refuses ${what} as ${reason}`, () => {
        expect(extractToken(event, all)).to.deep.equal({ ok: false, reason });
      });
    }
  });

  it('leaves the shape of the token to decodeJwt (another scheme comes through whole)', () => {
    expect(extractToken(connectEvent({ headers: { Authorization: `Basic ${T}` } }), all)).to.deep.equal({
      ok: true,
      token: `Basic ${T}`,
      source: 'header',
    });
  });

  it('accepts a token of exactly the maximum length', () => {
    const token = 'a.b.' + 'c'.repeat(8192 - 4);
    expect(extractToken(connectEvent({ query: { token } }), all)).to.deep.equal({ ok: true, token, source: 'query' });
  });
});
