// A real DynamoDB API on localhost (dynalite: in memory, or persisted under a directory) and the connections
// table in the shape Terraform creates. dynalite implements neither UpdateTimeToLive nor TTL expiry, so the
// stack emulates TTL with a sweeper that deletes expired items through the DynamoDB API.
import http from 'node:http';
import { createRequire } from 'node:module';
import type { LocalCredentials } from './aws-auth/index.ts';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  DeleteItemCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { listen } from './ports.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: Record<string, unknown>) => http.Server;

/** A dynalite server, not listening yet: in memory, or persisted under `path`. */
export function createDynalite(path?: string): http.Server {
  return dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
}

export interface DynamoServer {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * dynalite alone, listening on a port, accepting any signature: for tests of modules that talk to DynamoDB
 * directly. The stack never uses it; it serves DynamoDB through startGuardedDynamo (dynamodb-endpoint.ts).
 */
export async function startDynamo(options: { host?: string; port?: number; path?: string }): Promise<DynamoServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createDynalite(options.path);
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        // dynalite closes its store on the server's close event; the callback fires after it.
        server.close(() => resolve());
      }),
  };
}

/**
 * A DynamoDB client for a local endpoint. The stack's endpoint verifies SigV4: pass the stack's credentials
 * (the default pair is only accepted by a bare startDynamo).
 */
export function localDynamoClient(
  endpoint: string,
  region: string,
  credentials: LocalCredentials = { accessKeyId: 'local', secretAccessKey: 'local' },
): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials,
    maxAttempts: 2,
  });
}

export interface TableSetup {
  created: boolean;
  ttl: 'enabled' | 'unsupported';
}

type CreateTableInput = ConstructorParameters<typeof CreateTableCommand>[0];

/** Creates a table unless it exists, waits until it is ACTIVE, and turns TTL on (`ttl`) where supported. */
async function ensureTable(client: DynamoDBClient, definition: CreateTableInput): Promise<TableSetup> {
  const tableName = definition.TableName as string;
  let created = false;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
    await client.send(new CreateTableCommand(definition));
    created = true;
  }
  for (let i = 0; i < 100; i += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  let ttl: TableSetup['ttl'] = 'enabled';
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      }),
    );
  } catch {
    // dynalite answers UnknownOperationException: TTL is emulated by sweepExpired instead.
    ttl = 'unsupported';
  }
  return { created, ttl };
}

/** Creates the connections table (same keys and index as modules/connections-table) unless it exists. */
export function ensureConnectionsTable(client: DynamoDBClient, tableName: string): Promise<TableSetup> {
  return ensureTable(client, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'connectionId', AttributeType: 'S' },
      { AttributeName: 'sub', AttributeType: 'S' },
      { AttributeName: 'connectedAt', AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'sub-index',
        KeySchema: [
          { AttributeName: 'sub', KeyType: 'HASH' },
          { AttributeName: 'connectedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
}

/** Creates the revocations table (hash key `sub`, TTL on `ttl`) unless it exists. */
export function ensureRevocationsTable(client: DynamoDBClient, tableName: string): Promise<TableSetup> {
  return ensureTable(client, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'sub', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'sub', KeyType: 'HASH' }],
  });
}

/** Deletes items whose `ttl` (epoch seconds) has passed, as DynamoDB TTL eventually does. Returns the count. */
export async function sweepExpired(
  client: DynamoDBClient,
  tableName: string,
  nowMs: number,
  keyName = 'connectionId',
): Promise<number> {
  let deleted = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: '#key',
        FilterExpression: '#ttl < :now',
        ExpressionAttributeNames: { '#ttl': 'ttl', '#key': keyName },
        ExpressionAttributeValues: { ':now': { N: String(Math.floor(nowMs / 1000)) } },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      await client
        .send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: { [keyName]: item[keyName] as AttributeValue },
            // Only if still expired: the item may have been refreshed meanwhile.
            ConditionExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':now': { N: String(Math.floor(nowMs / 1000)) } },
          }),
        )
        .then(
          () => (deleted += 1),
          () => undefined,
        );
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return deleted;
}
