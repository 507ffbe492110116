import { expect } from 'chai';
import { judgePlan, planDifferences } from '../../../scripts/rehearse/plan-diff.ts';
import { EMULATOR_GAPS } from '../../../scripts/rehearse/gaps.ts';

function change(
  address: string,
  type: string,
  actions: string[],
  before: unknown,
  after: unknown,
  afterUnknown: unknown = {},
) {
  return { address, type, mode: 'managed', change: { actions, before, after, after_unknown: afterUnknown } };
}

describe('rehearsal plan differences', () => {
  it('ignores no-op resources and data reads, and lists the attributes an update changes', () => {
    const plan = {
      resource_changes: [
        change('aws_iam_role.a', 'aws_iam_role', ['no-op'], { name: 'a' }, { name: 'a' }),
        { address: 'data.x.y', type: 'x', mode: 'data', change: { actions: ['read'] } },
        change(
          'aws_lambda_function.f',
          'aws_lambda_function',
          ['update'],
          { logging_config: [], memory_size: 128, tags: {} },
          { logging_config: [{ log_format: 'JSON' }], memory_size: 128, tags: {} },
        ),
      ],
    };
    expect(planDifferences(plan)).to.deep.equal([
      {
        address: 'aws_lambda_function.f',
        type: 'aws_lambda_function',
        actions: ['update'],
        attributes: ['logging_config'],
      },
    ]);
  });

  it('counts an attribute that becomes unknown as changed', () => {
    const plan = { resource_changes: [change('a.b', 'a', ['update'], { arn: 'x' }, { arn: null }, { arn: true })] };
    expect(planDifferences(plan)[0]?.attributes).to.deep.equal(['arn']);
  });

  it('explains an update whose every changed attribute is a known gap of that type', () => {
    const verdict = judgePlan(
      [
        {
          address: 'm.aws_lambda_function.f',
          type: 'aws_lambda_function',
          actions: ['update'],
          attributes: ['logging_config'],
        },
      ],
      EMULATOR_GAPS,
    );
    expect(verdict.unexplained).to.deep.equal([]);
    expect(verdict.explained[0]?.gapIds).to.deep.equal(['lambda-logging-config']);
  });

  it('fails an update that also changes another attribute, a gap attribute on another type, and any replace', () => {
    const verdict = judgePlan(
      [
        {
          address: 'f',
          type: 'aws_lambda_function',
          actions: ['update'],
          attributes: ['logging_config', 'environment'],
        },
        { address: 'r', type: 'aws_iam_role', actions: ['update'], attributes: ['logging_config'] },
        { address: 'd', type: 'aws_cognito_user_pool_domain', actions: ['delete', 'create'], attributes: [] },
        { address: 'n', type: 'aws_lambda_function', actions: ['create'], attributes: [] },
      ],
      EMULATOR_GAPS,
    );
    expect(verdict.explained).to.deep.equal([]);
    expect(verdict.unexplained.map((d) => d.address)).to.deep.equal(['f', 'r', 'd', 'n']);
  });

  it('refuses a plan that is not an object', () => {
    expect(() => planDifferences('nope')).to.throw(/not an object/);
  });
});
