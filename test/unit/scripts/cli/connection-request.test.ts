// Where the CLI puts the token (scripts/cli/connection-request.ts).
import { expect } from 'chai';
import { connectionRequest } from '../../../../scripts/cli/connection-request.ts';
import { parseLocalConfig } from '../../../../scripts/cli/target.ts';

describe('CLI connection request', () => {
  it('puts the token where the mode says', () => {
    const target = parseLocalConfig(
      JSON.stringify({
        websocketUrl: 'ws://h/dev',
        hostedUiUrl: 'http://i',
        clientId: 'c',
        redirectUri: 'http://localhost:1/',
      }),
      'f',
    );
    expect(connectionRequest(target, 't.o.k', 'query').url).to.equal('ws://h/dev?token=t.o.k');
    expect(connectionRequest(target, 't', 'header').headers).to.deep.equal({ Authorization: 'Bearer t' });
    expect(connectionRequest(target, 't', 'protocol').protocols).to.deep.equal(['bearer', 't']);
  });
});
