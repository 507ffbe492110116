import { expect } from 'chai';
import type { AuthorizeRequest } from '../../../../local/issuer/authorize-params.ts';
import { PendingForms } from '../../../../local/issuer/pending-forms.ts';

const REQUEST: AuthorizeRequest = {
  clientId: 'localwebclient',
  redirectUri: 'http://localhost:3000/',
  scopes: ['openid'],
  codeChallenge: 'x'.repeat(43),
  state: 's',
};

describe('issuer pending sign-in forms', function () {
  let now: number;
  let forms: PendingForms;
  beforeEach(function () {
    now = 1_000_000;
    forms = new PendingForms({ ttlMs: 60_000, now: () => now });
  });

  it('gives back the request once, to the browser it was shown to', function () {
    const token = forms.issue(REQUEST, 'cookie-a');
    expect(forms.take(token, 'cookie-a')).to.deep.equal({ ok: true, request: REQUEST });
    expect(forms.take(token, 'cookie-a')).to.deep.equal({ ok: false, reason: 'used' });
  });

  it('refuses another browser, without consuming the form', function () {
    const token = forms.issue(REQUEST, 'cookie-a');
    expect(forms.take(token, 'cookie-b')).to.deep.equal({ ok: false, reason: 'binding_mismatch' });
    expect(forms.take(token, 'cookie-a').ok).to.equal(true);
  });

  it('refuses an expired form', function () {
    const token = forms.issue(REQUEST, 'cookie-a');
    now += 60_000;
    expect(forms.take(token, 'cookie-a')).to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('refuses a tampered or foreign form', function () {
    const token = forms.issue(REQUEST, 'cookie-a');
    const [body, mac] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as { request: AuthorizeRequest };
    payload.request.redirectUri = 'https://evil.example/';
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
    expect(forms.take(forged, 'cookie-a')).to.deep.equal({ ok: false, reason: 'bad_signature' });
    const other = new PendingForms({ ttlMs: 60_000, now: () => now });
    expect(other.take(token, 'cookie-a')).to.deep.equal({ ok: false, reason: 'bad_signature' });
    expect(forms.take('not a token', 'cookie-a')).to.deep.equal({ ok: false, reason: 'malformed' });
    expect(forms.take('a.b.c', 'cookie-a')).to.deep.equal({ ok: false, reason: 'malformed' });
    expect(forms.take(`${'a'.repeat(12_001)}.b`, 'cookie-a')).to.deep.equal({ ok: false, reason: 'malformed' });
  });

  it('keeps no state for forms shown, so 10,000 anonymous ones evict nothing', function () {
    const mine = forms.issue(REQUEST, 'mine');
    for (let i = 0; i < 10_000; i++) forms.issue(REQUEST, `flood-${i}`);
    expect(forms.take(mine, 'mine').ok).to.equal(true);
  });
});
