// The BUILT bundles (dist/<name>/index.js from scripts/build.mjs), loaded in child processes as Lambda loads
// them: a valid environment loads, a bad one fails the cold start naming the variable, and the three bundles
// work end to end against a real DynamoDB API (dynalite, the local stack's table setup) and a fake @connections
// endpoint reached through AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI.
import { expect } from 'chai';
import http from 'node:http';
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureConnectionsTable, localDynamoClient, startDynamo, type DynamoServer } from '../../../local/dynamodb.ts';
import { connectionsOfSub } from '../../../functions/shared/sub-index-pages.ts';
import { marshalConnectionItem } from '../../../functions/shared/connection-item.ts';
import {
  authorizerContext,
  connectEvent,
  disconnectEvent,
  messageEvent,
  SECRET_TOKEN,
  SUB,
} from '../../unit/connections/helpers.ts';
import { ensureBundlesBuilt, runBundle } from '../../support/bundles.ts';

const NAMES = ['connect', 'default', 'disconnect'] as const;

describe('connections: built bundles', function () {
  this.timeout(90_000);
  before(() => ensureBundlesBuilt());

  const validEnv = { CONNECTIONS_TABLE: 'conns', AWS_REGION: 'eu-west-1' };

  for (const name of NAMES) {
    it(`dist/${name}/index.js loads with a valid environment and exports handler`, async () => {
      const run = await runBundle(name, validEnv);
      expect(run.code, run.stderr).to.equal(0);
    });

    const bad: [string, Record<string, string>][] = [
      ['CONNECTIONS_TABLE', { AWS_REGION: 'eu-west-1' }],
      ['CONNECTION_TTL_SECONDS', { ...validEnv, CONNECTION_TTL_SECONDS: 'two hours' }],
      ['STORED_HEADERS', { ...validEnv, STORED_HEADERS: 'Authorization' }],
      [
        'AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI',
        { ...validEnv, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'not a url' },
      ],
    ];
    for (const [variable, env] of bad) {
      it(`dist/${name}/index.js fails its cold start naming ${variable}`, async () => {
        const run = await runBundle(name, env);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.contain(`Invalid configuration: ${variable}`);
        const [log] = run.logs;
        expect(log).to.include({ level: 'error', fn: name, reason: 'config_error' });
        expect(String(log?.['error'])).to.contain(variable);
      });
    }
  }

  describe('end to end against dynalite and a fake @connections endpoint', () => {
    let dynamo: DynamoServer;
    let client: DynamoDBClient;
    let management: http.Server;
    const calls: { method: string; url: string; body: string }[] = [];
    let env: Record<string, string>;

    before(async () => {
      dynamo = await startDynamo({ host: '127.0.0.1', port: 0 });
      client = localDynamoClient(dynamo.endpoint, 'eu-west-1');
      await ensureConnectionsTable(client, 'conns');
      management = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          calls.push({ method: req.method ?? '', url: req.url ?? '', body });
          if (req.url?.includes('gone-typed')) {
            res
              .writeHead(410, { 'x-amzn-ErrorType': 'GoneException', 'content-type': 'application/json' })
              .end('{"message":null}');
          } else if (req.url?.includes('gone-bare')) {
            res.writeHead(410).end();
          } else {
            res.writeHead(req.method === 'DELETE' ? 204 : 200).end();
          }
        });
      });
      await new Promise<void>((resolve) => management.listen(0, '127.0.0.1', resolve));
      const { port } = management.address() as { port: number };
      env = {
        CONNECTIONS_TABLE: 'conns',
        STORED_HEADERS: 'user-agent',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: `http://127.0.0.1:${port}/dev`,
      };
    });

    after(async () => {
      client?.destroy();
      await new Promise<void>((resolve) => (management ? management.close(() => resolve()) : resolve()));
      management?.closeAllConnections();
      await dynamo?.close();
    });

    beforeEach(() => {
      calls.length = 0;
    });

    // The event's domainName cannot resolve: only the environment's endpoint can answer.
    const context = (connectionId: string, exp: number): Record<string, unknown> => ({
      connectionId,
      domainName: 'unused.invalid',
      connectedAt: Date.now(),
      authorizer: authorizerContext({ exp: String(exp) }),
    });

    async function stored(connectionId: string): Promise<Record<string, unknown> | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: 'conns', Key: { connectionId: { S: connectionId } }, ConsistentRead: true }),
      );
      return Item;
    }

    it('connect stores the item, default echoes through the env endpoint, disconnect deletes it', async () => {
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const id = 'conn-1=';
      const connect = await runBundle('connect', env, [
        connectEvent({
          headers: { 'User-Agent': 'UA', Authorization: `Bearer ${SECRET_TOKEN}` },
          context: context(id, exp),
        }),
      ]);
      expect(connect.results, connect.stderr).to.deep.equal([{ statusCode: 200 }]);
      const item = await stored(id);
      expect(item?.['sub']).to.deep.equal({ S: SUB });
      expect(item?.['queryParameters']).to.deep.equal({ M: { room: { S: 'lobby' } } });
      expect(item?.['headers']).to.deep.equal({ M: { 'user-agent': { S: 'UA' } } });
      expect(JSON.stringify(item)).to.not.contain(SECRET_TOKEN);

      const found: string[] = [];
      for await (const c of connectionsOfSub(client, 'conns', SUB)) found.push(c.connectionId);
      expect(found).to.include(id);

      const echo = await runBundle('default', env, [messageEvent('{"n":1}', { context: context(id, exp) })]);
      expect(echo.results, echo.stderr + echo.stdout).to.deep.equal([{ statusCode: 200 }]);
      expect(calls.map((c) => [c.method, c.url])).to.deep.equal([
        ['POST', `/dev/@connections/${encodeURIComponent(id)}`],
      ]);
      const frame = JSON.parse(calls[0]?.body ?? '{}') as Record<string, unknown>;
      expect(frame).to.include({ type: 'echo' });
      expect(frame['message']).to.deep.equal({ n: 1 });
      expect(frame['connection']).to.include({ connectionId: id, sub: SUB, tokenExp: exp });

      const disconnect = await runBundle('disconnect', env, [
        disconnectEvent({ connectionId: id }),
        disconnectEvent({ connectionId: id }),
      ]);
      expect(disconnect.results).to.deep.equal([{ statusCode: 200 }, { statusCode: 200 }]);
      expect(await stored(id)).to.equal(undefined);
      for (const run of [connect, echo, disconnect]) expect(run.stdout).to.not.contain(SECRET_TOKEN);
    });

    it('a retried $connect does not overwrite the stored item', async () => {
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const id = 'conn-retry=';
      const first = connectEvent({ context: context(id, exp) });
      const retry = connectEvent({
        context: { ...context(id, exp), authorizer: authorizerContext({ exp: String(exp + 99), username: 'other' }) },
      });
      const run = await runBundle('connect', env, [first, retry]);
      expect(run.results).to.deep.equal([{ statusCode: 200 }, { statusCode: 200 }]);
      const item = await stored(id);
      expect(item?.['username']).to.deep.equal({ S: 'jane' });
      expect(item?.['tokenExp']).to.deep.equal({ N: String(exp) });
    });

    it('default closes an expired connection through the management API and deletes its item', async () => {
      const exp = Math.floor(Date.now() / 1000) - 1;
      const id = 'conn-expired=';
      await client.send(
        new PutItemCommand({
          TableName: 'conns',
          Item: marshalConnectionItem({
            connectionId: id,
            sub: SUB,
            username: 'jane',
            connectedAt: Date.now(),
            tokenExp: exp,
            ttl: exp + 7260,
            queryParameters: {},
            headers: {},
            claims: {},
          }),
        }),
      );
      const run = await runBundle('default', env, [messageEvent('hi', { context: context(id, exp) })]);
      expect(run.results, run.stderr + run.stdout).to.deep.equal([{ statusCode: 200 }]);
      expect(calls.map((c) => c.method)).to.deep.equal(['POST', 'DELETE']);
      expect(JSON.parse(calls[0]?.body ?? '{}')).to.deep.equal({ type: 'error', reason: 'token_expired' });
      expect(await stored(id)).to.equal(undefined);
    });

    for (const kind of ['gone-typed', 'gone-bare']) {
      it(`default deletes the stale item when the real SDK gets a 410 (${kind === 'gone-typed' ? 'GoneException' : 'no error type'})`, async () => {
        const exp = Math.floor(Date.now() / 1000) + 3600;
        const id = `${kind}=`;
        await runBundle('connect', env, [connectEvent({ context: context(id, exp) })]);
        expect(await stored(id)).to.not.equal(undefined);
        const run = await runBundle('default', env, [messageEvent('hi', { context: context(id, exp) })]);
        expect(run.results, run.stderr + run.stdout).to.deep.equal([{ statusCode: 200 }]);
        expect(await stored(id)).to.equal(undefined);
        expect(run.logs.map((l) => l['reason'])).to.include('stale_connection_removed');
      });
    }
  });
});
