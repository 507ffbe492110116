import { expect } from 'chai';
import { parseWebConfig, WebConfigError } from '../../../web/src/config.ts';
import { CONFIG } from './helpers.ts';

function without(key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...CONFIG };
  delete copy[key];
  return copy;
}

describe('web: parseWebConfig', () => {
  it('accepts a complete config and keeps callback URLs exactly as given', () => {
    const parsed = parseWebConfig({
      ...CONFIG,
      redirectUri: 'http://localhost:3000',
      hostedUiUrl: 'https://demo.auth.us-east-1.amazoncognito.com/',
    });
    expect(parsed.redirectUri, 'Cognito compares callback URLs as exact strings').to.equal('http://localhost:3000');
    expect(parsed.hostedUiUrl, 'the trailing slash must go so paths can be appended').to.equal(
      'https://demo.auth.us-east-1.amazoncognito.com',
    );
    expect(parsed.scopes).to.deep.equal(['openid', 'email']);
    expect(parsed).to.not.have.property('tokenQueryParam');
  });

  for (const key of ['hostedUiUrl', 'clientId', 'websocketUrl', 'redirectUri', 'logoutUri', 'scopes']) {
    it(`names the missing field ${key}`, () => {
      expect(() => parseWebConfig(without(key))).to.throw(WebConfigError, key);
    });
  }

  it('refuses non-objects', () => {
    for (const value of [null, 'x', 42, [CONFIG]])
      expect(() => parseWebConfig(value)).to.throw(WebConfigError, 'JSON object');
  });

  it('allows plain http and ws only on loopback hosts', () => {
    expect(() => parseWebConfig({ ...CONFIG, hostedUiUrl: 'http://auth.example.com' })).to.throw(
      WebConfigError,
      'hostedUiUrl must use https:',
    );
    expect(() => parseWebConfig({ ...CONFIG, websocketUrl: 'ws://api.example.com/prod' })).to.throw(
      WebConfigError,
      'websocketUrl must use wss:',
    );
    expect(() => parseWebConfig({ ...CONFIG, redirectUri: 'http://app.example.com/' })).to.throw(
      WebConfigError,
      'redirectUri',
    );
    const local = parseWebConfig({
      ...CONFIG,
      hostedUiUrl: 'http://127.0.0.1:9229',
      websocketUrl: 'ws://127.0.0.1:3001/local',
    });
    expect(local.websocketUrl).to.equal('ws://127.0.0.1:3001/local');
  });

  it('refuses other schemes, credentials, fragments, and a query on the hosted UI base', () => {
    expect(() => parseWebConfig({ ...CONFIG, websocketUrl: 'https://api.example.com/prod' })).to.throw(
      WebConfigError,
      'wss:',
    );
    expect(() => parseWebConfig({ ...CONFIG, hostedUiUrl: 'javascript:alert(1)' })).to.throw(
      WebConfigError,
      'hostedUiUrl',
    );
    expect(() => parseWebConfig({ ...CONFIG, hostedUiUrl: 'https://u:p@auth.example.com' })).to.throw(
      WebConfigError,
      'credentials',
    );
    expect(() => parseWebConfig({ ...CONFIG, redirectUri: 'https://app.example.com/#x' })).to.throw(
      WebConfigError,
      'fragment',
    );
    expect(() => parseWebConfig({ ...CONFIG, hostedUiUrl: 'https://auth.example.com/?a=1' })).to.throw(
      WebConfigError,
      'query string',
    );
    expect(() => parseWebConfig({ ...CONFIG, redirectUri: 'not a url' })).to.throw(WebConfigError, 'not a URL');
    expect(() => parseWebConfig({ ...CONFIG, redirectUri: `https://app.example.com/${'a'.repeat(2100)}` })).to.throw(
      WebConfigError,
      'longer',
    );
  });

  it('refuses a malformed client id and bad scopes', () => {
    expect(() => parseWebConfig({ ...CONFIG, clientId: 'a b' })).to.throw(WebConfigError, 'clientId');
    expect(() => parseWebConfig({ ...CONFIG, scopes: [] })).to.throw(WebConfigError, 'scopes');
    expect(() => parseWebConfig({ ...CONFIG, scopes: 'openid' })).to.throw(WebConfigError, 'scopes');
    expect(() => parseWebConfig({ ...CONFIG, scopes: ['open id'] })).to.throw(WebConfigError, 'invalid scope');
    expect(() => parseWebConfig({ ...CONFIG, scopes: [7] })).to.throw(WebConfigError, 'invalid scope');
  });

  it('drops duplicate scopes', () => {
    expect(parseWebConfig({ ...CONFIG, scopes: ['openid', 'openid', 'email'] }).scopes).to.deep.equal([
      'openid',
      'email',
    ]);
  });

  it('accepts an optional tokenQueryParam and refuses a malformed one', () => {
    expect(parseWebConfig({ ...CONFIG, tokenQueryParam: 'access_token' }).tokenQueryParam).to.equal('access_token');
    expect(() => parseWebConfig({ ...CONFIG, tokenQueryParam: 'a&b' })).to.throw(WebConfigError, 'tokenQueryParam');
    expect(() => parseWebConfig({ ...CONFIG, tokenQueryParam: '' })).to.throw(WebConfigError, 'tokenQueryParam');
  });
});
