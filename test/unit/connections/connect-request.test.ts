import { expect } from 'chai';
import {
  bearerSubprotocol,
  buildConnectionItem,
  claimsFromContext,
  MAX_QUERY_PARAMETERS,
  MAX_VALUE_LENGTH,
  storedHeaders,
  storedQueryParameters,
  truncate,
} from '../../../functions/connect/connect-request.ts';
import { parseContextClaims } from '../../../functions/shared/token/context-claims.ts';
import { authorizerContext, CONNECTION_ID, connectEvent, EXP, NOW_MS, SECRET_TOKEN, SUB } from './helpers.ts';

describe('connections: $connect request to item', () => {
  it('removes the token parameter (any casing) and keeps the rest', () => {
    const event = connectEvent({ query: { token: SECRET_TOKEN, Token: SECRET_TOKEN, room: 'lobby', lang: 'en' } });
    expect(storedQueryParameters(event, 'token')).to.deep.equal({ room: 'lobby', lang: 'en' });
  });

  it('honours a configured token parameter name', () => {
    const event = connectEvent({ query: { access_token: SECRET_TOKEN, token: 'not-a-secret' } });
    expect(storedQueryParameters(event, 'access_token')).to.deep.equal({ token: 'not-a-secret' });
  });

  it('reads absent or null query strings as empty', () => {
    expect(storedQueryParameters(connectEvent({ query: null }), 'token')).to.deep.equal({});
    expect(storedQueryParameters({}, 'token')).to.deep.equal({});
  });

  it('caps the number of parameters and the size of values, and skips non-strings', () => {
    const query: Record<string, unknown> = {};
    for (let i = 0; i < MAX_QUERY_PARAMETERS + 10; i += 1) query[`p${i}`] = 'v';
    query['p0'] = 'x'.repeat(MAX_VALUE_LENGTH + 500);
    const stored = storedQueryParameters({ queryStringParameters: { n: 5, ...query } }, 'token');
    expect(Object.keys(stored)).to.have.length(MAX_QUERY_PARAMETERS);
    expect(stored['p0']).to.have.length(MAX_VALUE_LENGTH);
    expect(stored).to.not.have.property('n');
  });

  it('never splits a surrogate pair when truncating', () => {
    expect(truncate('ab\u{1F600}', 3)).to.equal('ab');
    expect(truncate('ab\u{1F600}', 4)).to.equal('ab\u{1F600}');
    expect(truncate('abc', 10)).to.equal('abc');
  });

  it('keeps only the configured headers, matched in any casing, names lower-cased', () => {
    const event = connectEvent({
      headers: { 'USER-AGENT': 'Mozilla/5.0', Authorization: `Bearer ${SECRET_TOKEN}`, 'X-Other': 'no' },
    });
    expect(storedHeaders(event, ['user-agent', 'x-forwarded-for'])).to.deep.equal({ 'user-agent': 'Mozilla/5.0' });
  });

  it('joins a header given in two casings and caps its value', () => {
    const event = { headers: { 'X-Tag': 'a', 'x-tag': 'b', 'X-Big': 'y'.repeat(5000) } };
    expect(storedHeaders(event, ['x-tag', 'x-big'])).to.deep.equal({
      'x-tag': 'a, b',
      'x-big': 'y'.repeat(MAX_VALUE_LENGTH),
    });
  });

  it('falls back to multiValueHeaders when headers lacks the name', () => {
    expect(storedHeaders({ multiValueHeaders: { 'X-Tag': ['a', 'b'] } }, ['x-tag'])).to.deep.equal({ 'x-tag': 'a, b' });
  });

  it('builds the item: ttl from the clock, connectedAt from API Gateway, numbers as numbers', () => {
    const event = connectEvent({ headers: { 'User-Agent': 'UA' } });
    const item = buildConnectionItem({
      event,
      connectionId: CONNECTION_ID,
      context: { sub: SUB, username: 'jane', exp: EXP, authTime: EXP - 3600 },
      claims: { 'custom:tenant': 'acme' },
      config: { ttlSeconds: 7260, storedHeaders: ['user-agent'], tokenQueryParam: 'token' },
      nowMs: NOW_MS + 999,
    });
    expect(item).to.deep.equal({
      connectionId: CONNECTION_ID,
      sub: SUB,
      username: 'jane',
      connectedAt: NOW_MS - 5000,
      tokenExp: EXP,
      ttl: Math.floor((NOW_MS + 999) / 1000) + 7260,
      queryParameters: { room: 'lobby' },
      headers: { 'user-agent': 'UA' },
      claims: { 'custom:tenant': 'acme' },
    });
  });

  it('uses the clock for connectedAt when the event has no usable one', () => {
    const event = connectEvent({ context: { connectedAt: 'yesterday' } });
    const item = buildConnectionItem({
      event,
      connectionId: CONNECTION_ID,
      context: { sub: SUB, username: '', exp: EXP, authTime: undefined },
      claims: {},
      config: { ttlSeconds: 60, storedHeaders: [], tokenQueryParam: 'token' },
      nowMs: NOW_MS,
    });
    expect(item.connectedAt).to.equal(NOW_MS);
  });
});

