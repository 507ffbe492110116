import { expect } from 'chai';
import { Readable } from 'node:stream';
import {
  ADMIN_SCOPE,
  createCognitoCheck,
  type CognitoCheckConfig,
} from '../../../functions/shared/token/cognito-check.ts';
import type { HttpRequest, HttpRequestOptions } from '../../../functions/shared/token/http-request.ts';

const NOW_MS = 1_750_000_000_000;
const EXP = NOW_MS / 1000 + 3600;
const TOKEN = 'header.payload.signature-secret';
const config: CognitoCheckConfig = {
  getUserEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
  userInfoEndpoint: 'https://auth.example.com/oauth2/userInfo',
  uncheckable: 'deny',
  onError: 'deny',
};

interface Call {
  url: string;
  options: HttpRequestOptions;
}

/** A transport answering `status` with `body`, recording each call. */
function transport(answer: (call: Call) => { status: number; body?: string } | 'hang' | 'throw'): {
  request: HttpRequest;
  calls: Call[];
} {
  const calls: Call[] = [];
  const request: HttpRequest = (url, options) => {
    const call = { url, options };
    calls.push(call);
    const a = answer(call);
    if (a === 'throw') return Promise.reject(new Error('ECONNREFUSED'));
    if (a === 'hang')
      return new Promise((_resolve, reject) =>
        options.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      );
    return Promise.resolve({
      status: a.status,
      contentLength: undefined,
      body: Readable.from([Buffer.from(a.body ?? '')]),
      cancel: () => undefined,
    });
  };
  return { request, calls };
}

