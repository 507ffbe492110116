import { expect } from 'chai';
import { designedPolicies } from '../../../scripts/rehearse/design.ts';
import { grantOf } from '../../../scripts/rehearse/wiring.ts';

const base = { tableArn: 'arn:t', stageArn: 'arn:s', logGroupArn: 'arn:l' };

describe('rehearsal design', () => {
  it('gives the authorizer nothing but its logs without revocation, and one GetItem with it', () => {
    expect(Object.keys(designedPolicies('authorizer', base) ?? {})).to.deep.equal(['logs']);
    const withRevocation = designedPolicies('authorizer', {
      ...base,
      revocationsTableArn: 'arn:r',
      tableKeyArn: 'arn:k',
    });
    expect(withRevocation?.permissions?.map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
      ['ReadRevocation', ['dynamodb:GetItem'], ['arn:r']],
      ['UseTableKey', ['kms:Decrypt', 'kms:DescribeKey'], ['arn:k']],
    ]);
  });

  it('lets writers of a customer-keyed table generate data keys, and readers only decrypt', () => {
    const key = (fn: string) =>
      designedPolicies(fn, { ...base, tableKeyArn: 'arn:k' })?.permissions?.find((s) => s.Sid === 'UseTableKey')
        ?.Action;
    expect(key('connect')).to.include('kms:GenerateDataKey');
    expect(key('refresh')).to.include('kms:GenerateDataKey');
    expect(key('disconnect')).to.not.include('kms:GenerateDataKey');
    expect(key('default')).to.not.include('kms:GenerateDataKey');
    expect(key('control')).to.not.include('kms:GenerateDataKey');
  });

  it('scopes management calls to the stage and queries to the sub-index', () => {
    const connect = designedPolicies('connect', base)?.permissions ?? [];
    expect(connect.find((s) => s.Sid === 'CheckConnection')?.Resource).to.deep.equal(['arn:s/GET/@connections/*']);
    expect(connect.find((s) => s.Sid === 'CountUserConnections')?.Resource).to.deep.equal(['arn:t/index/sub-index']);
  });

  it('knows no other function', () => {
    expect(designedPolicies('mystery', base)).to.equal(undefined);
  });

  it('reads service and IAM principals and the source ARN of a resource-policy statement', () => {
    expect(
      grantOf({
        Action: 'lambda:InvokeFunction',
        Principal: { Service: 'apigateway.amazonaws.com' },
        Condition: { ArnLike: { 'AWS:SourceArn': 'arn:x' } },
      }),
    ).to.deep.equal({ principal: 'apigateway.amazonaws.com', sourceArn: 'arn:x', action: 'lambda:InvokeFunction' });
    expect(grantOf({ Action: 'lambda:InvokeFunction', Principal: { AWS: 'arn:aws:iam::1:role/r' } })).to.deep.equal({
      principal: 'arn:aws:iam::1:role/r',
      action: 'lambda:InvokeFunction',
    });
  });
});
