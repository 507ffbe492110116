// Each function's environment in the local stack: the groups of variables Terraform gives it, the per-run
// credentials, the feature settings, then overrides (per function, then for all, last).
import { expect } from 'chai';
import { functionEnvironment, type FunctionEnvInput } from '../../../local/function-env.ts';
import { stackSettingsFromEnv } from '../../../local/stack-settings.ts';

const input = (overrides: FunctionEnvInput['overrides'] = {}, env: Record<string, string> = {}): FunctionEnvInput => ({
  region: 'us-east-1',
  credentials: { accessKeyId: 'LOCALKEY', secretAccessKey: 'secret' },
  dynamodbEndpoint: 'http://127.0.0.1:8000',
  managementEndpoint: 'http://127.0.0.1:3001/dev',
  tableName: 'connections-local',
  revocationsTableName: 'revocations-local',
  issuer: {
    poolId: 'us-east-1_local0001',
    issuer: 'http://i/p',
    jwksUri: 'http://i/p/jwks',
    url: 'http://127.0.0.1:9229',
  },
  clientId: 'client',
  connectionTtlSeconds: 7260,
  settings: stackSettingsFromEnv(env),
  overrides,
});

describe('local/function-env', () => {
  it('every function signs with the per-run credentials against the local DynamoDB', () => {
    for (const name of ['authorizer', 'connect', 'default', 'disconnect', 'refresh', 'control']) {
      expect(functionEnvironment(name, input()), name).to.include({
        AWS_ACCESS_KEY_ID: 'LOCALKEY',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      });
    }
  });

  it('the authorizer: token checks, revocation table, the issuer as userInfo and GetUser endpoint', () => {
    const env = functionEnvironment('authorizer', input());
    expect(env).to.include({
      USER_POOL_ID: 'us-east-1_local0001',
      CLIENT_IDS: 'client',
      REVOCATIONS_TABLE: 'revocations-local',
      COGNITO_REVOCATION_CHECK: 'off',
      CONTEXT_CLAIMS: 'custom:tenant',
      USERINFO_ENDPOINT: 'http://127.0.0.1:9229/oauth2/userInfo',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9229',
    });
    expect(env).to.not.have.property('CONNECTIONS_TABLE');
    expect(env).to.not.have.property('MAX_CONNECTIONS_PER_USER');
  });

  it('connect gets the per-user limit and context claims; default and disconnect do not', () => {
    expect(functionEnvironment('connect', input({}, { MAX_CONNECTIONS_PER_USER: '0' }))).to.include({
      MAX_CONNECTIONS_PER_USER: '0',
      CONTEXT_CLAIMS: 'custom:tenant',
      CONNECTIONS_TABLE: 'connections-local',
      STORED_HEADERS: 'user-agent,origin',
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:3001/dev',
    });
    for (const name of ['default', 'disconnect']) {
      const env = functionEnvironment(name, input());
      expect(env, name).to.not.have.any.keys('MAX_CONNECTIONS_PER_USER', 'REVOCATIONS_TABLE', 'USER_POOL_ID');
      expect(env, name).to.include({ CONNECTIONS_TABLE: 'connections-local', TOKEN_HEADER: 'Authorization' });
    }
  });

  it('connect re-reads the revocation record after storing its item, so it gets the revocations table', () => {
    expect(functionEnvironment('connect', input())).to.include({
      REVOCATIONS_TABLE: 'revocations-local',
      TOKEN_HEADER: 'Authorization',
    });
  });

  it('refresh gets both the token checks and the connection variables; control the revocations table', () => {
    expect(functionEnvironment('refresh', input())).to.include({
      USER_POOL_ID: 'us-east-1_local0001',
      CONNECTIONS_TABLE: 'connections-local',
      REVOCATIONS_TABLE: 'revocations-local',
    });
    expect(functionEnvironment('control', input())).to.include({
      CONNECTIONS_TABLE: 'connections-local',
      REVOCATIONS_TABLE: 'revocations-local',
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:3001/dev',
    });
  });

  it('revocation off: no REVOCATIONS_TABLE anywhere', () => {
    const off = { ...input(), revocationsTableName: undefined };
    for (const name of ['authorizer', 'connect', 'refresh', 'control']) {
      expect(functionEnvironment(name, off), name).to.not.have.property('REVOCATIONS_TABLE');
    }
  });

  it('per-function overrides, then string overrides for every function, last', () => {
    const o = input({
      authorizer: { REQUIRED_SCOPES: 'openid' },
      connect: { STORED_HEADERS: 'x-forwarded-for' },
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9999',
    });
    expect(functionEnvironment('authorizer', o)).to.include({ REQUIRED_SCOPES: 'openid' });
    expect(functionEnvironment('refresh', o)).to.include({ REQUIRED_SCOPES: 'openid' });
    expect(functionEnvironment('connect', o)).to.include({ STORED_HEADERS: 'x-forwarded-for' });
    expect(functionEnvironment('default', o)).to.include({ STORED_HEADERS: 'user-agent,origin' });
    for (const name of ['authorizer', 'connect', 'control']) {
      expect(functionEnvironment(name, o), name).to.include({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9999' });
    }
  });
});
