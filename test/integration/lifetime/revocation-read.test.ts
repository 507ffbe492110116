// The revocation read through the real SDK client against dynalite, and against endpoints that refuse or
// freeze: it must answer within its one-second budget whatever happens, and fail closed.
import { expect } from 'chai';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import net from 'node:net';
import { createRevocationReader, REVOCATION_TIMEOUT_MS } from '../../../functions/shared/token/revocations.ts';
import { createRevocationGet } from '../../../functions/shared/token/revocation-client.ts';
import { REGION, startFrozenEndpoint, startLocalDynamo, TEST_CREDENTIALS, type LocalDynamo } from './dynalite.ts';
import { ensureRevocationsTable } from '../../../local/dynamodb.ts';

const TABLE = 'revocations-test';

describe('lifetime: revocation read (real SDK client)', function () {
  this.timeout(30_000);
  let dynamo: LocalDynamo;

  before(async () => {
    dynamo = await startLocalDynamo();
    await ensureRevocationsTable(dynamo.client, TABLE);
    await dynamo.client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { sub: { S: 'revoked-user' }, revokedAt: { N: '1750000000' }, ttl: { N: '1750172800' } },
      }),
    );
    await dynamo.client.send(
      new PutItemCommand({ TableName: TABLE, Item: { sub: { S: 'bad-user' }, revokedAt: { S: 'yesterday' } } }),
    );
  });
  after(() => dynamo.close());

  const reader = (endpoint: string, timeoutMs?: number) =>
    createRevocationReader({
      get: createRevocationGet({ endpoint, region: REGION, credentials: TEST_CREDENTIALS }),
      tableName: TABLE,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });

  it('reads revokedAt for a revoked user and nothing for another', async () => {
    const r = reader(dynamo.endpoint);
    expect(await r.revokedAt('revoked-user')).to.deep.equal({ ok: true, revokedAt: 1_750_000_000 });
    expect(await r.revokedAt('someone-else')).to.deep.equal({ ok: true, revokedAt: undefined });
  });

  it('reports a malformed record as a failure, never as "not revoked"', async () => {
    const result = await reader(dynamo.endpoint).revokedAt('bad-user');
    expect(result).to.deep.include({ ok: false });
  });

  it('fails fast when nothing listens (connection refused)', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const started = Date.now();
    const result = await reader(`http://127.0.0.1:${port}`).revokedAt('revoked-user');
    expect(result.ok).to.equal(false);
    expect(Date.now() - started).to.be.below(REVOCATION_TIMEOUT_MS + 500);
  });

  it('ends within the one-second budget against a frozen endpoint', async () => {
    const frozen = await startFrozenEndpoint();
    try {
      const started = Date.now();
      const result = await reader(frozen.endpoint).revokedAt('revoked-user');
      const elapsed = Date.now() - started;
      expect(result.ok).to.equal(false);
      expect(elapsed).to.be.below(REVOCATION_TIMEOUT_MS + 500);
    } finally {
      await frozen.close();
    }
  });

  it('the client alone (no outer deadline) also ends the call: requestTimeout throws, retries are bounded', async () => {
    const frozen = await startFrozenEndpoint();
    try {
      const started = Date.now();
      const result = await reader(frozen.endpoint, 10_000).revokedAt('revoked-user');
      const elapsed = Date.now() - started;
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.error).to.match(/TimeoutError|timeout/i);
      // Two attempts of 400 ms plus the SDK's back-off: well under the 10 s outer deadline.
      expect(elapsed).to.be.below(2_500);
      expect(frozen.connections).to.equal(2);
    } finally {
      await frozen.close();
    }
  });
});
