// In-memory stand-ins for the two services the control function calls, speaking the SDK's command objects:
// a connections table with `sub-index` paging (and a revocations table), and a management API whose
// connections are live, gone or failing. Both count what they were asked, for assertions.
import {
  DeleteItemCommand,
  GetItemCommand,
  InternalServerError,
  PutItemCommand,
  QueryCommand,
  ConditionalCheckFailedException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  LimitExceededException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { marshalConnectionItem, type ConnectionItem } from '../../../functions/shared/connection-item.ts';
import type { DynamoCommand } from '../../../functions/shared/dynamo-like.ts';

export const SUB = '1d7856e9-7bd7-45fe-beb1-77798de950bc';
export const OTHER_SUB = '9a0b7c1d-0000-4000-8000-000000000002';
// 2024-01-20T05:00:00Z
export const NOW_MS = 1_705_726_800_000;
export const NOW_S = NOW_MS / 1000;

export function connection(connectionId: string, overrides: Partial<ConnectionItem> = {}): ConnectionItem {
  return {
    connectionId,
    sub: SUB,
    username: 'jane',
    connectedAt: NOW_MS - 60_000,
    tokenExp: NOW_S + 3600,
    ttl: NOW_S + 7200,
    queryParameters: {},
    headers: {},
    claims: {},
    ...overrides,
  };
}

type Operation = 'Query' | 'GetItem' | 'DeleteItem' | 'PutItem';

export class FakeTable {
  readonly items = new Map<string, Record<string, AttributeValue>>();
  readonly revocations = new Map<string, Record<string, AttributeValue>>();
  readonly calls: Operation[] = [];
  readonly failing = new Set<Operation>();
  /** Query fails from this page on (0-based), for a failure in the middle of a fan-out. */
  failQueryFromPage: number | undefined;
  private queryPages = 0;

  constructor(
    readonly tableName = 'conns',
    readonly revocationsTable = 'revocations',
  ) {}

  add(...items: ConnectionItem[]): this {
    for (const item of items) this.items.set(item.connectionId, marshalConnectionItem(item));
    return this;
  }

  addRaw(connectionId: string, raw: Record<string, AttributeValue>): this {
    this.items.set(connectionId, raw);
    return this;
  }

  has(connectionId: string): boolean {
    return this.items.has(connectionId);
  }

  send = (command: DynamoCommand): Promise<unknown> => Promise.resolve().then(() => this.handle(command));

  private fail(operation: Operation): void {
    this.calls.push(operation);
    if (this.failing.has(operation)) throw new InternalServerError({ message: `${operation} failed`, $metadata: {} });
  }

  private handle(command: DynamoCommand): unknown {
    if (command instanceof QueryCommand) {
      this.fail('Query');
      const page = this.queryPages++;
      if (this.failQueryFromPage !== undefined && page >= this.failQueryFromPage)
        throw new InternalServerError({ message: 'Query failed', $metadata: {} });
      const input = command.input;
      if (input.TableName !== this.tableName || input.IndexName !== 'sub-index')
        throw new Error('wrong table or index');
      const sub = input.ExpressionAttributeValues?.[':sub']?.S;
      const all = [...this.items.values()]
        .filter((i) => i['sub']?.S === sub)
        .sort(
          (a, b) =>
            Number(a['connectedAt']?.N) - Number(b['connectedAt']?.N) ||
            (a['connectionId']?.S ?? '').localeCompare(b['connectionId']?.S ?? ''),
        );
      const after = input.ExclusiveStartKey?.['connectionId']?.S;
      const start = after === undefined ? 0 : all.findIndex((i) => i['connectionId']?.S === after) + 1;
      const limit = input.Limit ?? all.length;
      const items = all.slice(start, start + limit);
      const more = start + limit < all.length;
      const last = items[items.length - 1];
      return {
        Items: items,
        ...(more && last !== undefined
          ? {
              LastEvaluatedKey: {
                connectionId: last['connectionId'],
                sub: last['sub'],
                connectedAt: last['connectedAt'],
              },
            }
          : {}),
        $metadata: {},
      };
    }
    if (command instanceof GetItemCommand) {
      this.fail('GetItem');
      const item = this.items.get(command.input.Key?.['connectionId']?.S ?? '');
      return item === undefined ? { $metadata: {} } : { Item: item, $metadata: {} };
    }
    if (command instanceof DeleteItemCommand) {
      this.fail('DeleteItem');
      this.items.delete(command.input.Key?.['connectionId']?.S ?? '');
      return { $metadata: {} };
    }
    if (command instanceof PutItemCommand) {
      this.fail('PutItem');
      const { TableName, Item } = command.input;
      if (TableName === this.tableName && Item !== undefined) {
        const id = Item['connectionId']?.S ?? '';
        if (this.items.has(id))
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        this.items.set(id, Item);
        return { $metadata: {} };
      }
      if (TableName !== this.revocationsTable || Item === undefined) throw new Error('unexpected PutItem');
      const sub = Item['sub']?.S ?? '';
      const existing = this.revocations.get(sub);
      if (existing !== undefined && Number(existing['revokedAt']?.N) >= Number(Item['revokedAt']?.N))
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      this.revocations.set(sub, Item);
      return { $metadata: {} };
    }
    throw new Error('unexpected command');
  }
}

export type ConnectionState = 'live' | 'gone' | 'failing' | 'failing-delete';

export class FakeManagement {
  readonly states = new Map<string, ConnectionState>();
  readonly posts: { connectionId: string; frame: Record<string, unknown> }[] = [];
  readonly deletes: string[] = [];
  readonly gets: string[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(readonly latencyMs = 0) {}

  set(state: ConnectionState, ...ids: string[]): this {
    for (const id of ids) this.states.set(id, state);
    return this;
  }

  send = async (
    command: PostToConnectionCommand | DeleteConnectionCommand | GetConnectionCommand,
  ): Promise<unknown> => {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      else await Promise.resolve();
      const id = command.input.ConnectionId ?? '';
      const state = this.states.get(id) ?? 'gone';
      if (command instanceof GetConnectionCommand) this.gets.push(id);
      if (state === 'gone') throw new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } });
      if (command instanceof GetConnectionCommand) {
        if (state === 'failing')
          throw new LimitExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
        return { connectedAt: new Date(NOW_MS - 60_000), $metadata: {} };
      }
      if (command instanceof PostToConnectionCommand) {
        if (state === 'failing')
          throw new LimitExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
        const data = command.input.Data;
        const text = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
        this.posts.push({ connectionId: id, frame: JSON.parse(text) as Record<string, unknown> });
        return { $metadata: {} };
      }
      if (state === 'failing' || state === 'failing-delete')
        throw new LimitExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
      this.deletes.push(id);
      this.states.set(id, 'gone');
      return { $metadata: {} };
    } finally {
      this.inFlight -= 1;
    }
  };

  postsTo(id: string): Record<string, unknown>[] {
    return this.posts.filter((p) => p.connectionId === id).map((p) => p.frame);
  }
}
