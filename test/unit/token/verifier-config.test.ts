import { expect } from 'chai';
import { ConfigError } from '../../../functions/shared/env.ts';
import { loadVerifierConfig } from '../../../functions/shared/token/verifier-config.ts';
import { loadConfig } from '../../../functions/authorizer/config.ts';

const base = { USER_POOL_ID: 'eu-west-1_AbCdEf123', CLIENT_IDS: 'abc123' };

function refused(env: Record<string, string>): ConfigError {
  try {
    loadVerifierConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('token: verifier configuration', () => {
  it('is exactly what the authorizer reads (refresh accepts what the authorizer accepts)', () => {
    const env = {
      ...base,
      REQUIRED_SCOPES: 'openid',
      ALLOWED_GROUPS: 'staff',
      CONTEXT_CLAIMS: 'custom:tenant',
      REVOCATIONS_TABLE: 'app-revocations',
      TOKEN_SOURCES: 'query',
    };
    const { tokenSources: _s, tokenHeader: _h, tokenQueryParam: _q, log: _l, ...authorizer } = loadConfig(env);
    expect(loadVerifierConfig(env)).to.deep.equal(authorizer);
  });

  it('has revocation and the online check off by default (no table, no check)', () => {
    const c = loadVerifierConfig(base);
    expect(c.revocationsTable).to.equal(undefined);
    expect(c.cognitoCheck).to.equal(undefined);
    expect(c.contextClaims).to.deep.equal([]);
  });

  it('reads CONTEXT_CLAIMS and refuses a clash, naming both claims and the variable', () => {
    expect(loadVerifierConfig({ ...base, CONTEXT_CLAIMS: 'custom:tenant' }).contextClaims).to.deep.equal([
      { name: 'custom:tenant', key: 'claim_custom_tenant' },
    ]);
    const err = refused({ ...base, CONTEXT_CLAIMS: 'custom:tenant,custom.tenant' });
    expect(err.message).to.include('CONTEXT_CLAIMS').and.include('custom:tenant').and.include('custom.tenant');
    expect(refused({ ...base, CONTEXT_CLAIMS: 'cognito:groups' }).message).to.include('"cognito:groups"');
  });

  it('refuses a malformed REVOCATIONS_TABLE', () => {
    expect(refused({ ...base, REVOCATIONS_TABLE: 'a b' }).variable).to.equal('REVOCATIONS_TABLE');
  });

  it('turns the online check on with its defaults (deny, deny) and the regional GetUser endpoint', () => {
    const c = loadVerifierConfig({
      ...base,
      COGNITO_REVOCATION_CHECK: 'on',
      USERINFO_ENDPOINT: 'https://auth.example.com/oauth2/userInfo',
    });
    expect(c.cognitoCheck).to.deep.equal({
      getUserEndpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/',
      userInfoEndpoint: 'https://auth.example.com/oauth2/userInfo',
      uncheckable: 'deny',
      onError: 'deny',
    });
  });

  it('takes the GetUser endpoint from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (loopback http allowed)', () => {
    const c = loadVerifierConfig({
      ...base,
      COGNITO_REVOCATION_CHECK: 'on',
      COGNITO_REVOCATION_UNCHECKABLE: 'allow',
      COGNITO_REVOCATION_ON_ERROR: 'allow',
      USERINFO_ENDPOINT: 'http://127.0.0.1:9229/oauth2/userInfo',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9229/',
    });
    expect(c.cognitoCheck).to.deep.equal({
      getUserEndpoint: 'http://127.0.0.1:9229/',
      userInfoEndpoint: 'http://127.0.0.1:9229/oauth2/userInfo',
      uncheckable: 'allow',
      onError: 'allow',
    });
  });

  it('refuses online-check configurations that cannot work or would send tokens in clear text', () => {
    const on = { ...base, COGNITO_REVOCATION_CHECK: 'on' };
    expect(refused(on).variable).to.equal('USERINFO_ENDPOINT');
    expect(refused({ ...on, USERINFO_ENDPOINT: 'http://auth.example.com/oauth2/userInfo' }).variable).to.equal(
      'USERINFO_ENDPOINT',
    );
    expect(
      refused({
        ...on,
        USERINFO_ENDPOINT: 'https://auth.example.com/oauth2/userInfo',
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://cognito.example.com/',
      }).variable,
    ).to.equal('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER');
    expect(refused({ ...on, TOKEN_USE: 'id', USERINFO_ENDPOINT: 'https://a.example.com/u' }).variable).to.equal(
      'COGNITO_REVOCATION_CHECK',
    );
    expect(refused({ ...base, COGNITO_REVOCATION_CHECK: 'yes' }).variable).to.equal('COGNITO_REVOCATION_CHECK');
    expect(refused({ ...base, COGNITO_REVOCATION_ON_ERROR: 'maybe' }).variable).to.equal('COGNITO_REVOCATION_ON_ERROR');
    expect(refused({ ...base, COGNITO_REVOCATION_UNCHECKABLE: 'x' }).variable).to.equal(
      'COGNITO_REVOCATION_UNCHECKABLE',
    );
  });
});
