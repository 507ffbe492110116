// LOCAL_USER_CLAIMS through the issuer: extra claims reach a user's access and ID tokens (and refreshed ones),
// custom:* ones show as attributes at userInfo; a bad configuration stops the issuer with a clear message.
import { expect } from 'chai';
import { parseUserClaims } from '../../../local/issuer/index.ts';
import { CLIENT_ID, DEMO, decodeJwt, obtainCode, postToken, redeem, startTestIssuer } from './helpers.ts';

describe('issuer: extra user claims (LOCAL_USER_CLAIMS)', function () {
  it('adds the configured claims to the named user’s tokens only, and keeps them on refresh', async function () {
    const parsed = parseUserClaims('{"demo":{"custom:tenant":"globex","tier":2},"alice":{"custom:tenant":"initech"}}');
    if (!parsed.ok) throw new Error(parsed.reason);
    const issuer = await startTestIssuer({
      userClaims: parsed.claims,
      users: [
        { username: 'demo', password: DEMO.password, email: 'demo@example.com' },
        { username: 'bob', password: DEMO.password },
      ],
    });
    try {
      const { body } = await redeem(issuer, await obtainCode(issuer));
      expect(decodeJwt(String(body.access_token)).payload).to.include({ 'custom:tenant': 'globex', tier: 2 });
      expect(decodeJwt(String(body.id_token)).payload).to.include({ 'custom:tenant': 'globex', tier: 2 });
      const info = (await (
        await fetch(issuer.userInfoUrl, { headers: { Authorization: `Bearer ${String(body.access_token)}` } })
      ).json()) as Record<string, unknown>;
      expect(info['custom:tenant']).to.equal('globex');
      expect(info).to.not.have.property('tier'); // not a custom attribute
      const refreshed = await postToken(issuer, {
        grant_type: 'refresh_token',
        client_id: CLIENT_ID,
        refresh_token: String(body.refresh_token),
      });
      expect(decodeJwt(String(refreshed.body.access_token)).payload['custom:tenant']).to.equal('globex');
      const bob = await redeem(issuer, await obtainCode(issuer, {}, { username: 'bob', password: DEMO.password }));
      expect(decodeJwt(String(bob.body.access_token)).payload).to.not.have.property('custom:tenant');
    } finally {
      await issuer.close();
    }
  });

  it('gives demo custom:tenant = acme by default, and nothing with {}', async function () {
    const withDefault = await startTestIssuer();
    const none = await startTestIssuer({ userClaims: {} });
    try {
      const a = await redeem(withDefault, await obtainCode(withDefault));
      expect(decodeJwt(String(a.body.access_token)).payload['custom:tenant']).to.equal('acme');
      const b = await redeem(none, await obtainCode(none));
      expect(decodeJwt(String(b.body.access_token)).payload).to.not.have.property('custom:tenant');
    } finally {
      await Promise.all([withDefault.close(), none.close()]);
    }
  });

  it('refuses to start with a reserved claim or a wrong shape, naming it', async function () {
    const reserved = await startTestIssuer({ userClaims: { demo: { sub: 'someone-else' } } }).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(reserved).to.equal(
      'Issuer option userClaims.demo: claim sub is set by the pool itself and cannot be overridden',
    );
    const shape = await startTestIssuer({
      userClaims: { demo: { 'custom:tenant': ['a'] } } as unknown as Record<string, Record<string, string>>,
    }).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(shape).to.match(/custom:tenant must be a string, a number or a boolean/);
  });
});
