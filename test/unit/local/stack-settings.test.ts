// make local's feature variables: defaults, each accepted spelling, and a clear error for each bad value.
import { expect } from 'chai';
import { stackSettingsFromEnv, ungrantableScopes } from '../../../local/stack-settings.ts';
import { ConfigError } from '../../../functions/shared/env.ts';

describe('local/stack-settings', () => {
  it('defaults: revocation on, online check off, limit 10, custom:tenant claims, no throttling', () => {
    const s = stackSettingsFromEnv({});
    expect(s.revocation).to.equal(true);
    expect(s.auth).to.deep.equal({ COGNITO_REVOCATION_CHECK: 'off', CONTEXT_CLAIMS: 'custom:tenant' });
    expect(s.connect).to.deep.equal({ MAX_CONNECTIONS_PER_USER: '10', CONTEXT_CLAIMS: 'custom:tenant' });
    expect(s.connection).to.deep.equal({ STORED_HEADERS: 'user-agent,origin' });
    expect(s.all).to.deep.equal({});
    expect(s.throttling).to.equal(undefined);
    expect(s.userClaims).to.equal(undefined);
  });

  it('takes each variable', () => {
    const s = stackSettingsFromEnv({
      COGNITO_REVOCATION_CHECK: '1',
      COGNITO_REVOCATION_UNCHECKABLE: 'allow',
      COGNITO_REVOCATION_ON_ERROR: 'deny',
      CONTEXT_CLAIMS: '',
      MAX_CONNECTIONS_PER_USER: '0',
      STORED_HEADERS: 'x-forwarded-for,user-agent',
      LOG_LEVEL: 'debug',
      METRICS_NAMESPACE: 'Local',
      THROTTLING_BURST_LIMIT: '5',
      THROTTLING_RATE_LIMIT: '2.5',
      REQUIRED_SCOPES: 'openid',
      REVOCATION_ENABLED: 'off',
      LOCAL_USER_CLAIMS: '{"demo":{"custom:tenant":"globex"}}',
    });
    expect(s.auth).to.deep.equal({
      REQUIRED_SCOPES: 'openid',
      COGNITO_REVOCATION_CHECK: 'on',
      COGNITO_REVOCATION_UNCHECKABLE: 'allow',
      COGNITO_REVOCATION_ON_ERROR: 'deny',
      CONTEXT_CLAIMS: '',
    });
    expect(s.connect).to.deep.equal({ MAX_CONNECTIONS_PER_USER: '0', CONTEXT_CLAIMS: '' });
    expect(s.connection).to.deep.equal({ STORED_HEADERS: 'x-forwarded-for,user-agent' });
    expect(s.all).to.deep.equal({ LOG_LEVEL: 'debug', METRICS_NAMESPACE: 'Local' });
    expect(s.throttling).to.deep.equal({ burst: 5, rate: 2.5 });
    expect(s.revocation).to.equal(false);
    expect(s.userClaims).to.deep.equal({ demo: { 'custom:tenant': 'globex' } });
  });

  it('the stack-only log level silent is not passed to the functions', () => {
    expect(stackSettingsFromEnv({ LOG_LEVEL: 'silent' }).all).to.deep.equal({});
  });

  it('refuses bad values, naming the variable', () => {
    const bad: Array<[Record<string, string>, string]> = [
      [{ COGNITO_REVOCATION_CHECK: 'yes please' }, 'COGNITO_REVOCATION_CHECK'],
      [{ COGNITO_REVOCATION_UNCHECKABLE: 'maybe' }, 'COGNITO_REVOCATION_UNCHECKABLE'],
      [{ MAX_CONNECTIONS_PER_USER: '-1' }, 'MAX_CONNECTIONS_PER_USER'],
      [{ MAX_CONNECTIONS_PER_USER: 'ten' }, 'MAX_CONNECTIONS_PER_USER'],
      [{ THROTTLING_BURST_LIMIT: '5' }, 'THROTTLING_RATE_LIMIT'],
      [{ THROTTLING_RATE_LIMIT: '5' }, 'THROTTLING_BURST_LIMIT'],
      [{ THROTTLING_BURST_LIMIT: '1.5', THROTTLING_RATE_LIMIT: '1' }, 'THROTTLING_BURST_LIMIT'],
      [{ THROTTLING_BURST_LIMIT: 'x', THROTTLING_RATE_LIMIT: '1' }, 'THROTTLING_BURST_LIMIT'],
      [{ LOCAL_USER_CLAIMS: '{demo' }, 'LOCAL_USER_CLAIMS'],
      [{ REVOCATION_ENABLED: 'sometimes' }, 'REVOCATION_ENABLED'],
    ];
    for (const [env, name] of bad) {
      expect(() => stackSettingsFromEnv(env), JSON.stringify(env)).to.throw(ConfigError, name);
    }
  });

  it('names required scopes the local client can never grant', () => {
    expect(ungrantableScopes(undefined)).to.deep.equal([]);
    expect(ungrantableScopes('openid  email')).to.deep.equal([]);
    expect(ungrantableScopes('openid chat/write admin')).to.deep.equal(['chat/write', 'admin']);
  });
});
