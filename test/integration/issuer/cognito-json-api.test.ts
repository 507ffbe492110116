// The issuer's Cognito JSON API as a client sees it: the real SDK client for the admin operations (SigV4 with the
// stack's credentials), and raw HTTP for what a careless or hostile caller sends: no signature, a wrong secret,
// an Origin header, an unknown operation, a body that is not JSON.
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'chai';
import { generateCredentials } from '../../../local/aws-auth/index.ts';
import { cognitoClient, startTestIssuer, type TestIssuer } from './helpers.ts';

const credentials = generateCredentials();
const TARGET = 'AWSCognitoIdentityProviderService.';

describe('issuer: Cognito JSON API over HTTP', function () {
  let issuer: TestIssuer;
  let cognito: CognitoIdentityProviderClient;
  before(async function () {
    issuer = await startTestIssuer({ awsCredentials: credentials });
    cognito = cognitoClient(issuer, credentials);
  });
  after(async function () {
    cognito.destroy();
    await issuer.close();
  });

  function post(
    operation: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
    return fetch(issuer.cognitoEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `${TARGET}${operation}`, ...headers },
      body,
    }).then(async (response) => ({
      status: response.status,
      headers: response.headers,
      json: (await response.json()) as Record<string, unknown>,
    }));
  }

  it('AdminGetUser through the SDK answers the user, enabled, with sub, email and custom attributes', async function () {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: issuer.poolId, Username: 'DEMO' }));
    expect(user.Username).to.equal('demo');
    expect(user.Enabled).to.equal(true);
    expect(user.UserStatus).to.equal('CONFIRMED');
    expect(user.UserCreateDate).to.be.instanceOf(Date);
    const attributes: Record<string, string | undefined> = Object.fromEntries(
      (user.UserAttributes ?? []).map((a): [string, string | undefined] => [a.Name ?? '', a.Value]),
    );
    expect(attributes).to.include({ email: 'demo@example.com', email_verified: 'true', 'custom:tenant': 'acme' });
    expect(attributes.sub).to.match(/^[0-9a-f-]{36}$/);
  });

  it('answers modeled SDK errors for an unknown user and another pool', async function () {
    const missing = await cognito
      .send(new AdminGetUserCommand({ UserPoolId: issuer.poolId, Username: 'ghost' }))
      .catch((err: unknown) => err);
    expect(missing).to.be.instanceOf(UserNotFoundException);
    const pool = await cognito
      .send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_other', Username: 'demo' }))
      .catch((err: unknown) => err);
    expect(pool).to.be.instanceOf(ResourceNotFoundException);
  });

  it('refuses an admin operation signed with a wrong secret, and one not signed at all', async function () {
    const wrong = cognitoClient(issuer, {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret00',
    });
    try {
      const error = await wrong
        .send(new AdminGetUserCommand({ UserPoolId: issuer.poolId, Username: 'demo' }))
        .catch((err: Error) => err);
      expect((error as Error).name).to.equal('InvalidSignatureException');
    } finally {
      wrong.destroy();
    }
    const unsigned = await post('AdminGetUser', JSON.stringify({ UserPoolId: issuer.poolId, Username: 'demo' }));
    expect(unsigned.status).to.equal(400);
    expect(unsigned.json.__type).to.equal('MissingAuthenticationTokenException');
    expect(unsigned.json).to.not.have.property('Username');
    const disabler = await post('AdminDisableUser', JSON.stringify({ UserPoolId: issuer.poolId, Username: 'demo' }));
    expect(disabler.json.__type).to.equal('MissingAuthenticationTokenException');
    const still = await cognito.send(new AdminGetUserCommand({ UserPoolId: issuer.poolId, Username: 'demo' }));
    expect(still.Enabled).to.equal(true);
  });

  it('refuses any request with an Origin header: 403, no CORS headers, for every operation and the preflight', async function () {
    for (const operation of ['GetUser', 'AdminGetUser', 'RevokeToken']) {
      const answer = await post(operation, '{}', { Origin: 'http://localhost:3000' });
      expect(answer.status, operation).to.equal(403);
      expect(answer.json.__type).to.equal('AccessDeniedException');
      expect(answer.headers.get('access-control-allow-origin')).to.equal(null);
    }
    const preflight = await fetch(issuer.cognitoEndpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).to.equal(403);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);
  });

  it("answers bad requests in Cognito's error shape (__type, message) with status 400", async function () {
    const unknown = await post('AdminCreateUser', '{}');
    expect(unknown.status).to.equal(400);
    expect(unknown.json.__type).to.equal('UnknownOperationException');
    expect(unknown.headers.get('x-amzn-errortype')).to.equal('UnknownOperationException');
    expect(unknown.headers.get('content-type')).to.equal('application/x-amz-json-1.1');
    const notJson = await post('GetUser', '{"AccessToken":');
    expect(notJson.json).to.deep.include({ __type: 'SerializationException' });
    const array = await post('GetUser', '[]');
    expect(array.json.__type).to.equal('SerializationException');
    const missing = await post('GetUser', '{}');
    expect(missing.json.__type).to.equal('InvalidParameterException');
    expect(missing.json.message).to.match(/accessToken/);
    const wrongType = await post('GetUser', '{}', { 'Content-Type': 'application/json' });
    expect(wrongType.json.__type).to.equal('SerializationException');
    const tooBig = await post('GetUser', JSON.stringify({ AccessToken: 'a'.repeat(20_000) }));
    expect(tooBig.status).to.equal(400);
    expect(tooBig.json.__type).to.equal('SerializationException');
    const garbage = await post('GetUser', JSON.stringify({ AccessToken: 'a.b.c' }));
    expect(garbage.json).to.deep.equal({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' });
  });

  it('GetUser, GlobalSignOut and RevokeToken need no signature, as on AWS (the token authenticates)', async function () {
    for (const operation of ['GetUser', 'GlobalSignOut']) {
      const answer = await post(operation, JSON.stringify({ AccessToken: 'x.y.z' }));
      expect(answer.json, operation).to.deep.equal({
        __type: 'NotAuthorizedException',
        message: 'Invalid Access Token',
      });
    }
    const revoke = await post('RevokeToken', JSON.stringify({ Token: 'unknown', ClientId: 'localwebclient' }));
    expect(revoke.status).to.equal(200);
    expect(revoke.json).to.deep.equal({});
  });

  it('refuses admin operations when the issuer has no credentials', async function () {
    const bare = await startTestIssuer();
    const client = cognitoClient(bare, credentials);
    try {
      const error = await client
        .send(new AdminGetUserCommand({ UserPoolId: bare.poolId, Username: 'demo' }))
        .catch((err: Error) => err);
      expect((error as Error).name).to.equal('UnrecognizedClientException');
      expect((error as Error).message).to.match(/awsCredentials/);
    } finally {
      client.destroy();
      await bare.close();
    }
  });

  it('keeps the OAuth endpoints open to browsers (CORS) and the root path a page for GET', async function () {
    const discovery = await fetch(`${issuer.issuer}/.well-known/openid-configuration`, {
      headers: { Origin: 'http://localhost:3000' },
    });
    expect(discovery.headers.get('access-control-allow-origin')).to.equal('http://localhost:3000');
    const root = await fetch(issuer.cognitoEndpoint);
    expect(root.status).to.equal(404);
  });
});
