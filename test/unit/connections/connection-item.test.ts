import { expect } from 'chai';
import {
  marshalConnectionItem,
  toConnectionView,
  unmarshalConnectionItem,
  type ConnectionItem,
} from '../../../functions/shared/connection-item.ts';

const item: ConnectionItem = {
  connectionId: 'R1kmxc2VNjMCFIA=',
  sub: 'user-1',
  username: 'jane',
  connectedAt: 1_705_726_795_000,
  tokenExp: 1_705_730_400,
  ttl: 1_705_734_060,
  queryParameters: { room: 'lobby' },
  headers: { 'user-agent': 'Mozilla/5.0' },
  claims: {},
};

describe('connections: item codec', () => {
  it('marshals numbers as N strings and maps as M of S, exactly the documented item', () => {
    expect(marshalConnectionItem(item)).to.deep.equal({
      connectionId: { S: 'R1kmxc2VNjMCFIA=' },
      sub: { S: 'user-1' },
      username: { S: 'jane' },
      connectedAt: { N: '1705726795000' },
      tokenExp: { N: '1705730400' },
      ttl: { N: '1705734060' },
      queryParameters: { M: { room: { S: 'lobby' } } },
      headers: { M: { 'user-agent': { S: 'Mozilla/5.0' } } },
    });
  });

  it('round-trips through unmarshal unchanged', () => {
    expect(unmarshalConnectionItem(marshalConnectionItem(item))).to.deep.equal({ ok: true, item });
  });

  it('keeps a "__proto__" map key as data in both directions', () => {
    const tricky: ConnectionItem = { ...item, queryParameters: Object.fromEntries([['__proto__', 'x']]) };
    const marshalled = marshalConnectionItem(tricky);
    const map = (marshalled['queryParameters'] as { M: Record<string, unknown> }).M;
    expect(Object.keys(map)).to.deep.equal(['__proto__']);
    const back = unmarshalConnectionItem(marshalled);
    expect(back.ok && Object.keys(back.item.queryParameters)).to.deep.equal(['__proto__']);
    expect(back.ok && Object.getPrototypeOf(back.item.queryParameters)).to.equal(Object.prototype);
  });

  it('refuses to marshal a non-integer number or an empty key attribute', () => {
    expect(() => marshalConnectionItem({ ...item, ttl: Number.NaN })).to.throw(TypeError, 'ttl');
    expect(() => marshalConnectionItem({ ...item, connectedAt: 1.5 })).to.throw(TypeError, 'connectedAt');
    expect(() => marshalConnectionItem({ ...item, sub: '' })).to.throw(TypeError);
  });

  it('drops only ttl from the client view', () => {
    const view = toConnectionView(item);
    expect(view).to.not.have.property('ttl');
    expect(view).to.deep.equal({
      connectionId: item.connectionId,
      sub: item.sub,
      username: item.username,
      connectedAt: item.connectedAt,
      tokenExp: item.tokenExp,
      queryParameters: item.queryParameters,
      headers: item.headers,
      claims: item.claims,
    });
  });

  it('writes claims as a map of strings only when there are some, and reads them back', () => {
    const withClaims: ConnectionItem = { ...item, claims: { 'custom:tenant': 'acme' } };
    const raw = marshalConnectionItem(withClaims);
    expect(raw['claims']).to.deep.equal({ M: { 'custom:tenant': { S: 'acme' } } });
    expect(unmarshalConnectionItem(raw)).to.deep.equal({ ok: true, item: withClaims });
    expect(unmarshalConnectionItem({ ...raw, claims: { M: { x: { N: '1' } } } })).to.deep.equal({
      ok: false,
      reason: 'claims has a non-string value',
    });
  });

  it('reads absent maps as empty', () => {
    const raw = marshalConnectionItem(item);
    delete raw['queryParameters'];
    delete raw['headers'];
    const result = unmarshalConnectionItem(raw);
    expect(result.ok && result.item.queryParameters).to.deep.equal({});
    expect(result.ok && result.item.headers).to.deep.equal({});
  });

  const corruptions: [string, (raw: Record<string, unknown>) => void, string][] = [
    ['a missing sub', (raw) => delete raw['sub'], 'sub'],
    ['an empty connectionId', (raw) => (raw['connectionId'] = { S: '' }), 'connectionId'],
    ['a numeric string stored as S', (raw) => (raw['tokenExp'] = { S: '1705730400' }), 'tokenExp'],
    ['a fractional N', (raw) => (raw['ttl'] = { N: '1.5' }), 'ttl'],
    ['an N beyond safe integers', (raw) => (raw['connectedAt'] = { N: '9999999999999999' }), 'connectedAt'],
    ['a username that is a number', (raw) => (raw['username'] = { N: '1' }), 'username'],
    ['a map value that is not S', (raw) => (raw['headers'] = { M: { a: { N: '1' } } }), 'headers'],
    ['a map that is a list', (raw) => (raw['queryParameters'] = { L: [] }), 'queryParameters'],
  ];
  for (const [what, corrupt, names] of corruptions) {
    it(`reports ${what} instead of trusting it`, () => {
      const raw: Record<string, unknown> = marshalConnectionItem(item);
      corrupt(raw);
      const result = unmarshalConnectionItem(raw);
      expect(result.ok).to.equal(false);
      expect(!result.ok && result.reason).to.contain(names);
    });
  }

  it('reports a non-object without throwing', () => {
    for (const raw of [null, undefined, 'x', 42, []]) expect(unmarshalConnectionItem(raw).ok).to.equal(false);
  });
});
