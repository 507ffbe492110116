// Every AWS-API endpoint of the local stack, through its protocol: the real SDK clients signing with the
// stack's per-run credentials are served; an unsigned curl-style request, a wrong signature and a browser
// request (Origin) are refused on each; WebSocket upgrades with Origin keep working.
import { expect } from 'chai';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { ApiGatewayManagementApiClient, GetConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { RunningStack } from '../../../local/stack.ts';
import { accessToken, startTestStack } from '../helpers/stack-helpers.ts';
import { mustOpen } from '../helpers/ws-client.ts';

type SdkError = { name: string; $metadata: { httpStatusCode?: number } };
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as SdkError,
  );

describe('local stack AWS-API endpoints (SigV4 with per-run credentials, no browsers)', function () {
  this.timeout(60000);
  let stack: RunningStack;
  let token: string;
  before(async () => {
    stack = await startTestStack();
    token = await accessToken(stack);
  });
  after(async () => stack.stop());

  const wrong = () => ({ ...stack.config.credentials, secretAccessKey: 'guessed-secret' });
  const base = () => ({ region: stack.config.region, maxAttempts: 1 });

  it('generates credentials per run and exposes them in config', () => {
    expect(stack.config.credentials.accessKeyId).to.match(/^LOCAL[A-Z2-7]{15}$/);
    expect(stack.config.credentials.secretAccessKey).to.have.length(40);
  });

  describe('DynamoDB', () => {
    const url = () => stack.config.dynamodbEndpoint;
    it('serves the signed SDK client', async () => {
      const db = new DynamoDBClient({ ...base(), endpoint: url(), credentials: stack.config.credentials });
      const tables = (await db.send(new ListTablesCommand({}))).TableNames;
      expect(tables).to.include.members(['connections-local', 'revocations-local']);
      db.destroy();
    });
    it('refuses unsigned, wrongly signed and browser requests; no Access-Control-Allow-Origin', async () => {
      const scan = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.Scan' };
      const unsigned = await fetch(url(), { method: 'POST', headers: scan, body: '{"TableName":"connections-local"}' });
      expect(unsigned.status).to.equal(400);
      expect(((await unsigned.json()) as { __type: string }).__type).to.match(/MissingAuthenticationTokenException$/);
      const db = new DynamoDBClient({ ...base(), endpoint: url(), credentials: wrong() });
      expect((await failure(db.send(new ListTablesCommand({}))))?.name).to.equal('InvalidSignatureException');
      db.destroy();
      const browser = await fetch(url(), {
        method: 'POST',
        headers: { ...scan, Origin: 'http://127.0.0.1:3999' },
        body: '{"TableName":"connections-local"}',
      });
      expect(browser.status).to.equal(403);
      expect(browser.headers.get('access-control-allow-origin')).to.equal(null);
    });
  });

  describe('management API (@connections)', () => {
    it('serves the signed SDK client and refuses unsigned, wrong and browser requests', async () => {
      const client = await mustOpen(`${stack.config.websocketUrl}?token=${token}`, {
        headers: { Origin: 'http://localhost:3000' },
      });
      const id = stack.gateway.connectionIds().at(-1) as string;
      const sdk = new ApiGatewayManagementApiClient({
        ...base(),
        endpoint: stack.config.managementEndpoint,
        credentials: stack.config.credentials,
      });
      const info = await sdk.send(new GetConnectionCommand({ ConnectionId: id }));
      expect(info.Identity?.SourceIp).to.equal('127.0.0.1');
      sdk.destroy();
      const bad = new ApiGatewayManagementApiClient({
        ...base(),
        endpoint: stack.config.managementEndpoint,
        credentials: wrong(),
      });
      expect((await failure(bad.send(new GetConnectionCommand({ ConnectionId: id }))))?.name).to.equal(
        'InvalidSignatureException',
      );
      bad.destroy();
      const url = `${stack.config.managementEndpoint}/@connections/${encodeURIComponent(id)}`;
      const unsigned = await fetch(url, { method: 'POST', body: 'spoof' });
      expect(unsigned.status).to.equal(403);
      expect(unsigned.headers.get('x-amzn-errortype')).to.equal('MissingAuthenticationTokenException');
      const browser = await fetch(url, { method: 'POST', headers: { Origin: 'http://127.0.0.1:3999' }, body: 'x' });
      expect(browser.status).to.equal(403);
      expect(browser.headers.get('access-control-allow-origin')).to.equal(null);
      await client.close();
    });
  });

  describe('Lambda Invoke API', () => {
    const invoke = (credentials = stack.config.credentials) =>
      new LambdaClient({ ...base(), endpoint: stack.config.lambdaEndpoint, credentials });

    it('invokes every function of the stack by name, with the real SDK client', async () => {
      const client = invoke();
      const out = await client.send(
        new InvokeCommand({
          FunctionName: stack.config.functionNames.control,
          Payload: Buffer.from(JSON.stringify({ op: 'list', sub: 'nobody' })),
        }),
      );
      expect(out.FunctionError).to.equal(undefined);
      expect(JSON.parse(Buffer.from(out.Payload ?? []).toString())).to.deep.include({ connections: [] });
      // The authorizer given a non-event answers with its own refusal (a function error), not a 404.
      const auth = await client.send(
        new InvokeCommand({ FunctionName: stack.config.functionNames.authorizer, Payload: Buffer.from('{}') }),
      );
      expect(auth.StatusCode).to.equal(200);
      const missing = await failure(client.send(new InvokeCommand({ FunctionName: 'nope' })));
      expect(missing?.name).to.equal('ResourceNotFoundException');
      client.destroy();
    });

    it('refuses unsigned, wrongly signed and browser requests', async () => {
      const url = `${stack.config.lambdaEndpoint}/2015-03-31/functions/control/invocations`;
      const body = JSON.stringify({ op: 'revoke', sub: 'victim' });
      const unsigned = await fetch(url, { method: 'POST', body });
      expect(unsigned.status).to.equal(403);
      expect(unsigned.headers.get('x-amzn-errortype')).to.equal('MissingAuthenticationTokenException');
      const bad = invoke(wrong());
      expect(
        (await failure(bad.send(new InvokeCommand({ FunctionName: 'control', Payload: Buffer.from(body) }))))?.name,
      ).to.equal('InvalidSignatureException');
      bad.destroy();
      const browser = await fetch(url, { method: 'POST', headers: { Origin: 'http://127.0.0.1:3999' }, body });
      expect(browser.status).to.equal(403);
      expect([...browser.headers.keys()].filter((h) => h.startsWith('access-control-'))).to.deep.equal([]);
    });
  });

  describe('Cognito JSON API (the issuer): admin operations', () => {
    const cognito = (credentials = stack.config.credentials) =>
      new CognitoIdentityProviderClient({ ...base(), endpoint: stack.config.hostedUiUrl, credentials });

    it('AdminGetUser signed with the stack credentials answers the demo user', async () => {
      const client = cognito();
      const out = await client.send(
        new AdminGetUserCommand({ UserPoolId: stack.config.userPoolId, Username: stack.demoUser.username }),
      );
      expect(out.UserAttributes?.find((a) => a.Name === 'sub')?.Value).to.be.a('string');
      client.destroy();
    });

    it('refuses a wrong signature, an unsigned request and a browser request', async () => {
      const bad = cognito(wrong());
      const error = await failure(
        bad.send(new AdminGetUserCommand({ UserPoolId: stack.config.userPoolId, Username: 'demo' })),
      );
      expect(error?.name).to.equal('InvalidSignatureException');
      bad.destroy();
      const headers = {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.AdminGetUser',
      };
      const body = JSON.stringify({ UserPoolId: stack.config.userPoolId, Username: 'demo' });
      const unsigned = await fetch(stack.config.hostedUiUrl, { method: 'POST', headers, body });
      expect(unsigned.status).to.be.oneOf([400, 403]);
      expect(JSON.stringify(await unsigned.json())).to.match(/MissingAuthenticationToken/);
      const browser = await fetch(stack.config.hostedUiUrl, {
        method: 'POST',
        headers: { ...headers, Origin: 'http://127.0.0.1:3999' },
        body,
      });
      expect(browser.status).to.equal(403);
      expect(browser.headers.get('access-control-allow-origin')).to.equal(null);
    });
  });
});
