// The local Lambda Invoke endpoint through the real @aws-sdk/client-lambda: results, function errors, unknown
// names, payload errors, and every way an unauthenticated or browser caller is refused.
import { expect } from 'chai';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { startLambdaApi, type RunningLambdaApi } from '../../../local/lambda-api/server.ts';
import { generateCredentials } from '../../../local/aws-auth/index.ts';
import type { Invoke } from '../../../local/lambda-runner/pool.ts';

const region = 'us-east-1';
const credentials = generateCredentials();
const received: unknown[] = [];
const functions = new Map<string, Invoke>([
  ['echo', (event) => (received.push(event), Promise.resolve({ ok: true, value: { got: event }, durationMs: 1 }))],
  ['nothing', () => Promise.resolve({ ok: true, value: undefined, durationMs: 1 })],
  [
    'broken',
    () => Promise.resolve({ ok: false, error: { type: 'TypeError', message: 'x is undefined' }, durationMs: 1 }),
  ],
  [
    'busy',
    () =>
      Promise.resolve({
        ok: false,
        error: { type: 'TooManyRequestsException', message: 'Rate Exceeded.' },
        durationMs: 0,
      }),
  ],
]);

const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? new Uint8Array()).toString('utf8');
type SdkError = { name: string; $metadata: { httpStatusCode?: number } };
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined as SdkError | undefined,
    (e: unknown) => e as SdkError,
  );

describe('local Lambda Invoke API', () => {
  let api: RunningLambdaApi;
  let client: LambdaClient;
  before(async () => {
    api = await startLambdaApi({ region, credentials, functions });
    client = new LambdaClient({ region, credentials, endpoint: api.endpoint, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await api.close();
  });

  it('invokes a function by name and returns its result (RequestResponse)', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"op":"list"}') }));
    expect(out.StatusCode).to.equal(200);
    expect(out.FunctionError).to.equal(undefined);
    expect(out.ExecutedVersion).to.equal('$LATEST');
    expect(JSON.parse(text(out.Payload))).to.deep.equal({ got: { op: 'list' } });
  });

  it('accepts the function ARN and $LATEST, answers null for undefined', async () => {
    const arn = `arn:aws:lambda:${region}:000000000000:function:nothing`;
    const out = await client.send(new InvokeCommand({ FunctionName: arn, Qualifier: '$LATEST' }));
    expect(text(out.Payload)).to.equal('null');
  });

  it('a function that throws: 200, FunctionError Unhandled and the error payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'broken', Payload: Buffer.from('{}') }));
    expect(out.StatusCode).to.equal(200);
    expect(out.FunctionError).to.equal('Unhandled');
    expect(JSON.parse(text(out.Payload))).to.deep.equal({
      errorType: 'TypeError',
      errorMessage: 'x is undefined',
      trace: [],
    });
  });

  it('an unknown name, a foreign ARN or another version: 404 ResourceNotFoundException', async () => {
    for (const FunctionName of ['nope', 'arn:aws:lambda:eu-west-1:000000000000:function:echo', 'echo:7']) {
      const error = await failure(client.send(new InvokeCommand({ FunctionName })));
      expect(error?.name, FunctionName).to.equal('ResourceNotFoundException');
      expect(error?.$metadata.httpStatusCode).to.equal(404);
    }
  });

  it('a payload that is not JSON: 400 InvalidRequestContentException', async () => {
    const error = await failure(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{') })));
    expect(error?.name).to.equal('InvalidRequestContentException');
  });

  it('a saturated function: 429 TooManyRequestsException', async () => {
    const error = await failure(client.send(new InvokeCommand({ FunctionName: 'busy' })));
    expect(error?.name).to.equal('TooManyRequestsException');
    expect(error?.$metadata.httpStatusCode).to.equal(429);
  });

  it('Event invocations are accepted with 202 and run', async () => {
    received.length = 0;
    const out = await client.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: Buffer.from('{"async":1}') }),
    );
    expect(out.StatusCode).to.equal(202);
    await new Promise((r) => setTimeout(r, 50));
    expect(received).to.deep.equal([{ async: 1 }]);
  });

  it('refuses an unsigned request: 403 MissingAuthenticationTokenException, function not run', async () => {
    received.length = 0;
    const res = await fetch(`${api.endpoint}/2015-03-31/functions/echo/invocations`, { method: 'POST', body: '{}' });
    expect(res.status).to.equal(403);
    expect(res.headers.get('x-amzn-errortype')).to.equal('MissingAuthenticationTokenException');
    expect(received).to.deep.equal([]);
  });

  it('refuses a wrong signature and an unknown key', async () => {
    const wrong = new LambdaClient({
      region,
      credentials: { ...credentials, secretAccessKey: 'not-the-secret' },
      endpoint: api.endpoint,
      maxAttempts: 1,
    });
    expect((await failure(wrong.send(new InvokeCommand({ FunctionName: 'echo' }))))?.name).to.equal(
      'InvalidSignatureException',
    );
    const unknown = new LambdaClient({
      region,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
      endpoint: api.endpoint,
      maxAttempts: 1,
    });
    expect((await failure(unknown.send(new InvokeCommand({ FunctionName: 'echo' }))))?.name).to.equal(
      'UnrecognizedClientException',
    );
  });

  it('refuses any request with an Origin header: 403 without CORS headers, preflight included', async () => {
    for (const method of ['POST', 'OPTIONS']) {
      const res = await fetch(`${api.endpoint}/2015-03-31/functions/echo/invocations`, {
        method,
        headers: { Origin: 'http://127.0.0.1:3999', 'Access-Control-Request-Method': 'POST' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(res.status, method).to.equal(403);
      expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).to.deep.equal([]);
    }
  });
});
