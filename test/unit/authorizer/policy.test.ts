import { expect } from 'chai';
import { allowResult, denyResult, isValidMethodArn, MAX_RESULT_BYTES } from '../../../functions/authorizer/policy.ts';
import { checkAccess } from '../../../functions/shared/token/access-rules.ts';
import type { VerifiedClaims } from '../../../functions/shared/token/verify-token.ts';
import { METHOD_ARN } from './helpers.ts';

const claims: VerifiedClaims = {
  sub: 'u-1',
  username: 'jane',
  clientId: 'c1',
  scope: 'openid chat/write',
  scopes: ['openid', 'chat/write'],
  groups: ['admins', 'staff'],
  tokenUse: 'access',
  exp: 2000,
  authTime: 1000,
};

describe('policy', () => {
  it('allows exactly methodArn and nothing else', () => {
    const r = allowResult(METHOD_ARN, claims);
    expect(r?.policyDocument.Statement).to.deep.equal([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN },
    ]);
    expect(r?.principalId).to.equal('u-1');
    expect(r?.context).to.deep.equal({
      sub: 'u-1',
      username: 'jane',
      clientId: 'c1',
      scope: 'openid chat/write',
      groups: 'admins,staff',
      groupsJson: '["admins","staff"]',
      tokenUse: 'access',
      exp: 2000,
      authTime: 1000,
    });
  });

  it('refuses to build an Allow over 8 KB (API Gateway would answer 500)', () => {
    const big = { ...claims, groups: Array.from({ length: 100 }, (_, i) => `group-${i}-${'g'.repeat(90)}`) };
    expect(allowResult(METHOD_ARN, big)).to.equal(undefined);
    const fits = { ...claims, groups: Array.from({ length: 30 }, (_, i) => `group-${i}-${'g'.repeat(90)}`) };
    const r = allowResult(METHOD_ARN, fits);
    expect(r).to.not.equal(undefined);
    expect(Buffer.byteLength(JSON.stringify(r))).to.be.below(MAX_RESULT_BYTES);
  });

  it('counts multi-byte characters in bytes, not characters', () => {
    const wide = { ...claims, username: '\u{1F600}'.repeat(1500) }; // 3,000 UTF-16 units, 6,000 bytes, twice in the budget
    expect(allowResult(METHOD_ARN, { ...wide, groups: ['x'.repeat(2500)] })).to.equal(undefined);
  });

  it('denies methodArn without any context', () => {
    expect(denyResult(METHOD_ARN, 'u-1')).to.deep.equal({
      principalId: 'u-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }],
      },
    });
  });

  it('accepts real WebSocket method ARNs and refuses wildcards and other shapes', () => {
    for (const ok of [
      METHOD_ARN,
      'arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2c3/prod/$connect',
      'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:x/dev/$connect',
      'arn:aws-eusc:execute-api:eusc-de-east-1:123456789012:x/dev/$connect',
    ]) {
      expect(isValidMethodArn(ok), ok).to.equal(true);
    }
    for (const bad of [
      undefined,
      null,
      1,
      '',
      'arn:aws:execute-api:us-east-1:123456789012:abc/*/$connect',
      'arn:aws:execute-api:us-east-1:123456789012:abc/dev/*',
      'arn:aws:execute-api:us-east-1:1234:abc/dev/$connect',
      'arn:aws:lambda:us-east-1:123456789012:function:f',
      `${METHOD_ARN}\n`,
      'x'.repeat(5000),
    ]) {
      expect(isValidMethodArn(bad), String(bad).slice(0, 60)).to.equal(false);
    }
  });
});

describe('access rules', () => {
  it('requires every REQUIRED_SCOPES entry', () => {
    expect(checkAccess(claims, { requiredScopes: ['openid'], allowedGroups: [] })).to.deep.equal({ ok: true });
    expect(checkAccess(claims, { requiredScopes: ['openid', 'chat/read'], allowedGroups: [] })).to.deep.equal({
      ok: false,
      reason: 'missing_scope',
    });
    expect(checkAccess(claims, { requiredScopes: ['chat'], allowedGroups: [] }), 'no prefix matching').to.deep.equal({
      ok: false,
      reason: 'missing_scope',
    });
  });

  it('requires at least one ALLOWED_GROUPS entry when configured', () => {
    expect(checkAccess(claims, { requiredScopes: [], allowedGroups: ['staff', 'ops'] })).to.deep.equal({ ok: true });
    expect(checkAccess(claims, { requiredScopes: [], allowedGroups: ['ops'] })).to.deep.equal({
      ok: false,
      reason: 'group_not_allowed',
    });
    expect(checkAccess({ ...claims, groups: [] }, { requiredScopes: [], allowedGroups: ['ops'] })).to.deep.equal({
      ok: false,
      reason: 'group_not_allowed',
    });
    expect(checkAccess({ ...claims, groups: [] }, { requiredScopes: [], allowedGroups: [] })).to.deep.equal({
      ok: true,
    });
  });
});
