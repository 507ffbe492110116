// Issue 14 end to end: a custom claim the local issuer puts in the demo user's tokens (`custom:tenant` from
// LOCAL_USER_CLAIMS, standing in for a Cognito custom attribute) travels through the authorizer context (`claim_custom_tenant`)
// to the connection item (`claims`, keyed by the original name) and into `$default`'s echo.
import { expect } from 'chai';
import type { RunningStack } from '../../../local/stack.ts';
import { unmarshalConnectionItem } from '../../../functions/shared/connection-item.ts';
import { accessToken, dynamo, getItem, startTestStack } from '../helpers/stack-helpers.ts';
import { openClient } from '../helpers/ws-client.ts';

describe('claims: custom:tenant from the issuer to the echo (issue 14)', function () {
  this.timeout(60_000);
  let stack: RunningStack;

  before(async () => {
    // As `make local` reads them: the issuer's extra claims per user, and the claims the authorizer and $connect copy.
    stack = await startTestStack({
      env: {
        LOCAL_USER_CLAIMS: JSON.stringify({ demo: { 'custom:tenant': 'globex' } }),
        CONTEXT_CLAIMS: 'custom:tenant',
      },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  it('stores the claim under claims and shows it in the echo', async () => {
    const token = await accessToken(stack);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(payload['custom:tenant']).to.equal('globex');

    const opened = await openClient(`${stack.config.websocketUrl}?token=${token}`);
    if (!opened.ok) throw new Error(`handshake refused: ${opened.status}`);
    const client = opened.client;
    try {
      client.send('{"hello":"tenant"}');
      const echo = await client.nextJson<{ type: string; connection: { connectionId: string; claims: unknown } }>();
      expect(echo.type).to.equal('echo');
      expect(echo.connection.claims).to.deep.equal({ 'custom:tenant': 'globex' });

      const raw = await getItem(dynamo(stack), stack.config.tableName, echo.connection.connectionId);
      expect(raw?.['claims']).to.deep.equal({ M: { 'custom:tenant': { S: 'globex' } } });
      const item = unmarshalConnectionItem(raw);
      expect(item.ok && item.item.claims).to.deep.equal({ 'custom:tenant': 'globex' });
    } finally {
      await client.close();
    }
  });
});