describe('connections: Sec-WebSocket-Protocol answer', () => {
  it('answers bearer when it is the first entry, in any header-name casing', () => {
    expect(bearerSubprotocol({ headers: { 'Sec-WebSocket-Protocol': `bearer, ${SECRET_TOKEN}` } })).to.equal('bearer');
    expect(bearerSubprotocol({ headers: { 'sec-websocket-protocol': `bearer,${SECRET_TOKEN}` } })).to.equal('bearer');
    expect(bearerSubprotocol({ headers: { 'SEC-WEBSOCKET-PROTOCOL': 'bearer' } })).to.equal('bearer');
  });

  it('echoes the entry as the client spelled it', () => {
    expect(bearerSubprotocol({ headers: { 'Sec-WebSocket-Protocol': `Bearer, ${SECRET_TOKEN}` } })).to.equal('Bearer');
  });

  it('answers nothing when bearer is absent or not first, or there is no header', () => {
    expect(bearerSubprotocol({ headers: { 'Sec-WebSocket-Protocol': 'chat, bearer, x' } })).to.equal(undefined);
    expect(bearerSubprotocol({ headers: { 'Sec-WebSocket-Protocol': 'bearerx, y' } })).to.equal(undefined);
    expect(bearerSubprotocol({ headers: {} })).to.equal(undefined);
    expect(bearerSubprotocol({})).to.equal(undefined);
  });

  it('reads multiValueHeaders when headers is absent', () => {
    expect(bearerSubprotocol({ multiValueHeaders: { 'Sec-WebSocket-Protocol': ['bearer, tok'] } })).to.equal('bearer');
  });
});

describe('connections: context claims onto the item', () => {
  const claims = parseContextClaims('custom:tenant,plan,flags,__proto__,missing');
  const withContext = (extra: Record<string, unknown>) =>
    connectEvent({ context: { authorizer: authorizerContext(extra) } });

  it('maps claim_* context keys back to the original claim names', () => {
    const event = withContext({ claim_custom_tenant: 'acme', claim_plan: 'gold', claim_flags: '["a","b"]' });
    expect(claimsFromContext(event, claims)).to.deep.equal({
      'custom:tenant': 'acme',
      plan: 'gold',
      flags: '["a","b"]',
    });
  });

  it('keeps only string values, the only type API Gateway delivers to the routes', () => {
    expect(claimsFromContext(withContext({ claim_plan: 3, claim_flags: true }), claims)).to.deep.equal({});
  });

  it('leaves absent claims, unconfigured keys and unusable values out', () => {
    const event = withContext({ claim_other: 'x', claim_plan: { nested: 1 }, claim_custom_tenant: null });
    expect(claimsFromContext(event, claims)).to.deep.equal({});
    expect(claimsFromContext(withContext({ claim_plan: 'gold' }), [])).to.deep.equal({});
    expect(claimsFromContext({}, claims)).to.deep.equal({});
  });

  it('keeps a claim named __proto__ as data', () => {
    const stored = claimsFromContext(withContext({ claim___proto__: 'x' }), claims);
    expect(Object.getPrototypeOf(stored)).to.equal(Object.prototype);
    expect(Object.keys(stored)).to.deep.equal(['__proto__']);
  });
});
