// The connections table behind one small interface: put (never overwriting), get (validated), delete
// (idempotent); the by-user query is sub-index-pages.ts. Each method is a single low-level command over an injected client.
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshalConnectionItem, unmarshalConnectionItem, type ConnectionItem } from './connection-item.ts';
import { errorName, isRecord } from '../../shared/guards.ts';
import type { DynamoLike } from './dynamo-like.ts';

export type PutOutcome = 'stored' | 'already_exists';

export type GetOutcome =
  | { readonly status: 'found'; readonly item: ConnectionItem }
  | { readonly status: 'missing' }
  | { readonly status: 'invalid'; readonly reason: string };

export interface ConnectionStore {
  /** One conditional PutItem: a retried `$connect` finds the item there and never overwrites it. */
  put(item: ConnectionItem): Promise<PutOutcome>;
  get(connectionId: string): Promise<GetOutcome>;
  /** Deleting a missing item succeeds (DeleteItem without a condition). */
  delete(connectionId: string): Promise<void>;
}

export function createConnectionStore(deps: { dynamo: DynamoLike; tableName: string }): ConnectionStore {
  const { dynamo, tableName } = deps;
  return {
    async put(item) {
      try {
        await dynamo.send(
          new PutItemCommand({
            TableName: tableName,
            Item: marshalConnectionItem(item),
            ConditionExpression: 'attribute_not_exists(connectionId)',
          }),
        );
        return 'stored';
      } catch (err) {
        if (errorName(err) === 'ConditionalCheckFailedException') return 'already_exists';
        throw err;
      }
    },

    async get(connectionId) {
      // Strongly consistent: the first message may follow $connect's PutItem by a few milliseconds.
      const output = await dynamo.send(
        new GetItemCommand({ TableName: tableName, Key: { connectionId: { S: connectionId } }, ConsistentRead: true }),
      );
      if (!isRecord(output)) throw new Error('GetItem returned no output');
      const raw = output['Item'];
      if (raw === undefined || raw === null) return { status: 'missing' };
      const result = unmarshalConnectionItem(raw);
      if (!result.ok) return { status: 'invalid', reason: result.reason };
      if (result.item.connectionId !== connectionId)
        return { status: 'invalid', reason: 'connectionId does not match the key' };
      return { status: 'found', item: result.item };
    },

    async delete(connectionId) {
      await dynamo.send(new DeleteItemCommand({ TableName: tableName, Key: { connectionId: { S: connectionId } } }));
    },
  };
}
