// The stack's DynamoDB endpoint: dynalite behind the SigV4 gate. Signed SDK calls work; unsigned, wrongly
// signed and browser requests are refused before dynalite sees them, so its `Access-Control-Allow-Origin: *`
// never leaks.
import { expect } from 'chai';
import { DynamoDBClient, ListTablesCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { startGuardedDynamo, type DynamoServer } from '../../../local/dynamodb-endpoint.ts';
import { generateCredentials } from '../../../local/aws-auth/index.ts';

const region = 'us-east-1';
const credentials = generateCredentials();

describe('local DynamoDB endpoint (SigV4 gate in front of dynalite)', () => {
  let dynamo: DynamoServer;
  before(async () => {
    dynamo = await startGuardedDynamo({ region, credentials });
  });
  after(async () => {
    await dynamo.close();
  });

  it('serves requests signed by the real SDK client', async () => {
    const client = new DynamoDBClient({ region, credentials, endpoint: dynamo.endpoint, maxAttempts: 1 });
    await client.send(
      new CreateTableCommand({
        TableName: 'probe',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
      }),
    );
    expect((await client.send(new ListTablesCommand({}))).TableNames).to.deep.equal(['probe']);
    client.destroy();
  });

  it('refuses an unsigned Scan (curl-style) with DynamoDB’s MissingAuthenticationTokenException', async () => {
    const res = await fetch(dynamo.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.Scan' },
      body: '{"TableName":"probe"}',
    });
    expect(res.status).to.equal(400);
    expect(await res.json()).to.deep.equal({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  });

  it('refuses a fake signature, which dynalite alone would accept', async () => {
    const client = new DynamoDBClient({
      region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'guess' },
      endpoint: dynamo.endpoint,
      maxAttempts: 1,
    });
    const error = await client.send(new ListTablesCommand({})).then(
      () => undefined,
      (e: unknown) => e as { name: string },
    );
    expect(error?.name).to.equal('InvalidSignatureException');
    client.destroy();
  });

  it('refuses browser requests (Origin) with 403 and no Access-Control-Allow-Origin', async () => {
    for (const method of ['POST', 'OPTIONS']) {
      const res = await fetch(dynamo.endpoint, {
        method,
        headers: {
          Origin: 'http://127.0.0.1:3999',
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'DynamoDB_20120810.Scan',
          'Access-Control-Request-Method': 'POST',
        },
        ...(method === 'POST' ? { body: '{"TableName":"probe"}' } : {}),
      });
      expect(res.status, method).to.equal(403);
      expect(res.headers.get('access-control-allow-origin'), method).to.equal(null);
    }
  });
});
