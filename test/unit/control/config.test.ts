import { expect } from 'chai';
import { loadControlConfig } from '../../../functions/control/config.ts';

const valid = {
  CONNECTIONS_TABLE: 'conns',
  AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev',
};

describe('control: configuration', () => {
  it('reads the tables and the management endpoint', () => {
    expect(loadControlConfig({ ...valid, REVOCATIONS_TABLE: 'app-revocations' })).to.deep.equal({
      tableName: 'conns',
      revocationsTable: 'app-revocations',
      managementEndpoint: valid.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI,
    });
  });

  it('turns revocation off when REVOCATIONS_TABLE is absent or blank', () => {
    expect(loadControlConfig(valid).revocationsTable).to.equal(undefined);
    expect(loadControlConfig({ ...valid, REVOCATIONS_TABLE: '  ' }).revocationsTable).to.equal(undefined);
  });

  const bad: [string, Record<string, string | undefined>, RegExp][] = [
    ['no CONNECTIONS_TABLE', { ...valid, CONNECTIONS_TABLE: undefined }, /CONNECTIONS_TABLE is required/],
    ['a malformed CONNECTIONS_TABLE', { ...valid, CONNECTIONS_TABLE: 'a b' }, /CONNECTIONS_TABLE is malformed/],
    ['a malformed REVOCATIONS_TABLE', { ...valid, REVOCATIONS_TABLE: 'x' }, /REVOCATIONS_TABLE is malformed/],
    [
      'no management endpoint',
      { ...valid, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: undefined },
      /AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI is required/,
    ],
    [
      'a management endpoint that is not a URL',
      { ...valid, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'abc123/dev' },
      /not an absolute URL/,
    ],
    [
      'a management endpoint of another scheme',
      { ...valid, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'ftp://x/dev' },
      /http\(s\)/,
    ],
    [
      'a management endpoint with credentials',
      { ...valid, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'https://u:p@x/dev' },
      /credentials/,
    ],
    [
      'configured endpoints ignored',
      { ...valid, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      /AWS_IGNORE_CONFIGURED_ENDPOINT_URLS/,
    ],
  ];
  for (const [name, env, message] of bad) {
    it(`refuses ${name}, naming the variable`, () => {
      expect(() => loadControlConfig(env)).to.throw(message);
    });
  }
});
