// The local stack configuration read from the environment (local/config.ts).
import { expect } from 'chai';
import { stackOptionsFromEnv } from '../../../local/config.ts';

describe('local stack configuration from the environment', () => {
  it('uses the documented defaults', () => {
    const o = stackOptionsFromEnv({});
    expect(o.ports).to.deep.equal({ web: 3000, gateway: 3001, lambda: 3002, issuer: 9229, dynamodb: 8000 });
    expect(o.env).to.deep.equal({});
    expect(o).to.include({
      stage: 'dev',
      tableName: 'connections-local',
      idleTimeoutMs: 600_000,
      maxConnectionDurationMs: 7_200_000,
      build: true,
    });
    expect(o.demoUser).to.deep.equal({ username: 'demo', password: 'Demo-passw0rd!' });
  });
  it('reads ports (0 allowed), lifetimes, policies and the demo user', () => {
    const o = stackOptionsFromEnv({
      GATEWAY_PORT: '0',
      WEB_PORT: '8080',
      ACCESS_TOKEN_TTL_SECONDS: '2',
      REQUIRED_SCOPES: 'a b',
      ALLOWED_GROUPS: 'admins',
      TOKEN_SOURCES: 'query',
      DEMO_USERNAME: 'me',
      DEMO_PASSWORD: 'P4ss-word!',
      IDLE_TIMEOUT_SECONDS: '5',
      MAX_CONNECTION_SECONDS: '60',
      STAGE: 'prod',
    });
    expect(o.ports).to.include({ gateway: 0, web: 8080 });
    expect(o).to.include({
      accessTokenTtlSeconds: 2,
      idleTimeoutMs: 5000,
      maxConnectionDurationMs: 60_000,
      stage: 'prod',
    });
    expect(o.env).to.deep.equal({
      REQUIRED_SCOPES: 'a b',
      ALLOWED_GROUPS: 'admins',
      TOKEN_SOURCES: 'query',
    });
    expect(o.demoUser).to.deep.equal({ username: 'me', password: 'P4ss-word!' });
  });
  it('names the variable of every bad value', () => {
    const bad: Record<string, string> = {
      GATEWAY_PORT: '70000',
      WEB_PORT: 'x',
      ISSUER_PORT: '-1',
      DYNAMODB_PORT: '1.5',
      STAGE: 'a b',
      CONNECTIONS_TABLE: 'x',
      ACCESS_TOKEN_TTL_SECONDS: '0',
      IDLE_TIMEOUT_SECONDS: 'soon',
      LOG_LEVEL: 'loud',
      LOCAL_BUILD: 'sometimes',
      LAMBDA_PORT: '65536',
      MAX_CONNECTIONS_PER_USER: 'many',
      THROTTLING_RATE_LIMIT: 'fast',
      COGNITO_REVOCATION_CHECK: 'maybe',
    };
    for (const [name, value] of Object.entries(bad)) {
      expect(() => stackOptionsFromEnv({ [name]: value }), name).to.throw(new RegExp(name));
    }
  });
});
