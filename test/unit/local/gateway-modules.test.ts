// Direct tests of the gateway's pure modules: header and query maps, ids and times, authorizer result
// interpretation, $connect answers, route selection and management paths.
import { expect } from 'chai';
import { findHeader, headerMaps, queryMaps } from '../../../local/gateway/http-input.ts';
import { formatRequestTime, newApiId, newAwsId, newTraceId } from '../../../local/gateway/ids.ts';
import {
  identitySourcesPresent,
  interpretAuthorizerResult,
  parseIdentitySources,
  wildcardMatch,
} from '../../../local/gateway/authorizer-outcome.ts';
import { interpretConnectResult } from '../../../local/gateway/connect-outcome.ts';
import { selectRoute } from '../../../local/gateway/routing.ts';
import { parseManagementPath } from '../../../local/gateway/management.ts';
import type { InvokeResult } from '../../../local/lambda-runner/pool.ts';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc123defg/dev/$connect';
const ok = (value: unknown): InvokeResult => ({ ok: true, value, durationMs: 1 });
const err = (message: string): InvokeResult => ({ ok: false, error: { type: 'Error', message }, durationMs: 1 });
const allow = (resource: unknown, extra: Record<string, unknown> = {}) =>
  ok({
    principalId: 'p',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }],
    },
    ...extra,
  });

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

describe('gateway ids', () => {
  it('makes 16-character base64 ids ending in "=" like API Gateway connection ids', () => {
    for (let i = 0; i < 50; i += 1) expect(newAwsId()).to.match(/^[A-Za-z0-9+/]{15}=$/);
  });
  it('makes 10-character lowercase api ids and Root=1- trace ids', () => {
    expect(newApiId()).to.match(/^[a-z0-9]{10}$/);
    expect(newTraceId(1674162806344)).to.match(/^Root=1-63c9b276-[0-9a-f]{24}$/);
  });
  it('formats requestTime as API Gateway does', () => {
    expect(formatRequestTime(Date.UTC(2023, 0, 19, 21, 13, 26))).to.equal('19/Jan/2023:21:13:26 +0000');
    expect(formatRequestTime(Date.UTC(2024, 11, 1, 3, 4, 5))).to.equal('01/Dec/2024:03:04:05 +0000');
  });
});

describe('gateway authorizer outcome', () => {
  it('matches IAM wildcards * and ? and nothing else', () => {
    expect(wildcardMatch('arn:*/dev/*', ARN)).to.equal(true);
    expect(wildcardMatch('arn:aws:execute-api:us-east-1:000000000000:abc123defg/de?/$connect', ARN)).to.equal(true);
    expect(wildcardMatch('arn:aws:execute-api:us-east-1:000000000000:abc123defg/dev/$default', ARN)).to.equal(false);
    expect(wildcardMatch('arn.aws', 'arnXaws'), 'dots are literal').to.equal(false);
  });
  it('allows exactly the method ARN and stringifies the context', () => {
    expect(interpretAuthorizerResult(allow(ARN, { context: { n: 1, b: false, s: 'x' } }), ARN)).to.deep.equal({
      kind: 'allow',
      principalId: 'p',
      context: { n: '1', b: 'false', s: 'x' },
    });
    expect(interpretAuthorizerResult(allow([ARN.replace('$connect', 'x'), ARN]), ARN).kind).to.equal('allow');
  });
  it('maps errors: exact Unauthorized 401, anything else 500', () => {
    expect(interpretAuthorizerResult(err('Unauthorized'), ARN)).to.include({ status: 401 });
    expect(interpretAuthorizerResult(err('Unauthorized '), ARN)).to.include({ status: 500 });
    expect(interpretAuthorizerResult(err('Forbidden'), ARN)).to.include({ status: 500 });
  });
  it('answers 403 for Deny, for an Allow elsewhere, and when a Deny also matches an Allow', () => {
    const both = ok({
      principalId: 'p',
      policyDocument: {
        Statement: [
          { Action: '*', Effect: 'Allow', Resource: '*' },
          { Action: 'execute-api:*', Effect: 'Deny', Resource: ARN },
        ],
      },
    });
    expect(interpretAuthorizerResult(both, ARN)).to.include({ status: 403 });
    expect(
      interpretAuthorizerResult(allow('arn:aws:execute-api:us-east-1:000000000000:other/dev/$connect'), ARN),
    ).to.include({ status: 403 });
  });
  it('answers 500 for malformed results, nested context, null values and results over 8 KB', () => {
    for (const value of [
      null,
      'Allow',
      [],
      { principalId: 'p' },
      { policyDocument: {} },
      { principalId: 'p', policyDocument: { Statement: [] } },
    ]) {
      expect(interpretAuthorizerResult(ok(value), ARN), JSON.stringify(value)).to.include({ status: 500 });
    }
    expect(interpretAuthorizerResult(allow(ARN, { context: { a: { b: 1 } } }), ARN)).to.include({
      status: 500,
      reason: 'non_flat_context',
    });
    expect(interpretAuthorizerResult(allow(ARN, { context: { a: null } }), ARN)).to.include({ status: 500 });
    expect(interpretAuthorizerResult(allow(ARN, { context: { a: 'x'.repeat(8200) } }), ARN)).to.include({
      status: 500,
      reason: 'result_too_large',
    });
  });
  it('parses identity sources and requires each to be present and non-empty', () => {
    const sources = parseIdentitySources(['route.request.header.Authorization', 'route.request.querystring.token']);
    expect(identitySourcesPresent(sources, { authorization: 'x' }, { token: 't' })).to.equal(true);
    expect(identitySourcesPresent(sources, { authorization: ' ' }, { token: 't' })).to.equal(false);
    expect(identitySourcesPresent(sources, { authorization: 'x' }, undefined)).to.equal(false);
    expect(() => parseIdentitySources(['$request.header.Authorization'])).to.throw(/route\.request/);
  });
});

