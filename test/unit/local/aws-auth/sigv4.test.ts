// The SigV4 verifier against requests signed by the real SDK clients (captured before they reach the network),
// and against each way a request can be unsigned, tampered with or signed for something else.
import { expect } from 'chai';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { CognitoIdentityProviderClient, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  verifySigV4,
  parseAmzDate,
  type IncomingSignedRequest,
  type LocalCredentials,
} from '../../../../local/aws-auth/index.ts';

const credentials: LocalCredentials = { accessKeyId: 'LOCALTESTKEY0000000', secretAccessKey: 'secret-of-this-run' };
const region = 'us-east-1';

interface CapturedRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

class Captured extends Error {
  constructor(readonly request: CapturedRequest) {
    super('captured');
  }
}

/** A request handler that records the signed request and sends nothing. */
const capture = {
  handle: (request: CapturedRequest): Promise<never> => Promise.reject(new Captured(request)),
};

function toIncoming(req: CapturedRequest): IncomingSignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  const query = Object.entries(req.query ?? {})
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x ?? '')}`),
    )
    .join('&');
  let body: Uint8Array;
  if (req.body === undefined || req.body === null) body = new Uint8Array();
  else if (typeof req.body === 'string') body = Buffer.from(req.body);
  else body = req.body as Uint8Array;
  return { method: req.method, url: req.path + (query ? `?${query}` : ''), headers, body };
}

async function sent(send: () => Promise<unknown>): Promise<IncomingSignedRequest> {
  try {
    await send();
  } catch (err) {
    if (err instanceof Captured) return toIncoming(err.request);
    throw err;
  }
  throw new Error('the client sent nothing');
}

const clientConfig = {
  region,
  credentials,
  endpoint: 'http://127.0.0.1:3999',
  requestHandler: capture,
  maxAttempts: 1,
} as const;

const lambdaRequest = () =>
  sent(() =>
    new LambdaClient(clientConfig).send(
      new InvokeCommand({ FunctionName: 'control', Payload: Buffer.from('{"op":"list","sub":"s"}') }),
    ),
  );

const verify = (
  request: IncomingSignedRequest,
  service = 'lambda',
  overrides: Partial<Parameters<typeof verifySigV4>[1]> = {},
) => verifySigV4(request, { credentials, region, service, ...overrides });

describe('local/aws-auth verifySigV4', () => {
  describe('requests signed by the real SDK clients', () => {
    it('accepts Lambda Invoke', async () => {
      expect(await verify(await lambdaRequest())).to.deep.equal({ ok: true, accessKeyId: credentials.accessKeyId });
    });

    it('accepts DynamoDB GetItem', async () => {
      const request = await sent(() =>
        new DynamoDBClient(clientConfig).send(
          new GetItemCommand({ TableName: 'connections-local', Key: { connectionId: { S: 'abc=' } } }),
        ),
      );
      expect(await verify(request, 'dynamodb')).to.include({ ok: true });
    });

    it('accepts PostToConnection on an @connections path with an encoded id', async () => {
      const request = await sent(() =>
        new ApiGatewayManagementApiClient({ ...clientConfig, endpoint: 'http://127.0.0.1:3999/local' }).send(
          new PostToConnectionCommand({ ConnectionId: 'ab+c/d=', Data: Buffer.from('hello') }),
        ),
      );
      expect(request.url).to.contain('@connections');
      expect(await verify(request, 'execute-api')).to.include({ ok: true });
    });

    it('accepts Cognito AdminGetUser', async () => {
      const request = await sent(() =>
        new CognitoIdentityProviderClient(clientConfig).send(
          new AdminGetUserCommand({ UserPoolId: 'us-east-1_local', Username: 'demo' }),
        ),
      );
      expect(await verify(request, 'cognito-idp')).to.include({ ok: true });
    });

    it('accepts a signed query string and a repeated parameter', async () => {
      const signer = new SignatureV4({ credentials, region, service: 'lambda', sha256: Sha256 });
      const signed = await signer.sign({
        method: 'GET',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/2015-03-31/functions/x',
        query: { Qualifier: 'a b+c', tag: ['z', 'a'] },
        headers: { host: '127.0.0.1:3002' },
      });
      const url = '/2015-03-31/functions/x?Qualifier=a%20b%2Bc&tag=z&tag=a';
      const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
      expect(await verify({ method: 'GET', url, headers, body: new Uint8Array() })).to.include({ ok: true });
    });
  });

  describe('tampered requests: InvalidSignatureException', () => {
    it('a changed body', async () => {
      const request = await lambdaRequest();
      request.body = Buffer.from('{"op":"revoke","sub":"s"}');
      expect(await verify(request)).to.include({ ok: false, reason: 'InvalidSignatureException' });
    });

    it('a changed path', async () => {
      const request = await lambdaRequest();
      request.url = request.url.replace('control', 'connect');
      expect(await verify(request)).to.include({ ok: false, reason: 'InvalidSignatureException' });
    });

    it('a changed signed header', async () => {
      const request = await lambdaRequest();
      expect(String(request.headers.authorization)).to.match(/SignedHeaders=[^,]*content-type/);
      request.headers['content-type'] = 'text/plain';
      expect(await verify(request)).to.include({ ok: false, reason: 'InvalidSignatureException' });
    });

    it('a signed header removed', async () => {
      const request = await lambdaRequest();
      delete request.headers['content-type'];
      expect(await verify(request)).to.include({ ok: false, reason: 'InvalidSignatureException' });
    });

    it('a wrong secret key', async () => {
      const request = await lambdaRequest();
      const result = await verify(request, 'lambda', {
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'another' },
      });
      expect(result).to.include({ ok: false, reason: 'InvalidSignatureException' });
    });

    it('an x-amz-content-sha256 that does not match the body', async () => {
      const request = await lambdaRequest();
      request.headers['x-amz-content-sha256'] = '0'.repeat(64);
      expect(await verify(request)).to.include({ ok: false, reason: 'InvalidSignatureException' });
    });

    it('a signature for another region or service', async () => {
      const request = await lambdaRequest();
      const region2 = await verify(request, 'lambda', { region: 'eu-west-1' });
      expect(region2).to.include({ ok: false, reason: 'InvalidSignatureException' });
      expect((region2 as { message: string }).message).to.contain("valid region, not 'us-east-1'");
      const service2 = await verify(request, 'execute-api');
      expect((service2 as { message: string }).message).to.contain("correct service: 'execute-api'");
    });

    it('a date more than 15 minutes away, either way', async () => {
      const request = await lambdaRequest();
      const signedAt = parseAmzDate(String(request.headers['x-amz-date'])) as number;
      const late = await verify(request, 'lambda', { now: () => signedAt + 16 * 60_000 });
      expect(late).to.include({ ok: false, reason: 'InvalidSignatureException' });
      expect((late as { message: string }).message).to.match(/^Signature expired/);
      const early = await verify(request, 'lambda', { now: () => signedAt - 16 * 60_000 });
      expect((early as { message: string }).message).to.match(/^Signature not yet current/);
      expect(await verify(request, 'lambda', { now: () => signedAt + 14 * 60_000 })).to.include({ ok: true });
    });

    it('host not among the signed headers', async () => {
      const signer = new SignatureV4({ credentials, region, service: 'lambda', sha256: Sha256 });
      const signed = await signer.sign(
        { method: 'POST', protocol: 'http:', hostname: 'h', path: '/', headers: { host: 'h' } },
        { unsignableHeaders: new Set(['host']) },
      );
      const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const result = await verify({ method: 'POST', url: '/', headers, body: new Uint8Array() });
      expect(result).to.deep.equal({
        ok: false,
        reason: 'InvalidSignatureException',
        message: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      });
    });
  });

  describe('unknown keys: UnrecognizedClientException', () => {
    it('another access key id', async () => {
      const request = await lambdaRequest();
      const result = await verify(request, 'lambda', { credentials: { ...credentials, accessKeyId: 'LOCALOTHER' } });
      expect(result).to.deep.equal({
        ok: false,
        reason: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
    });

    it('a session token (the stack issues none)', async () => {
      const request = await sent(() =>
        new LambdaClient({ ...clientConfig, credentials: { ...credentials, sessionToken: 'tok' } }).send(
          new InvokeCommand({ FunctionName: 'control' }),
        ),
      );
      expect(await verify(request)).to.include({ ok: false, reason: 'UnrecognizedClientException' });
    });
  });

  describe('unsigned and malformed requests', () => {
    const bare = (headers: Record<string, string>, url = '/'): IncomingSignedRequest => ({
      method: 'POST',
      url,
      headers: { host: '127.0.0.1:3002', ...headers },
      body: new Uint8Array(),
    });

    it('no Authorization header: MissingAuthenticationTokenException', async () => {
      expect(await verify(bare({}))).to.deep.equal({
        ok: false,
        reason: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
    });

    it('a non-SigV4 Authorization header (a bearer token): MissingAuthenticationTokenException', async () => {
      expect(await verify(bare({ authorization: 'Bearer abc' }))).to.include({
        reason: 'MissingAuthenticationTokenException',
      });
    });

    it('a presigned query string: IncompleteSignatureException', async () => {
      expect(await verify(bare({}, '/?X-Amz-Algorithm=AWS4-HMAC-SHA256'))).to.include({
        reason: 'IncompleteSignatureException',
      });
    });

    it('missing parameters and date: IncompleteSignatureException naming each', async () => {
      const result = await verify(bare({ authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e' }));
      expect(result).to.include({ ok: false, reason: 'IncompleteSignatureException' });
      const message = (result as { message: string }).message;
      expect(message).to.contain("requires 'Signature'");
      expect(message).to.contain("requires 'SignedHeaders'");
      expect(message).to.contain('X-Amz-Date');
    });

    it('a pair without "=": IncompleteSignatureException', async () => {
      const result = await verify(bare({ authorization: 'AWS4-HMAC-SHA256 Credential, Signature=1' }));
      expect(result).to.include({ reason: 'IncompleteSignatureException' });
    });

    it('a malformed date: IncompleteSignatureException', async () => {
      const result = await verify(
        bare({
          authorization:
            'AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
          'x-amz-date': '20241301T000000Z',
        }),
      );
      expect(result).to.include({ reason: 'IncompleteSignatureException' });
    });

    it('another algorithm and a short credential: IncompleteSignatureException', async () => {
      const now = Date.UTC(2024, 0, 1);
      const date = '20240101T000000Z';
      const other = await verify(
        bare({
          authorization: `AWS4-HMAC-SHA512 Credential=${credentials.accessKeyId}/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
          'x-amz-date': date,
        }),
        'lambda',
        { now: () => now },
      );
      expect((other as { message: string }).message).to.contain("Unsupported AWS 'algorithm'");
      const short = await verify(
        bare({
          authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host;x-amz-date, Signature=00',
          'x-amz-date': date,
        }),
        'lambda',
        { now: () => now },
      );
      expect((short as { message: string }).message).to.contain('exactly 5 slash-delimited elements');
    });

    it('a scope date other than the request date: InvalidSignatureException', async () => {
      const result = await verify(
        bare({
          authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240102/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
          'x-amz-date': '20240101T000000Z',
        }),
        'lambda',
        { now: () => Date.UTC(2024, 0, 1) },
      );
      expect(result).to.include({ reason: 'InvalidSignatureException' });
      expect((result as { message: string }).message).to.contain('Date in Credential scope does not match');
    });
  });
});
