import { expect } from 'chai';
import { ConfigError } from '../../../functions/shared/env.ts';
import { loadConfig } from '../../../functions/authorizer/config.ts';

const base = { USER_POOL_ID: 'eu-west-1_AbCdEf123', CLIENT_IDS: 'abc123,def456' };

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('authorizer config', () => {
  it('applies the documented defaults and derives region, issuer and JWKS URI from USER_POOL_ID', () => {
    const c = loadConfig(base);
    expect(c.region).to.equal('eu-west-1');
    expect([...c.clientIds]).to.deep.equal(['abc123', 'def456']);
    expect(c.tokenUse).to.equal('access');
    expect(c.tokenSources).to.deep.equal(['header', 'query', 'protocol']);
    expect(c.tokenHeader).to.equal('Authorization');
    expect(c.tokenQueryParam).to.equal('token');
    expect(c.requiredScopes).to.deep.equal([]);
    expect(c.allowedGroups).to.deep.equal([]);
    expect(c.issuer).to.equal('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123');
    expect(c.jwksUri).to.equal('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json');
    expect(c.log).to.deep.equal({ level: 'info', namespace: 'WebSocketAuth', platformLevel: undefined });
  });

  it('parses every optional variable', () => {
    const c = loadConfig({
      ...base,
      USER_POOL_ID: 'us-east-1_local0001',
      TOKEN_USE: 'access',
      TOKEN_SOURCES: 'query, PROTOCOL,query',
      TOKEN_HEADER: 'X-Auth-Token',
      TOKEN_QUERY_PARAM: 'access_token',
      REQUIRED_SCOPES: 'openid  chat/write',
      ALLOWED_GROUPS: 'admins, staff',
      ISSUER: 'http://127.0.0.1:9229/us-east-1_local0001',
      LOG_LEVEL: 'warn',
    });
    expect(c.region).to.equal('us-east-1');
    expect(c.tokenSources).to.deep.equal(['query', 'protocol']);
    expect(c.tokenHeader).to.equal('X-Auth-Token');
    expect(c.tokenQueryParam).to.equal('access_token');
    expect(c.requiredScopes).to.deep.equal(['openid', 'chat/write']);
    expect(c.allowedGroups).to.deep.equal(['admins', 'staff']);
    expect(c.issuer).to.equal('http://127.0.0.1:9229/us-east-1_local0001');
    expect(c.jwksUri).to.equal('http://127.0.0.1:9229/us-east-1_local0001/.well-known/jwks.json');
    expect(c.log.level).to.equal('warn');
  });

  it('keeps an explicit JWKS_URI and accepts TOKEN_USE=id', () => {
    const c = loadConfig({ ...base, TOKEN_USE: 'id', JWKS_URI: 'https://keys.example.com/jwks.json' });
    expect(c.tokenUse).to.equal('id');
    expect(c.jwksUri).to.equal('https://keys.example.com/jwks.json');
  });

  const cases: [string, Record<string, string | undefined>][] = [
    ['USER_POOL_ID', { ...base, USER_POOL_ID: undefined }],
    ['USER_POOL_ID', { ...base, USER_POOL_ID: 'AbCdEf123' }],
    ['USER_POOL_ID', { ...base, USER_POOL_ID: 'eu-west-1_' }],
    ['CLIENT_IDS', { ...base, CLIENT_IDS: undefined }],
    ['CLIENT_IDS', { ...base, CLIENT_IDS: ' , ' }],
    ['CLIENT_IDS', { ...base, CLIENT_IDS: 'abc,de f' }],
    ['TOKEN_USE', { ...base, TOKEN_USE: 'refresh' }],
    ['TOKEN_SOURCES', { ...base, TOKEN_SOURCES: 'header,cookie' }],
    ['TOKEN_SOURCES', { ...base, TOKEN_SOURCES: ',' }],
    ['TOKEN_HEADER', { ...base, TOKEN_HEADER: 'Bad Header' }],
    ['TOKEN_HEADER', { ...base, TOKEN_HEADER: 'sec-websocket-protocol' }],
    ['TOKEN_QUERY_PARAM', { ...base, TOKEN_QUERY_PARAM: 'a&b' }],
    ['REQUIRED_SCOPES', { ...base, REQUIRED_SCOPES: 'ok "quoted"' }],
    ['REQUIRED_SCOPES', { ...base, TOKEN_USE: 'id', REQUIRED_SCOPES: 'openid' }],
    ['ALLOWED_GROUPS', { ...base, ALLOWED_GROUPS: 'admins, a b,' + 'x'.repeat(200) }],
    ['ISSUER', { ...base, ISSUER: 'not a url' }],
    ['ISSUER', { ...base, ISSUER: 'ftp://issuer.example.com/pool' }],
    ['ISSUER', { ...base, ISSUER: 'http://issuer.example.com/pool' }],
    ['JWKS_URI', { ...base, JWKS_URI: 'http://keys.example.com/jwks.json' }],
    ['JWKS_URI', { ...base, JWKS_URI: 'http://10.0.0.5/jwks.json' }],
    ['JWKS_URI', { ...base, JWKS_URI: 'https://user:pw@keys.example.com/jwks.json' }],
    ['LOG_LEVEL', { ...base, LOG_LEVEL: 'verbose' }],
  ];
  for (const [variable, env] of cases) {
    const shown = Object.entries(env).find(([k]) => k === variable)?.[1];
    it(`fails naming ${variable} when it is ${shown === undefined ? 'missing' : JSON.stringify(shown).slice(0, 40)}${variable === 'REQUIRED_SCOPES' && env['TOKEN_USE'] === 'id' ? ' with TOKEN_USE=id' : ''}`, () => {
      const err = failure(env);
      expect(err.variable).to.equal(variable);
      expect(err.message).to.contain(variable);
    });
  }

  it('accepts pool ids of every region shape (GovCloud, European Sovereign Cloud)', () => {
    expect(loadConfig({ ...base, USER_POOL_ID: 'us-gov-west-1_AbC123' }).region).to.equal('us-gov-west-1');
    expect(loadConfig({ ...base, USER_POOL_ID: 'eusc-de-east-1_AbC123' }).issuer).to.equal(
      'https://cognito-idp.eusc-de-east-1.amazonaws.com/eusc-de-east-1_AbC123',
    );
  });

  it('accepts plain http JWKS only on loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]']) {
      expect(loadConfig({ ...base, JWKS_URI: `http://${host}:8080/jwks.json` }).jwksUri).to.contain(host);
    }
    expect(() => loadConfig({ ...base, JWKS_URI: 'http://128.0.0.1:8080/jwks.json' })).to.throw(/JWKS_URI/);
  });

  it('allows an http issuer on a remote host when an https JWKS_URI is given (the issuer is only compared)', () => {
    const c = loadConfig({
      ...base,
      ISSUER: 'http://issuer.example.com/pool',
      JWKS_URI: 'https://keys.example.com/jwks.json',
    });
    expect(c.issuer).to.equal('http://issuer.example.com/pool');
  });
});
