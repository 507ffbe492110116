import { expect } from 'chai';
import { ConfigError } from '../../../functions/shared/env.ts';
import { DEFAULT_TTL_SECONDS, loadConnectionConfig } from '../../../functions/shared/connection-config.ts';
import { thrownBy } from '../../support/failures.ts';

function failure(env: Record<string, string>): ConfigError {
  return thrownBy(() => loadConnectionConfig(env), ConfigError);
}

describe('connections: configuration', () => {
  const base = { CONNECTIONS_TABLE: 'ws-connections' };

  it('applies the documented defaults when only CONNECTIONS_TABLE is set', () => {
    expect(loadConnectionConfig(base)).to.deep.equal({
      tableName: 'ws-connections',
      ttlSeconds: DEFAULT_TTL_SECONDS,
      storedHeaders: [],
      tokenQueryParam: 'token',
      tokenHeader: 'authorization',
      revocationsTable: undefined,
      managementEndpointFromEnv: undefined,
      maxConnectionsPerUser: 10,
      contextClaims: [],
    });
    expect(DEFAULT_TTL_SECONDS).to.equal(7260);
  });

  it('reads MAX_CONNECTIONS_PER_USER (0 = unlimited) and refuses anything but 0 to 10000, naming it', () => {
    expect(loadConnectionConfig({ ...base, MAX_CONNECTIONS_PER_USER: '0' }).maxConnectionsPerUser).to.equal(0);
    expect(loadConnectionConfig({ ...base, MAX_CONNECTIONS_PER_USER: '2' }).maxConnectionsPerUser).to.equal(2);
    for (const value of ['-1', 'ten', '1.5', '10001']) {
      expect(failure({ ...base, MAX_CONNECTIONS_PER_USER: value }).variable, value).to.equal(
        'MAX_CONNECTIONS_PER_USER',
      );
    }
  });

  it('reads CONTEXT_CLAIMS with their context keys, and refuses a reserved claim naming it', () => {
    expect(loadConnectionConfig({ ...base, CONTEXT_CLAIMS: 'custom:tenant' }).contextClaims).to.deep.equal([
      { name: 'custom:tenant', key: 'claim_custom_tenant' },
    ]);
    expect(failure({ ...base, CONTEXT_CLAIMS: 'sub' }).variable).to.equal('CONTEXT_CLAIMS');
  });

  it('reads every variable: ttl, stored headers lower-cased and de-duplicated, token parameter', () => {
    const config = loadConnectionConfig({
      ...base,
      CONNECTION_TTL_SECONDS: '3600',
      STORED_HEADERS: ' User-Agent , x-forwarded-for,USER-AGENT ',
      TOKEN_QUERY_PARAM: 'access_token',
    });
    expect(config.ttlSeconds).to.equal(3600);
    expect(config.storedHeaders).to.deep.equal(['user-agent', 'x-forwarded-for']);
    expect(config.tokenQueryParam).to.equal('access_token');
  });

  it('fails naming CONNECTIONS_TABLE when it is missing, blank or not a table name', () => {
    expect(failure({}).variable).to.equal('CONNECTIONS_TABLE');
    expect(failure({ CONNECTIONS_TABLE: '   ' }).variable).to.equal('CONNECTIONS_TABLE');
    const bad = failure({ CONNECTIONS_TABLE: 'no spaces allowed' });
    expect(bad.variable).to.equal('CONNECTIONS_TABLE');
    expect(bad.message).to.contain('CONNECTIONS_TABLE');
  });

  for (const value of ['abc', '-5', '1.5', '59', '604801']) {
    it(`fails naming CONNECTION_TTL_SECONDS for ${JSON.stringify(value)}`, () => {
      expect(failure({ ...base, CONNECTION_TTL_SECONDS: value }).variable).to.equal('CONNECTION_TTL_SECONDS');
    });
  }

  it('fails naming STORED_HEADERS for an invalid header name', () => {
    expect(failure({ ...base, STORED_HEADERS: 'user agent' }).variable).to.equal('STORED_HEADERS');
  });

  for (const header of ['Authorization', 'cookie', 'Sec-WebSocket-Protocol', 'proxy-authorization']) {
    it(`refuses to store the credential-bearing header ${header}`, () => {
      const err = failure({ ...base, STORED_HEADERS: `user-agent,${header}` });
      expect(err.variable).to.equal('STORED_HEADERS');
      expect(err.message).to.contain(header.toLowerCase());
    });
  }

  it('refuses the custom TOKEN_HEADER in STORED_HEADERS, naming both variables (the token would be stored)', () => {
    const err = failure({ ...base, TOKEN_HEADER: 'X-Auth-Token', STORED_HEADERS: 'user-agent,x-auth-TOKEN' });
    expect(err.variable).to.equal('STORED_HEADERS');
    expect(err.message).to.contain('TOKEN_HEADER').and.contain('x-auth-token');
    expect(loadConnectionConfig({ ...base, TOKEN_HEADER: 'X-Auth-Token', STORED_HEADERS: 'user-agent' })).to.include({
      tokenHeader: 'x-auth-token',
    });
  });

  it('fails naming TOKEN_HEADER when it is not a header name, and REVOCATIONS_TABLE when malformed', () => {
    expect(failure({ ...base, TOKEN_HEADER: 'x auth' }).variable).to.equal('TOKEN_HEADER');
    expect(failure({ ...base, REVOCATIONS_TABLE: 'a b' }).variable).to.equal('REVOCATIONS_TABLE');
    expect(loadConnectionConfig({ ...base, REVOCATIONS_TABLE: 'revs' }).revocationsTable).to.equal('revs');
  });

  it('fails naming STORED_HEADERS when it lists more than 20 headers', () => {
    const many = Array.from({ length: 21 }, (_, i) => `x-h${i}`).join(',');
    expect(failure({ ...base, STORED_HEADERS: many }).variable).to.equal('STORED_HEADERS');
  });

  it('fails naming TOKEN_QUERY_PARAM for a name with unsafe characters', () => {
    expect(failure({ ...base, TOKEN_QUERY_PARAM: 'to ken&x' }).variable).to.equal('TOKEN_QUERY_PARAM');
  });

  it('fails naming an endpoint variable that is not an http(s) URL', () => {
    expect(failure({ ...base, AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' }).variable).to.equal(
      'AWS_ENDPOINT_URL_DYNAMODB',
    );
    expect(failure({ ...base, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'ftp://x/dev' }).variable).to.equal(
      'AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI',
    );
    expect(failure({ ...base, AWS_ENDPOINT_URL_DYNAMODB: 'http://user:pw@localhost:8000' }).variable).to.equal(
      'AWS_ENDPOINT_URL_DYNAMODB',
    );
  });

  it('takes the management endpoint from the environment like the SDK: service variable, then global, unless ignored', () => {
    const specific = 'http://127.0.0.1:3001/dev';
    const global = 'http://127.0.0.1:4566';
    expect(
      loadConnectionConfig({ ...base, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: specific }).managementEndpointFromEnv,
    ).to.equal(specific);
    expect(loadConnectionConfig({ ...base, AWS_ENDPOINT_URL: global }).managementEndpointFromEnv).to.equal(global);
    expect(
      loadConnectionConfig({ ...base, AWS_ENDPOINT_URL: global, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: specific })
        .managementEndpointFromEnv,
    ).to.equal(specific);
    expect(
      loadConnectionConfig({
        ...base,
        AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: specific,
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }).managementEndpointFromEnv,
    ).to.equal(undefined);
    // The DynamoDB variable says nothing about the management API.
    expect(
      loadConnectionConfig({ ...base, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' }).managementEndpointFromEnv,
    ).to.equal(undefined);
  });

  it('fails naming AWS_IGNORE_CONFIGURED_ENDPOINT_URLS for a value the SDK would reject', () => {
    expect(failure({ ...base, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'yes' }).variable).to.equal(
      'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
    );
  });
});
