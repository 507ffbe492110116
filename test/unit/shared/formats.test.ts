import { expect } from 'chai';
import {
  CLIENT_ID,
  HEADER_NAME,
  isLoopbackHost,
  QUERY_PARAMETER_NAME,
  SCOPE,
  STAGE_NAME,
  TABLE_NAME,
} from '../../../shared/formats.ts';
import { loadConfig } from '../../../functions/authorizer/config.ts';
import { parseWebConfig } from '../../../web/src/config.ts';

describe('shared: formats', () => {
  it('calls loopback only hosts that never leave the machine', () => {
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1'])
      expect(isLoopbackHost(host), host).to.equal(true);
    for (const host of ['localhost.example.com', '128.0.0.1', '10.0.0.1', 'example.com', '[::2]', '127.0.0.1.nip.io'])
      expect(isLoopbackHost(host), host).to.equal(false);
  });

  it('gives the authorizer and the web app the same loopback answer', () => {
    const authorizerEnv = { USER_POOL_ID: 'eu-west-1_AbC123', CLIENT_IDS: 'client1' };
    const web = {
      hostedUiUrl: 'https://auth.example.com',
      clientId: 'client1',
      redirectUri: 'https://app.example.com/',
      logoutUri: 'https://app.example.com/',
      scopes: ['openid'],
    };
    for (const host of ['127.0.0.2', 'localhost', '[::1]', '128.0.0.1', 'example.com']) {
      const authorizerAccepts = (() => {
        try {
          loadConfig({ ...authorizerEnv, JWKS_URI: `http://${host}:8080/jwks.json` });
          return true;
        } catch {
          return false;
        }
      })();
      const webAccepts = (() => {
        try {
          parseWebConfig({ ...web, websocketUrl: `ws://${host}:3001/dev` });
          return true;
        } catch {
          return false;
        }
      })();
      expect(webAccepts, host).to.equal(authorizerAccepts);
      expect(webAccepts, host).to.equal(isLoopbackHost(host));
    }
  });

  it('matches whole values only', () => {
    expect(QUERY_PARAMETER_NAME.test('token')).to.equal(true);
    expect(QUERY_PARAMETER_NAME.test('a b')).to.equal(false);
    expect(QUERY_PARAMETER_NAME.test('x'.repeat(65))).to.equal(false);
    expect(HEADER_NAME.test('Authorization')).to.equal(true);
    expect(HEADER_NAME.test('Bad:Header')).to.equal(false);
    expect(TABLE_NAME.test('connections-local')).to.equal(true);
    expect(TABLE_NAME.test('ab')).to.equal(false);
    expect(STAGE_NAME.test('dev')).to.equal(true);
    expect(STAGE_NAME.test('de.v')).to.equal(false);
    expect(CLIENT_ID.test('abc+123')).to.equal(true);
    expect(CLIENT_ID.test('abc-123')).to.equal(false);
    expect(SCOPE.test('aws.cognito.signin.user.admin')).to.equal(true);
    expect(SCOPE.test('a"b')).to.equal(false);
  });
});