describe('token: Cognito online revocation check', () => {
  let clock = NOW_MS;
  const now = (): number => clock;
  beforeEach(() => (clock = NOW_MS));

  it('asks GetUser (JSON API, X-Amz-Target) for tokens with the admin scope and accepts a 200', async () => {
    const t = transport(() => ({ status: 200, body: '{"Username":"jane"}' }));
    const check = createCognitoCheck({ config, request: t.request, now });
    expect(await check.check(TOKEN, ['openid', ADMIN_SCOPE], EXP)).to.deep.equal({
      ok: true,
      via: 'get_user',
      cached: false,
    });
    expect(t.calls).to.have.length(1);
    const [call] = t.calls;
    expect(call?.url).to.equal(config.getUserEndpoint);
    expect(call?.options.method).to.equal('POST');
    expect(call?.options.headers).to.deep.include({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser',
    });
    expect(JSON.parse(call?.options.body ?? '')).to.deep.equal({ AccessToken: TOKEN });
  });

  it('refuses (revoked_at_issuer) on NotAuthorizedException, UserNotFoundException and the like', async () => {
    for (const type of [
      'NotAuthorizedException',
      'com.amazonaws.cognito#UserNotFoundException',
      'PasswordResetRequiredException',
      'UserNotConfirmedException',
    ]) {
      const t = transport(() => ({
        status: 400,
        body: JSON.stringify({ __type: type, message: 'Access Token has been revoked' }),
      }));
      const check = createCognitoCheck({ config: { ...config, onError: 'allow' }, request: t.request, now });
      const result = await check.check(TOKEN, [ADMIN_SCOPE], EXP);
      expect(result, type).to.deep.include({ ok: false, reason: 'revoked_at_issuer', via: 'get_user' });
    }
  });

  it('uses userInfo (Bearer) for tokens with openid but not the admin scope; 401 is a refusal', async () => {
    const t = transport(() => ({ status: 401, body: '{"error":"invalid_token"}' }));
    const check = createCognitoCheck({ config, request: t.request, now });
    expect(await check.check(TOKEN, ['openid', 'email'], EXP)).to.deep.include({
      ok: false,
      reason: 'revoked_at_issuer',
      via: 'user_info',
    });
    expect(t.calls[0]?.url).to.equal(config.userInfoEndpoint);
    expect(t.calls[0]?.options.method).to.equal('GET');
    expect(t.calls[0]?.options.headers?.['authorization']).to.equal(`Bearer ${TOKEN}`);
  });

  it('answers tokens with neither scope by COGNITO_REVOCATION_UNCHECKABLE, without any call', async () => {
    const t = transport(() => ({ status: 200 }));
    const deny = createCognitoCheck({ config, request: t.request, now });
    expect(await deny.check(TOKEN, ['email'], EXP)).to.deep.equal({
      ok: false,
      reason: 'revocation_uncheckable',
      via: 'none',
    });
    const allow = createCognitoCheck({ config: { ...config, uncheckable: 'allow' }, request: t.request, now });
    expect(await allow.check(TOKEN, [], EXP)).to.deep.equal({ ok: true, via: 'none', cached: false });
    expect(t.calls).to.have.length(0);
  });

  it('applies COGNITO_REVOCATION_ON_ERROR to failures that are not an answer (5xx, throttling, network)', async () => {
    const answers: (() => { status: number; body?: string } | 'throw')[] = [
      () => ({ status: 500 }),
      () => ({ status: 400, body: '{"__type":"TooManyRequestsException"}' }),
      () => ({ status: 403, body: 'WAF' }),
      () => 'throw',
    ];
    for (const answer of answers) {
      const deny = createCognitoCheck({ config, request: transport(answer).request, now });
      expect(await deny.check(TOKEN, [ADMIN_SCOPE], EXP)).to.deep.include({
        ok: false,
        reason: 'revocation_check_failed',
      });
      const allow = createCognitoCheck({
        config: { ...config, onError: 'allow' },
        request: transport(answer).request,
        now,
      });
      expect(await allow.check(TOKEN, [ADMIN_SCOPE], EXP)).to.deep.include({ ok: true, cached: false });
    }
  });

  it('gives up after the time limit (fail closed by default)', async () => {
    const t = transport(() => 'hang');
    const check = createCognitoCheck({ config, request: t.request, now, timeoutMs: 50 });
    const started = Date.now();
    const result = await check.check(TOKEN, [ADMIN_SCOPE], EXP);
    expect(Date.now() - started).to.be.below(1000);
    expect(result).to.deep.include({ ok: false, reason: 'revocation_check_failed' });
    expect(result.error).to.include('no answer within 50 ms');
  });

  it('caches positive answers for at most 60 s (and never past exp), never negative ones', async () => {
    let status = 200;
    const t = transport(() => ({ status }));
    const check = createCognitoCheck({ config, request: t.request, now });
    await check.check(TOKEN, [ADMIN_SCOPE], EXP);
    clock += 59_000;
    expect(await check.check(TOKEN, [ADMIN_SCOPE], EXP)).to.deep.equal({ ok: true, via: 'get_user', cached: true });
    expect(t.calls).to.have.length(1);
    clock += 1_000;
    status = 400;
    expect(await check.check(TOKEN, [ADMIN_SCOPE], EXP)).to.deep.include({ ok: false });
    expect(t.calls).to.have.length(2);
    expect(await check.check(TOKEN, [ADMIN_SCOPE], EXP)).to.deep.include({ ok: false });
    expect(t.calls).to.have.length(3);

    const shortExp = clock / 1000 + 10;
    status = 200;
    await check.check('other.token.x', [ADMIN_SCOPE], shortExp);
    clock += 10_000;
    await check.check('other.token.x', [ADMIN_SCOPE], shortExp);
    expect(t.calls).to.have.length(5);
  });

  it('shares one call among concurrent checks of the same token', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    const request: HttpRequest = async (url) => {
      calls.push(url);
      await gate;
      return { status: 200, contentLength: 0, body: Readable.from([]), cancel: () => undefined };
    };
    const check = createCognitoCheck({ config, request, now });
    const all = Promise.all([1, 2, 3].map(() => check.check(TOKEN, [ADMIN_SCOPE], EXP)));
    release();
    expect((await all).every((r) => r.ok)).to.equal(true);
    expect(calls).to.have.length(1);
  });

  it('bounds its cache, evicting the oldest answer first', async () => {
    const t = transport(() => ({ status: 200 }));
    const check = createCognitoCheck({ config, request: t.request, now, maxEntries: 2 });
    for (const tok of ['a.a.a', 'b.b.b', 'c.c.c']) await check.check(tok, [ADMIN_SCOPE], EXP);
    // The oldest entry was evicted: asking again calls again; the newest is still cached.
    await check.check('c.c.c', [ADMIN_SCOPE], EXP);
    expect(t.calls).to.have.length(3);
    await check.check('a.a.a', [ADMIN_SCOPE], EXP);
    expect(t.calls).to.have.length(4);
  });
});
