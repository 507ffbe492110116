// guardAwsRequest over real HTTP: the real SDK client passes, an unsigned curl-style request, a wrong signature
// and a browser request (Origin) are refused in the service's shape, and an oversized body gets 413.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  generateCredentials,
  guardAwsRequest,
  SERVICES,
  type AwsServiceProfile,
} from '../../../local/aws-auth/index.ts';

const region = 'us-east-1';
const credentials = generateCredentials();

interface Guarded {
  url: string;
  bodies: string[];
  close(): Promise<void>;
}

async function guardedServer(service: AwsServiceProfile, limit = 1024): Promise<Guarded> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    void guardAwsRequest(req, res, { credentials, region, service }, limit).then((checked) => {
      if (!checked.ok) return;
      bodies.push(checked.body.toString());
      const body = service === SERVICES.dynamodb ? '{"TableNames":[]}' : '{"ok":true}';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('local/aws-auth guard over HTTP', () => {
  let lambda: Guarded;
  let dynamo: Guarded;
  before(async () => {
    lambda = await guardedServer(SERVICES.lambda);
    dynamo = await guardedServer(SERVICES.dynamodb);
  });
  after(async () => {
    await lambda.close();
    await dynamo.close();
  });

  it('lets a request signed by the real SDK client through with its body', async () => {
    const client = new LambdaClient({ region, credentials, endpoint: lambda.url, maxAttempts: 1 });
    const out = await client.send(new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from('{"a":1}') }));
    expect(out.StatusCode).to.equal(200);
    expect(lambda.bodies).to.include('{"a":1}');
  });

  it('refuses an unsigned curl-style request with MissingAuthenticationTokenException (403)', async () => {
    const res = await fetch(`${lambda.url}/2015-03-31/functions/f/invocations`, { method: 'POST', body: '{}' });
    expect(res.status).to.equal(403);
    expect(res.headers.get('x-amzn-errortype')).to.equal('MissingAuthenticationTokenException');
    expect(await res.json()).to.deep.equal({ message: 'Missing Authentication Token' });
  });

  it('the SDK surfaces a wrong secret as InvalidSignatureException and an unknown key as UnrecognizedClientException', async () => {
    const wrongSecret = new LambdaClient({
      region,
      credentials: { ...credentials, secretAccessKey: 'wrong' },
      endpoint: lambda.url,
      maxAttempts: 1,
    });
    const e1 = await wrongSecret.send(new InvokeCommand({ FunctionName: 'f' })).then(
      () => undefined,
      (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } },
    );
    expect(e1?.name).to.equal('InvalidSignatureException');
    expect(e1?.$metadata.httpStatusCode).to.equal(403);
    const wrongKey = new DynamoDBClient({
      region,
      credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' },
      endpoint: dynamo.url,
      maxAttempts: 1,
    });
    const e2 = await wrongKey.send(new ListTablesCommand({})).then(
      () => undefined,
      (e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } },
    );
    expect(e2?.name).to.equal('UnrecognizedClientException');
    expect(e2?.$metadata.httpStatusCode).to.equal(400);
  });

  it('refuses a signed request that carries Origin with 403 and no CORS headers', async () => {
    const client = new DynamoDBClient({ region, credentials, endpoint: dynamo.url, maxAttempts: 1 });
    client.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers.origin = 'http://127.0.0.1:3999';
        return next(args);
      },
      { step: 'build' },
    );
    const error = await client.send(new ListTablesCommand({})).then(
      () => undefined,
      (e: unknown) => e as { $metadata: { httpStatusCode: number }; $response?: { headers: Record<string, string> } },
    );
    expect(error?.$metadata.httpStatusCode).to.equal(403);
    const preflight = await fetch(dynamo.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).to.equal(403);
    const cors = [...preflight.headers.keys()].filter((h) => h.startsWith('access-control-'));
    expect(cors).to.deep.equal([]);
  });

  it('answers 413 to a body past the limit without reading it all', async () => {
    const res = await fetch(`${lambda.url}/x`, { method: 'POST', body: 'x'.repeat(64 * 1024) }).catch(
      (e: unknown) => e as Error,
    );
    // Either the 413 arrives, or the socket closes before the client finished writing; never a 2xx.
    if (res instanceof Response) expect(res.status).to.equal(413);
    else expect(res).to.be.instanceOf(Error);
  });
});
