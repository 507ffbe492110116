// RFC 9700 and Cognito hardening of the hosted UI, through HTTP: the password lockout, and pending sign-in forms
// that a flood of anonymous authorize requests cannot evict.
import { Agent, request } from 'node:http';
import { expect } from 'chai';
import {
  DEMO,
  authorizeParams,
  cookieHeader,
  cookiesOf,
  get,
  postForm,
  requestIdOf,
  startTestIssuer,
  type TestIssuer,
} from './helpers.ts';

describe('issuer: sign-in hardening', function () {
  let issuer: TestIssuer;
  before(async function () {
    issuer = await startTestIssuer({
      users: [
        { username: 'demo', password: DEMO.password },
        { username: 'victim', password: DEMO.password },
        { username: 'racer', password: DEMO.password },
      ],
    });
  });
  after(() => issuer.close());

  async function openForm(): Promise<{ html: string; cookie: string }> {
    const { params } = await authorizeParams();
    const page = await get(`${issuer.authorizeUrl}?${params}`);
    expect(page.response.status).to.equal(200);
    return { html: page.html, cookie: cookieHeader(cookiesOf(page.response)) };
  }

  async function attempt(form: { html: string; cookie: string }, username: string, password: string) {
    const result = await postForm(
      `${issuer.url}/login`,
      { request_id: requestIdOf(form.html), username, password },
      form.cookie,
    );
    return { status: result.response.status, html: result.html, form: { html: result.html, cookie: form.cookie } };
  }

  describe('lockout after 5 failed passwords', function () {
    it('refuses even the right password during a growing lock, with a clear message, then lets it through', async function () {
      let form = await openForm();
      for (let i = 1; i <= 5; i++) {
        const wrong = await attempt(form, 'victim', `Wrong-passw0rd-${i}`);
        expect(wrong.html, `failure ${i}`).to.contain('Incorrect username or password.');
        form = wrong.form;
      }
      // Locked for 1 s: the right password is refused without being checked.
      const locked = await attempt(form, 'victim', DEMO.password);
      expect(locked.status).to.equal(200);
      expect(locked.html).to.contain('Password attempts exceeded').and.contain('try again in 1 second');
      form = locked.form;
      issuer.clock.advance(1);
      const sixth = await attempt(form, 'VICTIM', 'Wrong-passw0rd-6'); // usernames are case-insensitive
      expect(sixth.html).to.contain('Incorrect username or password.');
      const lockedLonger = await attempt(sixth.form, 'victim', DEMO.password);
      expect(lockedLonger.html).to.contain('Password attempts exceeded').and.contain('try again in 2 seconds');
      // Another user is not affected by the lock.
      const other = await attempt(await openForm(), 'demo', DEMO.password);
      expect(other.status).to.equal(302);
      issuer.clock.advance(2);
      const ok = await attempt(lockedLonger.form, 'victim', DEMO.password);
      expect(ok.status).to.equal(302);
      // Success reset the count: one failure does not lock again.
      const after = await attempt(await openForm(), 'victim', 'Wrong-passw0rd-7');
      const again = await attempt(after.form, 'victim', DEMO.password);
      expect(again.status).to.equal(302);
    });

    it('locks under 30 concurrent guesses too: at most 5 passwords checked, the right one (last) refused', async function () {
      // Pending forms are stateless, so an attacker can hold many and post them at once: each attempt must count
      // before the slow password hash, or all of them pass the lock check together.
      const forms = await Promise.all(Array.from({ length: 30 }, () => openForm()));
      const wrong = forms.slice(0, 29).map((form, i) => attempt(form, 'racer', `Wrong-passw0rd-${i}`));
      // The right password follows while the wrong ones are still being hashed (old code: all 29 pass the check).
      const right = new Promise<void>((resolve) => setTimeout(resolve, 250)).then(() =>
        attempt(forms[29]!, 'racer', DEMO.password),
      );
      const results = await Promise.all(wrong);
      const checked = results.filter((r) => !r.html.includes('Password attempts exceeded'));
      expect(checked.length, 'wrong passwords checked past the 5-failure lockout').to.equal(5);
      const last = await right;
      expect(last.status, 'the right password sent during the lock').to.equal(200);
      expect(last.html).to.contain('Password attempts exceeded');
      // Still locked afterwards (the clock is the test's): the right password is refused until the lock ends.
      const during = await attempt(await openForm(), 'racer', DEMO.password);
      expect(during.html).to.contain('Password attempts exceeded');
      issuer.clock.advance(1);
      expect((await attempt(await openForm(), 'racer', DEMO.password)).status).to.equal(302);
    });

    it('locks an unknown username the same way, so a lock reveals nothing', async function () {
      let form = await openForm();
      for (let i = 0; i < 5; i++) form = (await attempt(form, 'nobody-here', `Wrong-passw0rd-${i}`)).form;
      const locked = await attempt(form, 'nobody-here', DEMO.password);
      expect(locked.html).to.contain('Password attempts exceeded');
    });
  });

  describe('pending forms under a flood of anonymous authorize requests', function () {
    it('keeps a user form usable after 10,000 anonymous /oauth2/authorize requests', async function () {
      this.timeout(120_000);
      const mine = await openForm();
      const agent = new Agent({ keepAlive: true, maxSockets: 32 });
      const { params } = await authorizeParams();
      const url = new URL(`${issuer.authorizeUrl}?${params}`);
      const statuses = new Map<number, number>();
      let sent = 0;
      const worker = async () => {
        while (sent < 10_000) {
          sent++;
          const status = await getStatus(url, agent);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
      agent.destroy();
      expect(Object.fromEntries(statuses)).to.deep.equal({ 200: 10_000 });
      const result = await attempt(mine, DEMO.username, DEMO.password);
      expect(result.status).to.equal(302);
    });
  });
});

/** One GET on a keep-alive agent; the status code. */
function getStatus(url: URL, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}
