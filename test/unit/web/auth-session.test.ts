import { webcrypto } from 'node:crypto';
import { expect } from 'chai';
import sinon from 'sinon';
import { AuthSession, type AuthDeps } from '../../../web/src/auth-session.ts';
import { challengeS256 } from '../../../shared/pkce.ts';
import { PENDING_KEY } from '../../../web/src/sign-in-flow.ts';
import { decodePayload } from '../../../web/src/token-claims.ts';
import { CONFIG, fakeJwt, fixedCrypto, ManualTimers, MemoryStorage } from './helpers.ts';

const T0 = 1_700_000_000_000;
const T0S = T0 / 1000;

function tokenBody(n: number, withRefresh: boolean, lifetime = 3600): string {
  return JSON.stringify({
    access_token: fakeJwt({ sub: 'sub-1', username: 'demo', iat: T0S, exp: T0S + lifetime, n }),
    id_token: fakeJwt({ 'cognito:username': 'demo', n }),
    ...(withRefresh ? { refresh_token: `refresh-${n}` } : {}),
    expires_in: lifetime,
    token_type: 'Bearer',
  });
}

interface Harness {
  auth: AuthSession;
  deps: AuthDeps;
  storage: MemoryStorage;
  timers: ManualTimers;
  fetch: sinon.SinonStub;
  navigate: sinon.SinonSpy;
  replaceUrl: sinon.SinonSpy;
  onChange: sinon.SinonSpy;
  clock: { now: number };
  bodies(): URLSearchParams[];
}

function harness(): Harness {
  const storage = new MemoryStorage();
  const timers = new ManualTimers();
  const fetch = sinon.stub();
  const clock = { now: T0 };
  const deps: AuthDeps = {
    config: CONFIG,
    fetch: fetch,
    storage,
    crypto: fixedCrypto(),
    nowMs: () => clock.now,
    setTimer: timers.set,
    clearTimer: timers.clear,
    navigate: sinon.spy(),
    replaceUrl: sinon.spy(),
    onChange: sinon.spy(),
  };
  return {
    auth: new AuthSession(deps),
    deps,
    storage,
    timers,
    fetch,
    navigate: deps.navigate as sinon.SinonSpy,
    replaceUrl: deps.replaceUrl as sinon.SinonSpy,
    onChange: deps.onChange as sinon.SinonSpy,
    clock,
    bodies: () => fetch.getCalls().map((c) => new URLSearchParams((c.args[1] as { body: string }).body)),
  };
}

function respond(stub: sinon.SinonStub, status: number, body: string): void {
  stub.resolves({ ok: status < 300, status, text: () => Promise.resolve(body) });
}

/** Starts a sign-in and returns the state it sent. */
async function started(h: Harness): Promise<{ state: string; verifier: string }> {
  await h.auth.signIn();
  const url = new URL(h.navigate.lastCall.args[0] as string);
  const pending = JSON.parse(h.storage.getItem(PENDING_KEY) ?? '{}') as { verifier: string };
  return { state: url.searchParams.get('state') ?? '', verifier: pending.verifier };
}

async function signedIn(h: Harness, lifetime = 3600): Promise<void> {
  const { state } = await started(h);
  respond(h.fetch, 200, tokenBody(1, true, lifetime));
  expect(await h.auth.completeSignIn(`http://localhost:3000/?code=the-code&state=${state}`)).to.equal('signed-in');
  h.fetch.resetHistory();
}

