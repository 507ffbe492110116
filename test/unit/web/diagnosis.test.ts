import { expect } from 'chai';
import {
  diagnose,
  diagnoseHandshake,
  gatewayHttpUrl,
  probeGateway,
  probeUserInfo,
  REFUSED_MESSAGE,
  SESSION_ENDED_MESSAGE,
  UNCHECKED_MESSAGE,
  UNREACHABLE_MESSAGE,
  type ProbeFetch,
} from '../../../web/src/diagnosis.ts';

type Call = { url: string; init: Parameters<ProbeFetch>[1] };

/** A fetch that answers per URL prefix: a status, or a network failure. */
function fakeFetch(answers: Record<string, number | 'network_error'>): ProbeFetch & { calls: Call[] } {
  const calls: Call[] = [];
  const fetch = (url: string, init: Parameters<ProbeFetch>[1]): Promise<{ status: number }> => {
    calls.push({ url, init });
    const key = Object.keys(answers).find((prefix) => url.startsWith(prefix));
    const answer = key === undefined ? 'network_error' : answers[key];
    if (answer === 'network_error') return Promise.reject(new TypeError('Failed to fetch'));
    return Promise.resolve({ status: answer as number });
  };
  return Object.assign(fetch, { calls });
}

const WS = 'wss://abc.execute-api.eu-west-1.amazonaws.com/prod';
const HOSTED = 'https://demo.auth.eu-west-1.amazoncognito.com';
const NOW = 1_700_000_000_000;

describe('web: handshake diagnosis', () => {
  it('maps the stage URL to http(s), without query or fragment', () => {
    expect(gatewayHttpUrl(WS)).to.equal('https://abc.execute-api.eu-west-1.amazonaws.com/prod');
    expect(gatewayHttpUrl('ws://127.0.0.1:3001/dev?token=x')).to.equal('http://127.0.0.1:3001/dev');
  });

  describe('probeGateway', () => {
    it('calls any HTTP answer reachable (an opaque no-cors GET without credentials)', async () => {
      for (const status of [0, 403, 426, 500]) {
        const fetch = fakeFetch({ 'https://abc.': status });
        expect(await probeGateway(WS, fetch), String(status)).to.equal('reachable');
        expect(fetch.calls[0]?.init).to.include({ method: 'GET', mode: 'no-cors', credentials: 'omit' });
        expect(fetch.calls[0]?.init.headers, 'the gateway probe carries no token').to.equal(undefined);
      }
    });

    it('calls a network failure or timeout unreachable', async () => {
      expect(await probeGateway(WS, fakeFetch({}))).to.equal('unreachable');
      const hanging: ProbeFetch = (_url, init) =>
        new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
      expect(await probeGateway(WS, hanging, 20)).to.equal('unreachable');
    });
  });

  describe('probeUserInfo', () => {
    it('asks userInfo with the bearer token: 200 accepted, 400/401 rejected, anything else unknown', async () => {
      const cases: [number | 'network_error', string][] = [
        [200, 'accepted'],
        [401, 'rejected'],
        [400, 'rejected'],
        [403, 'unknown'],
        [500, 'unknown'],
        [429, 'unknown'],
        ['network_error', 'unknown'],
      ];
      for (const [answer, expected] of cases) {
        const fetch = fakeFetch({ [`${HOSTED}/oauth2/userInfo`]: answer });
        expect(await probeUserInfo(HOSTED, 'tok', ['openid'], fetch), String(answer)).to.equal(expected);
        expect(fetch.calls[0]?.init.headers).to.deep.equal({ Authorization: 'Bearer tok' });
        expect(fetch.calls[0]?.init).to.include({ mode: 'cors', credentials: 'omit' });
      }
    });

    it('does not ask without the openid scope (userInfo would refuse the token anyway)', async () => {
      const fetch = fakeFetch({ [HOSTED]: 200 });
      expect(await probeUserInfo(HOSTED, 'tok', ['email'], fetch)).to.equal('unknown');
      expect(fetch.calls).to.have.length(0);
    });
  });

  describe('diagnose', () => {
    it('unreachable gateway: says so and retries, whatever else is known', () => {
      expect(diagnose({ gateway: 'unreachable', tokenExpired: true })).to.deep.equal({
        cause: 'unreachable',
        message: UNREACHABLE_MESSAGE,
        retry: true,
      });
      expect(UNREACHABLE_MESSAGE.toLowerCase()).to.contain('server unreachable, retrying');
    });

    it('expired token or a token the issuer rejects: the session ended, no retry', () => {
      for (const facts of [
        { gateway: 'reachable', tokenExpired: true },
        { gateway: 'reachable', tokenExpired: false, userInfo: 'rejected' },
      ] as const) {
        expect(diagnose(facts)).to.deep.equal({ cause: 'session_ended', message: SESSION_ENDED_MESSAGE, retry: false });
      }
      expect(SESSION_ENDED_MESSAGE.toLowerCase()).to.contain('your session ended, sign in again');
    });

    it('issuer accepts, gateway refuses: not allowed, no retry', () => {
      expect(diagnose({ gateway: 'reachable', tokenExpired: false, userInfo: 'accepted' })).to.deep.equal({
        cause: 'refused',
        message: REFUSED_MESSAGE,
        retry: false,
      });
      expect(REFUSED_MESSAGE.toLowerCase()).to.contain(
        'signed in but the server refused the connection (not allowed?)',
      );
    });

    it('issuer not answering: claims nothing about the token and retries', () => {
      expect(diagnose({ gateway: 'reachable', tokenExpired: false, userInfo: 'unknown' })).to.deep.equal({
        cause: 'unchecked',
        message: UNCHECKED_MESSAGE,
        retry: true,
      });
    });
  });

  describe('diagnoseHandshake', () => {
    const deps = (fetch: ProbeFetch) => ({
      websocketUrl: WS,
      hostedUiUrl: HOSTED,
      scopes: ['openid'],
      fetch,
      nowMs: () => NOW,
    });

    it('asks nothing more once the gateway is unreachable', async () => {
      const fetch = fakeFetch({ [HOSTED]: 200 });
      expect((await diagnoseHandshake(deps(fetch), 'tok', NOW / 1000 + 60)).cause).to.equal('unreachable');
      expect(fetch.calls.map((c) => c.url)).to.deep.equal([gatewayHttpUrl(WS)]);
    });

    it('does not ask userInfo about an expired token', async () => {
      const fetch = fakeFetch({ 'https://abc.': 403, [HOSTED]: 200 });
      expect((await diagnoseHandshake(deps(fetch), 'tok', NOW / 1000)).cause).to.equal('session_ended');
      expect(fetch.calls).to.have.length(1);
    });

    it('asks userInfo when the gateway answers and the token is current', async () => {
      const refusedFetch = fakeFetch({ 'https://abc.': 403, [HOSTED]: 200 });
      expect((await diagnoseHandshake(deps(refusedFetch), 'tok', NOW / 1000 + 60)).cause).to.equal('refused');
      const endedFetch = fakeFetch({ 'https://abc.': 403, [HOSTED]: 401 });
      expect((await diagnoseHandshake(deps(endedFetch), 'tok', undefined)).cause).to.equal('session_ended');
    });
  });
});
