// The refresh route's storage against a real DynamoDB API (dynalite): the conditional UpdateItem's expressions,
// the optimistic check against the state read, and the 10-per-minute limit counted on the item.
import { expect } from 'chai';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { marshalConnectionItem } from '../../../functions/shared/connection-item.ts';
import { createLogger } from '../../../functions/shared/log.ts';
import { createTokenVerifier } from '../../../functions/shared/token/verifier.ts';
import { createRefreshStore } from '../../../functions/refresh/refresh-store.ts';
import { createRefreshHandler } from '../../../functions/refresh/handler.ts';
import { REFRESH_LIMIT } from '../../../functions/refresh/refresh-rules.ts';
import { accessClaims, rsaKey, signRs256 } from '../../unit/authorizer/helpers.ts';
import { heldKeys, ISSUER, verifierConfig } from '../../unit/token/helpers.ts';
import { startLocalDynamo, type LocalDynamo } from './dynalite.ts';
import { ensureConnectionsTable } from '../../../local/dynamodb.ts';

const TABLE = 'connections-test';
const SUB = '1d7856e9-7bd7-45fe-beb1-77798de950bc';
const key = rsaKey('k1');

describe('lifetime: refresh storage (dynalite)', function () {
  this.timeout(30_000);
  let dynamo: LocalDynamo;
  // Taken when each test starts: the file is loaded long before its tests run in a full suite.
  let nowS = 0;
  beforeEach(() => {
    nowS = Math.floor(Date.now() / 1000);
  });

  before(async () => {
    dynamo = await startLocalDynamo();
    await ensureConnectionsTable(dynamo.client, TABLE);
  });
  after(() => dynamo.close());

  async function putConnection(connectionId: string, tokenExp: number): Promise<void> {
    await dynamo.client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: marshalConnectionItem({
          connectionId,
          sub: SUB,
          username: 'jane',
          connectedAt: (nowS - 10) * 1000,
          tokenExp,
          ttl: nowS - 10 + 7260,
          queryParameters: {},
          headers: {},
          claims: {},
        }),
      }),
    );
  }

  async function item(connectionId: string): Promise<Record<string, unknown>> {
    const out = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { connectionId: { S: connectionId } }, ConsistentRead: true }),
    );
    return out.Item ?? {};
  }

  it('reads the state, updates it conditionally, and reports a stale plan as a conflict', async () => {
    const store = createRefreshStore({ dynamo: dynamo.client, tableName: TABLE });
    await putConnection('c1', nowS + 60);
    const read = await store.read('c1');
    expect(read).to.deep.include({ status: 'found' });
    if (read.status !== 'found') return;
    expect(read.item).to.deep.include({ sub: SUB, tokenExp: nowS + 60, refreshCount: undefined });
    const update = { tokenExp: nowS + 3600, ttl: nowS + 7300, refreshCount: 1, refreshWindowStart: nowS };
    expect(await store.update('c1', read.item, update, { 'custom:tenant': 'acme' })).to.equal('updated');
    expect(await item('c1')).to.deep.include({
      tokenExp: { N: String(nowS + 3600) },
      ttl: { N: String(nowS + 7300) },
      refreshCount: { N: '1' },
      refreshWindowStart: { N: String(nowS) },
      claims: { M: { 'custom:tenant': { S: 'acme' } } },
      sub: { S: SUB },
      username: { S: 'jane' },
    });
    // The same plan again: the item no longer is in the state it was planned from.
    expect(await store.update('c1', read.item, { ...update, tokenExp: nowS + 4000 }, undefined)).to.equal('conflict');
    // Gone items are never recreated by an update.
    expect(await store.update('missing', read.item, update, undefined)).to.equal('conflict');
    expect(await item('missing')).to.deep.equal({});
  });

  it(`allows ${REFRESH_LIMIT} refreshes per minute on a connection, then answers rate_limited`, async () => {
    await putConnection('c2', nowS + 60);
    const frames: Record<string, unknown>[] = [];
    const handler = createRefreshHandler({
      verifier: createTokenVerifier({ config: verifierConfig(), keys: heldKeys({ k1: key.publicKey }), now: Date.now }),
      store: createRefreshStore({ dynamo: dynamo.client, tableName: TABLE }),
      management: {
        forEvent: () => ({
          send: (command: unknown) => {
            if (command instanceof PostToConnectionCommand)
              frames.push(
                JSON.parse(Buffer.from(command.input.Data as Uint8Array).toString('utf8')) as Record<string, unknown>,
              );
            return Promise.resolve({});
          },
        }),
      },
      storesClaims: false,
      now: Date.now,
      log: createLogger('refresh', () => undefined),
    });
    const event = (exp: number) => ({
      body: JSON.stringify({
        action: 'refresh',
        token: signRs256(
          { alg: 'RS256', kid: 'k1' },
          accessClaims(ISSUER, { exp, iat: nowS - 5, auth_time: nowS - 5 }),
          key.privateKey,
        ),
      }),
      requestContext: { connectionId: 'c2', requestId: 'r', domainName: 'example.com', stage: 'dev' },
    });
    // Concurrent refreshes: the conditional update serialises them; none is double-counted (a loser re-reads,
    // then finds a later exp stored (not_newer) or gives up after three conflicts).
    await Promise.all(Array.from({ length: 4 }, (_, i) => handler(event(nowS + 1000 + i))));
    const successes = (): number => frames.filter((f) => f['type'] === 'token_refreshed').length;
    const afterBurst = successes();
    expect(afterBurst).to.be.within(1, 4);
    expect(Number(((await item('c2'))['refreshCount'] as { N: string }).N)).to.equal(afterBurst);
    for (let exp = nowS + 2000; successes() < REFRESH_LIMIT; exp += 1) await handler(event(exp));
    await handler(event(nowS + 5000));
    expect(frames.at(-1)).to.deep.equal({ type: 'error', reason: 'refresh_rejected', detail: 'rate_limited' });
    const stored = await item('c2');
    expect(Number((stored['refreshCount'] as { N: string }).N)).to.equal(REFRESH_LIMIT);
    expect(Number((stored['tokenExp'] as { N: string }).N)).to.be.below(nowS + 5000);
    const rejected = frames.filter((f) => f['type'] === 'error').map((f) => f['detail']);
    expect(rejected.every((d) => d === 'rate_limited' || d === 'not_newer' || d === 'conflict')).to.equal(true);
  });
});
