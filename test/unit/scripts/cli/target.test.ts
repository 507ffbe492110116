// Where the CLI finds the stack (scripts/cli/target.ts).
import { expect } from 'chai';
import { parseLocalConfig, parseTerraformOutputs, TargetError } from '../../../../scripts/cli/target.ts';

describe('CLI target', () => {
  it('reads stack.json and terraform outputs, refusing incomplete ones', () => {
    const local = parseLocalConfig(
      JSON.stringify({
        websocketUrl: 'ws://127.0.0.1:3001/dev',
        hostedUiUrl: 'http://127.0.0.1:9229',
        clientId: 'c',
        redirectUri: 'http://localhost:3000/',
      }),
      'f',
    );
    expect(local).to.include({ kind: 'local', tokenQueryParam: 'token' });
    expect(() => parseLocalConfig('{}', 'f')).to.throw(TargetError, /websocketUrl/);
    expect(() => parseLocalConfig('nope', 'f')).to.throw(TargetError, /not JSON/);
    const deployed = parseTerraformOutputs(
      JSON.stringify({
        websocket_url: { value: 'wss://a.execute-api.eu-west-1.amazonaws.com/dev' },
        hosted_ui_url: { value: 'https://x.auth.eu-west-1.amazoncognito.com' },
        client_id: { value: 'c' },
        redirect_uri: { value: 'http://localhost:3000/' },
        token_query_param: { value: 'access_token' },
        scopes: { value: ['openid'] },
      }),
    );
    expect(deployed).to.include({ kind: 'deployed', tokenQueryParam: 'access_token' });
    expect(deployed.scopes).to.deep.equal(['openid']);
    expect(() => parseTerraformOutputs(JSON.stringify({ websocket_url: { value: 'http://x' } }))).to.throw(
      TargetError,
      /websocket_url/,
    );
  });
});