describe('gateway $connect outcome and route selection', () => {
  it('accepts 2xx, returns the offered subprotocol, passes 4xx/5xx, turns the rest into 500', () => {
    const offered = new Set(['bearer', 'tok']);
    expect(
      interpretConnectResult(ok({ statusCode: 200, headers: { 'sec-websocket-protocol': 'bearer' } }), offered),
    ).to.deep.equal({ kind: 'accept', protocol: 'bearer' });
    expect(interpretConnectResult(ok({ statusCode: 204 }), offered)).to.deep.equal({ kind: 'accept' });
    expect(
      interpretConnectResult(ok({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'other' } }), offered),
    ).to.deep.equal({ kind: 'accept' });
    expect(interpretConnectResult(ok({ statusCode: 429 }), offered)).to.include({ status: 429 });
    for (const value of [null, {}, { statusCode: 'abc' }, { statusCode: 302 }, { statusCode: 101 }]) {
      expect(interpretConnectResult(ok(value), offered), JSON.stringify(value)).to.include({ status: 500 });
    }
    expect(interpretConnectResult(err('x'), offered)).to.include({ status: 500 });
  });
  it('selects a route from a JSON object body with a configured string action, else $default', () => {
    const routes = new Set(['send', 'join']);
    expect(selectRoute('{"action":"send"}', routes)).to.equal('send');
    for (const body of [
      '{"action":"other"}',
      '{"action":["send"]}',
      '["send"]',
      'send',
      '',
      '{"Action":"send"}',
      'null',
    ]) {
      expect(selectRoute(body, routes), body).to.equal('$default');
    }
    expect(selectRoute('{"action":"send"}', new Set())).to.equal('$default');
  });
});

describe('gateway management paths', () => {
  it('accepts /@connections/{id} and /<stage>/@connections/{id}, decoding the id', () => {
    expect(parseManagementPath('/@connections/abc%3D', 'dev')).to.equal('abc=');
    expect(parseManagementPath('/dev/@connections/a%2Bb%2F%3D', 'dev')).to.equal('a+b/=');
  });
  it('refuses other stages, other paths, empty and malformed ids', () => {
    for (const p of [
      '/prod/@connections/x',
      '/dev/@connections/',
      '/dev/@connections/a/b',
      '/dev/x',
      '/dev/@connections/%E0%A4%A',
    ]) {
      expect(parseManagementPath(p, 'dev'), p).to.equal(undefined);
    }
  });
});
