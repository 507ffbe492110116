// The control CLI's argument rules, payloads (the control function's contract) and target parsing.
import { expect } from 'chai';
import { parseArgs, ArgsError } from '../../../scripts/cli/args.ts';
import { controlCommand, controlPayload } from '../../../scripts/cli/control-ops.ts';
import { parseLocalControlTarget, parseTerraformControlTarget } from '../../../scripts/cli/control-target.ts';
import { TargetError } from '../../../scripts/cli/target.ts';

const spec = { booleans: ['terraform'], values: ['user', 'sub', 'connection', 'message', 'config', 'terraform-dir'] };
const cmd = (op: string | undefined, ...argv: string[]) => controlCommand(op, parseArgs(argv, spec));

describe('scripts/control.ts arguments and payloads', () => {
  it('send with a JSON message to a sub', () => {
    const c = cmd('send', '--sub', 's-1', '--message', '{"hello":1}');
    expect(controlPayload(c, undefined)).to.deep.equal({ op: 'send', sub: 's-1', message: { hello: 1 } });
  });

  it('send with plain text sends it as a JSON string', () => {
    expect(cmd('send', '--sub', 's', '--message', 'hi there').message).to.equal('hi there');
  });

  it('a user is resolved first; the payload carries the resolved sub', () => {
    const c = cmd('revoke', '--user', 'demo');
    expect(c.subject).to.deep.equal({ kind: 'user', username: 'demo' });
    expect(controlPayload(c, 'sub-of-demo')).to.deep.equal({ op: 'revoke', sub: 'sub-of-demo' });
  });

  it('disconnect and send accept one connection id', () => {
    expect(controlPayload(cmd('disconnect', '--connection', 'abc='), undefined)).to.deep.equal({
      op: 'disconnect',
      connectionId: 'abc=',
    });
  });

  it('refuses what the function would refuse, before calling it', () => {
    const cases: Array<[string | undefined, string[], RegExp]> = [
      [undefined, ['--sub', 's'], /first argument/],
      ['kick', ['--sub', 's'], /first argument/],
      ['list', [], /exactly one/],
      ['list', ['--sub', 's', '--user', 'u'], /exactly one/],
      ['list', ['--connection', 'c'], /not --connection/],
      ['revoke', ['--connection', 'c'], /not --connection/],
      ['send', ['--sub', 's'], /needs --message/],
      ['list', ['--sub', 's', '--message', 'x'], /only for send/],
    ];
    for (const [op, argv, message] of cases) {
      expect(() => cmd(op, ...argv), `${op} ${argv.join(' ')}`).to.throw(ArgsError, message);
    }
  });
});

describe('scripts/control.ts targets', () => {
  const local = {
    region: 'us-east-1',
    userPoolId: 'us-east-1_local',
    hostedUiUrl: 'http://127.0.0.1:9229',
    lambdaEndpoint: 'http://127.0.0.1:3002',
    functionNames: { control: 'control' },
    credentials: { accessKeyId: 'LOCALX', secretAccessKey: 'y' },
  };

  it('reads the local stack.json keys', () => {
    expect(parseLocalControlTarget(JSON.stringify(local), 'stack.json')).to.deep.equal({
      kind: 'local',
      region: 'us-east-1',
      userPoolId: 'us-east-1_local',
      controlFunction: 'control',
      lambdaEndpoint: 'http://127.0.0.1:3002',
      cognitoEndpoint: 'http://127.0.0.1:9229',
      credentials: { accessKeyId: 'LOCALX', secretAccessKey: 'y' },
    });
  });

  it('names what is missing in an old or broken stack.json', () => {
    const { credentials: _c, ...noCredentials } = local;
    expect(() => parseLocalControlTarget(JSON.stringify(noCredentials), 'f')).to.throw(TargetError, /credentials/);
    const { lambdaEndpoint: _l, ...noLambda } = local;
    expect(() => parseLocalControlTarget(JSON.stringify(noLambda), 'f')).to.throw(TargetError, /lambdaEndpoint/);
    expect(() => parseLocalControlTarget('{', 'f')).to.throw(TargetError, /not JSON/);
    expect(() => parseLocalControlTarget(JSON.stringify({ ...local, lambdaEndpoint: 'file:///x' }), 'f')).to.throw(
      TargetError,
      /http/,
    );
  });

  it('reads terraform outputs, without credentials (the caller’s own are used)', () => {
    const outputs = {
      region: { value: 'eu-west-1' },
      user_pool_id: { value: 'eu-west-1_abc' },
      control_function_name: { value: 'ws-control' },
    };
    expect(parseTerraformControlTarget(JSON.stringify(outputs))).to.deep.equal({
      kind: 'deployed',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_abc',
      controlFunction: 'ws-control',
    });
    expect(() => parseTerraformControlTarget(JSON.stringify({ region: { value: 'x' } }))).to.throw(TargetError);
  });
});
