import { expect } from 'chai';
import sinon from 'sinon';
import {
  parseTokenResponse,
  postForm,
  requestTokens,
  TokenError,
  type FetchLike,
} from '../../../web/src/token-client.ts';
import { codeExchangeRequest, refreshRequest } from '../../../web/src/urls.ts';
import { CONFIG } from './helpers.ts';
import { rejectionOf } from '../../support/failures.ts';

const GOOD = { access_token: 'a.b.c', id_token: 'd.e.f', refresh_token: 'r', expires_in: 3600, token_type: 'Bearer' };

function answering(status: number, body: string): FetchLike & sinon.SinonSpy {
  return sinon.spy(() =>
    Promise.resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(body) }),
  );
}

function rejection(promise: Promise<unknown>): Promise<TokenError> {
  return rejectionOf(promise, TokenError);
}

describe('web: token endpoint client', () => {
  it('POSTs the form URL-encoded and returns the validated tokens', async () => {
    const fetch = answering(200, JSON.stringify(GOOD));
    const tokens = await requestTokens(codeExchangeRequest(CONFIG, 'code', 'v'.repeat(43)), true, { fetch });
    expect(tokens).to.deep.equal({
      accessToken: 'a.b.c',
      idToken: 'd.e.f',
      refreshToken: 'r',
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
    const [url, init] = fetch.firstCall.args as Parameters<FetchLike>;
    expect(url).to.equal(`${CONFIG.hostedUiUrl}/oauth2/token`);
    expect(init.method).to.equal('POST');
    expect(init.headers['Content-Type']).to.equal('application/x-www-form-urlencoded');
    expect(new URLSearchParams(init.body).get('code')).to.equal('code');
    expect(init.signal).to.be.instanceOf(AbortSignal);
  });

  it('accepts a refresh answer without a refresh token', async () => {
    const { refresh_token: _r, ...rest } = GOOD;
    const tokens = await requestTokens(refreshRequest(CONFIG, 'r'), false, {
      fetch: answering(200, JSON.stringify(rest)),
    });
    expect(tokens).to.not.have.property('refreshToken');
  });

  it('requires a refresh token from the code exchange', () => {
    const { refresh_token: _r, ...rest } = GOOD;
    expect(() => parseTokenResponse(JSON.stringify(rest), true)).to.throw(TokenError, 'refresh_token');
  });

  it('refuses malformed token responses', () => {
    const cases: [unknown, string][] = [
      ['not json', 'JSON'],
      [[GOOD], 'object'],
      [{ ...GOOD, token_type: 'mac' }, 'Bearer'],
      [{ ...GOOD, expires_in: '3600' }, 'expires_in'],
      [{ ...GOOD, expires_in: 0 }, 'expires_in'],
      [{ ...GOOD, access_token: '' }, 'access_token'],
      [{ ...GOOD, id_token: 5 }, 'id_token'],
      [{ ...GOOD, access_token: 'x'.repeat(17 * 1024) }, 'access_token'],
    ];
    for (const [body, words] of cases) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      expect(() => parseTokenResponse(text, true), words).to.throw(TokenError, words);
    }
  });

  it('reports an OAuth error code from a refusal, and the status otherwise', async () => {
    const refused = await rejection(
      requestTokens(refreshRequest(CONFIG, 'r'), false, { fetch: answering(400, '{"error":"invalid_grant"}') }),
    );
    expect(refused.code).to.equal('invalid_grant');
    expect(refused.message).to.contain('400 invalid_grant');
    const broken = await rejection(
      requestTokens(refreshRequest(CONFIG, 'r'), false, { fetch: answering(502, '<html>bad gateway</html>') }),
    );
    expect(broken.code).to.equal('http_502');
  });

  it('says when the endpoint cannot be reached', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const err = await rejection(postForm(refreshRequest(CONFIG, 'r'), { fetch }));
    expect(err.code).to.equal('network');
    expect(err.cause, 'the fetch failure is kept as the cause').to.be.instanceOf(TypeError);
  });

  it('gives up after the timeout, aborting the request', async () => {
    let signal: AbortSignal | undefined;
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        signal = init.signal;
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const err = await rejection(postForm(refreshRequest(CONFIG, 'r'), { fetch, timeoutMs: 20 }));
    expect(err.code).to.equal('timeout');
    expect(signal?.aborted).to.equal(true);
  });

  it('refuses an oversized body', async () => {
    const err = await rejection(
      postForm(refreshRequest(CONFIG, 'r'), { fetch: answering(200, 'x'.repeat(65 * 1024)) }),
    );
    expect(err.message).to.contain('oversized');
  });
});