describe('web: AuthSession', () => {
  it('signIn keeps state and verifier in sessionStorage and goes to /oauth2/authorize with their S256 challenge', async () => {
    const h = harness();
    const { state, verifier } = await started(h);
    const url = new URL(h.navigate.lastCall.args[0] as string);
    expect(url.pathname).to.equal('/oauth2/authorize');
    expect(state).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge')).to.equal(await challengeS256(webcrypto, verifier));
    expect(state, 'state and verifier must be independent values').to.not.equal(verifier);
  });

  it('completes a matching return: one code exchange with the verifier, code removed from the address bar, tokens only in memory', async () => {
    const h = harness();
    const { state, verifier } = await started(h);
    respond(h.fetch, 200, tokenBody(1, true));
    const outcome = await h.auth.completeSignIn(`http://localhost:3000/?code=the-code&state=${state}`);
    expect(outcome).to.equal('signed-in');
    expect(h.fetch.callCount).to.equal(1);
    const body = h.bodies()[0] as URLSearchParams;
    expect(body.get('grant_type')).to.equal('authorization_code');
    expect(body.get('code')).to.equal('the-code');
    expect(body.get('code_verifier')).to.equal(verifier);
    expect(h.replaceUrl.calledOnceWith('/')).to.equal(true);
    expect(h.auth.claims?.username).to.equal('demo');
    expect(h.storage.map.size, 'nothing may stay in sessionStorage').to.equal(0);
    expect(h.onChange.lastCall.args[0]).to.deep.equal({ level: 'info', text: 'Signed in as demo.' });
  });

  it('refuses a return with the wrong state: no token request, the code still removed, a visible error', async () => {
    const h = harness();
    await started(h);
    const outcome = await h.auth.completeSignIn('http://localhost:3000/?code=the-code&state=forged');
    expect(outcome).to.equal('refused');
    expect(h.fetch.callCount, 'the code must not be exchanged').to.equal(0);
    expect(h.replaceUrl.calledOnceWith('/')).to.equal(true);
    expect(h.auth.signedIn).to.equal(false);
    expect(h.onChange.lastCall.args[0]).to.include({ level: 'error' });
    expect((h.onChange.lastCall.args[0] as { text: string }).text).to.contain('does not match');
  });

  it('the pending sign-in serves one return only: replaying the same callback is refused', async () => {
    const h = harness();
    const { state } = await started(h);
    respond(h.fetch, 200, tokenBody(1, true));
    await h.auth.completeSignIn(`http://localhost:3000/?code=c&state=${state}`);
    const again = new AuthSession(h.deps);
    expect(await again.completeSignIn(`http://localhost:3000/?code=c&state=${state}`)).to.equal('refused');
    expect(h.fetch.callCount).to.equal(1);
  });

  it('leaves an ordinary page load alone', async () => {
    const h = harness();
    await started(h);
    expect(await h.auth.completeSignIn('http://localhost:3000/?tab=2')).to.equal('none');
    expect(h.replaceUrl.called).to.equal(false);
    expect(h.storage.map.has(PENDING_KEY), 'a sign-in in progress must survive an unrelated load').to.equal(true);
  });

  it('reports a failed code exchange and stays signed out', async () => {
    const h = harness();
    const { state } = await started(h);
    respond(h.fetch, 400, '{"error":"invalid_grant"}');
    expect(await h.auth.completeSignIn(`http://localhost:3000/?code=c&state=${state}`)).to.equal('refused');
    expect(h.auth.signedIn).to.equal(false);
    expect((h.onChange.lastCall.args[0] as { text: string }).text).to.contain('invalid_grant');
  });

  it('schedules the renewal a minute before expiry and renews with the refresh token, keeping it', async () => {
    const h = harness();
    await signedIn(h);
    expect(h.timers.delays()).to.deep.equal([3540_000]);
    respond(h.fetch, 200, tokenBody(2, false));
    h.clock.now = T0 + 3540_000;
    h.timers.runAll();
    await h.auth.renew();
    const body = h.bodies()[0] as URLSearchParams;
    expect(Object.fromEntries(body)).to.deep.equal({
      grant_type: 'refresh_token',
      client_id: CONFIG.clientId,
      refresh_token: 'refresh-1',
    });
    expect(
      decodePayload((await h.auth.accessToken()) ?? '')?.['n'],
      'the renewed access token must be the one in use',
    ).to.equal(2);
    // The next renewal still uses the first refresh token (Cognito does not rotate it).
    respond(h.fetch, 200, tokenBody(3, false));
    await h.auth.renew();
    expect((h.bodies()[1] as URLSearchParams).get('refresh_token')).to.equal('refresh-1');
  });

  it('hands each renewed access token to onRenewed (for the open connection), and nothing when renewal fails', async () => {
    const h = harness();
    const renewed: string[] = [];
    h.deps.onRenewed = (token) => renewed.push(token);
    await signedIn(h, 8);
    // An 8-second token is renewed at 80% of its lifetime.
    expect(h.timers.delays()).to.deep.equal([6400]);
    respond(h.fetch, 200, tokenBody(2, false, 8));
    h.clock.now = T0 + 6400;
    h.timers.runAll();
    await h.auth.renew();
    expect(renewed).to.have.length(1);
    expect(decodePayload(renewed[0] as string)?.['n']).to.equal(2);
    respond(h.fetch, 503, 'busy');
    await h.auth.renew();
    expect(renewed).to.have.length(1);
  });

  it('endSession forgets the tokens and the renewal, and tells the page', async () => {
    const h = harness();
    await signedIn(h);
    h.auth.endSession('Your session ended, sign in again.');
    expect(h.auth.signedIn).to.equal(false);
    expect(await h.auth.accessToken()).to.equal(undefined);
    expect(h.timers.delays()).to.deep.equal([]);
    expect(h.onChange.lastCall.args[0]).to.deep.equal({ level: 'error', text: 'Your session ended, sign in again.' });
    const calls = h.onChange.callCount;
    h.auth.endSession('again');
    expect(h.onChange.callCount, 'nothing to end twice').to.equal(calls);
  });

  it('hands out the current token while valid and renews first when it is about to expire; concurrent callers share one renewal', async () => {
    const h = harness();
    await signedIn(h);
    const first = await h.auth.accessToken();
    expect(h.fetch.callCount).to.equal(0);
    h.clock.now = T0 + 3600_000 - 1000;
    respond(h.fetch, 200, tokenBody(2, false));
    const [a, b] = await Promise.all([h.auth.accessToken(), h.auth.accessToken()]);
    expect(h.fetch.callCount).to.equal(1);
    expect(a).to.equal(b);
    expect(a).to.not.equal(first);
  });

  it('retries a failed renewal while the token still works, and signs out when the refresh token is refused', async () => {
    const h = harness();
    await signedIn(h);
    h.clock.now = T0 + 3540_000;
    respond(h.fetch, 503, 'busy');
    expect(await h.auth.renew()).to.equal(false);
    expect(h.auth.signedIn).to.equal(true);
    expect(h.timers.delays()).to.deep.equal([15_000]);
    respond(h.fetch, 400, '{"error":"invalid_grant"}');
    expect(await h.auth.renew()).to.equal(false);
    expect(h.auth.signedIn).to.equal(false);
    expect(h.timers.delays()).to.deep.equal([]);
    expect((h.onChange.lastCall.args[0] as { text: string }).text).to.contain('Sign in again');
  });

  it('signs out when renewal fails after the token has expired', async () => {
    const h = harness();
    await signedIn(h);
    h.clock.now = T0 + 3600_000;
    h.fetch.rejects(new TypeError('Failed to fetch'));
    expect(await h.auth.accessToken()).to.equal(undefined);
    expect(h.auth.signedIn).to.equal(false);
  });

  it('signOut revokes the refresh token, forgets the tokens, then goes to the hosted UI logout', async () => {
    const h = harness();
    await signedIn(h);
    respond(h.fetch, 200, '');
    await h.auth.signOut();
    expect(h.fetch.firstCall.args[0]).to.equal(`${CONFIG.hostedUiUrl}/oauth2/revoke`);
    expect((h.bodies()[0] as URLSearchParams).get('token')).to.equal('refresh-1');
    expect(h.auth.signedIn).to.equal(false);
    expect(h.timers.delays(), 'no renewal may fire after sign-out').to.deep.equal([]);
    const logout = new URL(h.navigate.lastCall.args[0] as string);
    expect(logout.pathname).to.equal('/logout');
    expect(logout.searchParams.get('logout_uri')).to.equal(CONFIG.logoutUri);
  });

  it('signOut still reaches the hosted UI logout when revocation fails', async () => {
    const h = harness();
    await signedIn(h);
    h.fetch.rejects(new TypeError('Failed to fetch'));
    await h.auth.signOut();
    expect(new URL(h.navigate.lastCall.args[0] as string).pathname).to.equal('/logout');
  });
});
