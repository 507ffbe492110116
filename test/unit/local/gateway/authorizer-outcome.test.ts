// How the gateway interprets an authorizer result (local/gateway/authorizer-outcome.ts).
import { expect } from 'chai';
import {
  identitySourcesPresent,
  interpretAuthorizerResult,
  parseIdentitySources,
  wildcardMatch,
} from '../../../../local/gateway/authorizer-outcome.ts';
import type { InvokeResult } from '../../../../local/lambda-runner/pool.ts';

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
