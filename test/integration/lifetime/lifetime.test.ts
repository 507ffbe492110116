// Authorization for the whole life of a connection (issue 8), through the local stack's protocols only: the hosted
// UI and token endpoint for tokens, WebSocket for connections and refreshes, the Lambda Invoke API (SigV4, the
// stack's credentials) for the control function's `revoke`, Cognito's JSON API for revocation at the issuer.
import { expect } from 'chai';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { RunningStack } from '../../../local/stack.ts';
import { refreshTokens, signInWithHostedUi } from '../../../scripts/cli/hosted-ui-sign-in.ts';
import { startTestStack } from '../helpers/stack-helpers.ts';
import { eventually, mustOpen, openClient, type TestClient } from '../helpers/ws-client.ts';

const OTHER = { username: 'mallory', password: 'Mallory-passw0rd!' };
const REVOKEE = { username: 'revokee', password: 'Revokee-passw0rd!' };
const ISSUER_REVOKEE = { username: 'signedout', password: 'Signedout-passw0rd!' };

interface Tokens {
  readonly accessToken: string;
  readonly refreshToken?: string | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
const expOf = (token: string): number => Number(claimsOf(token)['exp']);

function signIn(stack: RunningStack, user = stack.demoUser): Promise<Tokens> {
  return signInWithHostedUi({
    hostedUiUrl: stack.config.hostedUiUrl,
    clientId: stack.config.clientId,
    redirectUri: stack.config.redirectUri,
    username: user.username,
    password: user.password,
  });
}

function renew(stack: RunningStack, tokens: Tokens): Promise<Tokens> {
  if (tokens.refreshToken === undefined) throw new Error('the sign-in returned no refresh token');
  return refreshTokens({
    hostedUiUrl: stack.config.hostedUiUrl,
    clientId: stack.config.clientId,
    refreshToken: tokens.refreshToken,
  });
}

const url = (stack: RunningStack, token: string): string => `${stack.config.websocketUrl}?token=${token}`;

async function refresh(client: TestClient, token: string): Promise<Record<string, unknown>> {
  client.send(JSON.stringify({ action: 'refresh', token }));
  return client.nextJson();
}

/** The connection is still open and served: an echo comes back. */
async function expectEcho(client: TestClient, text: string): Promise<void> {
  client.send(text);
  expect(await client.nextJson()).to.include({ type: 'echo', message: text });
}

async function expectRefused(stack: RunningStack, token: string, status: number): Promise<void> {
  const result = await openClient(url(stack, token));
  if (result.ok) await result.client.close();
  expect(result.ok ? 'opened' : result.status, 'the handshake').to.equal(status);
}

describe('lifetime: refresh in place through the local stack (3-second tokens)', function () {
  this.timeout(60_000);
  let stack: RunningStack;

  before(async () => {
    stack = await startTestStack({ accessTokenTtlSeconds: 3 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('a refresh extends a 3-second token past its original expiry, and messages keep being echoed', async () => {
    const first = await signIn(stack);
    const client = await mustOpen(url(stack, first.accessToken));
    await expectEcho(client, 'before');
    // Warm the refresh function, so the timing below measures nothing but the token's life.
    client.send(JSON.stringify({ action: 'refresh' }));
    expect(await client.nextJson()).to.include({ reason: 'refresh_rejected', detail: 'invalid_request' });
    // A token issued one second later expires one second later: renew as soon as the second has turned.
    await sleep(Math.max(0, (Number(claimsOf(first.accessToken)['iat']) + 1) * 1000 + 50 - Date.now()));
    const renewed = await renew(stack, first);
    expect(expOf(renewed.accessToken)).to.be.above(expOf(first.accessToken));
    expect(await refresh(client, renewed.accessToken)).to.deep.equal({
      type: 'token_refreshed',
      exp: expOf(renewed.accessToken),
    });
    // Past the first token's expiry: the connection lives on the refreshed one.
    await sleep(Math.max(0, expOf(first.accessToken) * 1000 + 300 - Date.now()));
    await expectEcho(client, 'after the first expiry');
    await client.close();
  });

  it('an expired token is rejected (expired) and the connection is kept', async () => {
    const old = await signIn(stack);
    // Past its expiry and the verifier's 5-second clock tolerance.
    await sleep(Math.max(0, (expOf(old.accessToken) + 5) * 1000 + 300 - Date.now()));
    const fresh = await signIn(stack);
    const client = await mustOpen(url(stack, fresh.accessToken));
    expect(await refresh(client, old.accessToken)).to.deep.equal({
      type: 'error',
      reason: 'refresh_rejected',
      detail: 'expired',
    });
    await expectEcho(client, 'still open');
    await client.close();
  });

  it('without a refresh the connection ends at its expiry', async () => {
    const tokens = await signIn(stack);
    const client = await mustOpen(url(stack, tokens.accessToken));
    await sleep(Math.max(0, expOf(tokens.accessToken) * 1000 + 200 - Date.now()));
    client.send('too late');
    expect(await client.nextJson()).to.deep.equal({ type: 'error', reason: 'token_expired' });
    const closed = await client.closed;
    expect(closed.code).to.be.a('number');
  });
});

describe('lifetime: refusals and revocation through the local stack', function () {
  this.timeout(60_000);
  let stack: RunningStack;
  let lambda: LambdaClient;

  before(async () => {
    stack = await startTestStack({
      users: [OTHER, REVOKEE, ISSUER_REVOKEE],
      env: { COGNITO_REVOCATION_CHECK: '1' },
    });
    lambda = new LambdaClient({
      endpoint: stack.config.lambdaEndpoint,
      region: stack.config.region,
      credentials: stack.config.credentials,
    });
  });
  after(async () => {
    lambda?.destroy();
    await stack?.stop();
  });

  async function control(payload: unknown): Promise<Record<string, unknown>> {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: stack.config.functionNames.control,
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    expect(out.FunctionError, 'control function error').to.equal(undefined);
    return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
  }

  it("rejects another user's, an older and a forged token, each with the connection kept", async () => {
    const older = await signIn(stack);
    await sleep(1100);
    const current = await signIn(stack);
    const mallory = await signIn(stack, OTHER);
    const client = await mustOpen(url(stack, current.accessToken));
    const [header, payload, signature] = current.accessToken.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claimsOf(current.accessToken), exp: expOf(current.accessToken) + 86_400 }),
    ).toString('base64url');
    const cases: [string, string][] = [
      [mallory.accessToken, 'sub_mismatch'],
      [older.accessToken, 'not_newer'],
      [`${header}.${forgedPayload}.${signature}`, 'bad_signature'],
      [`${header}.${payload}.${signature.slice(0, -4)}AAAA`, 'bad_signature'],
      ['not-a-token', 'malformed_token'],
    ];
    for (const [token, detail] of cases) {
      expect(await refresh(client, token), detail).to.deep.equal({ type: 'error', reason: 'refresh_rejected', detail });
    }
    await expectEcho(client, 'kept');
    await client.close();
  });

  it('revoke closes every socket of the user within 5 s; the old token and a token refreshed from the revoked session get 401; a fresh sign-in connects', async () => {
    const session = await signIn(stack, REVOKEE);
    const sockets = [await mustOpen(url(stack, session.accessToken)), await mustOpen(url(stack, session.accessToken))];
    const bystander = await mustOpen(url(stack, (await signIn(stack)).accessToken));
    const sub = String(claimsOf(session.accessToken)['sub']);
    const started = Date.now();
    const answer = await control({ op: 'revoke', sub });
    expect(answer['closed']).to.equal(2);
    expect(answer['revokedAt']).to.be.a('number');
    await Promise.all(sockets.map((s) => s.closed));
    expect(Date.now() - started).to.be.below(5000);
    await expectEcho(bystander, 'another user is untouched');

    await expectRefused(stack, session.accessToken, 401);
    const renewed = await renew(stack, session);
    await expectRefused(stack, renewed.accessToken, 401);

    // Second precision: a sign-in in the same second as the revocation is refused too, so wait for the next one.
    await sleep(Math.max(0, (Number(answer['revokedAt']) + 1) * 1000 + 50 - Date.now()));
    const fresh = await signIn(stack, REVOKEE);
    const client = await mustOpen(url(stack, fresh.accessToken));
    await expectEcho(client, 'signed in again');
    await client.close();
    await bystander.close();
  });

  it('with the online check on, a token revoked at the issuer gets 401', async () => {
    const tokens = await signIn(stack, ISSUER_REVOKEE);
    const response = await fetch(new URL('/oauth2/revoke', stack.config.hostedUiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refreshToken ?? '', client_id: stack.config.clientId }),
    });
    expect(response.status).to.equal(200);
    await expectRefused(stack, tokens.accessToken, 401);
    const fresh = await signIn(stack, ISSUER_REVOKEE);
    await eventually(async () => {
      const result = await openClient(url(stack, fresh.accessToken));
      if (result.ok) await result.client.close();
      return result.ok;
    }, 'a fresh sign-in to connect');
  });
});
