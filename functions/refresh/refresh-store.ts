// The connection item as refresh sees it: a strongly consistent read of the fields it plans from, and one
// conditional UpdateItem that moves tokenExp/ttl, counts the refresh and (with CONTEXT_CLAIMS) replaces the
// stored claims, only if the item still exists, still belongs to that sub and is still in the state read.
import { GetItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshalConnectionItem } from '../shared/connection-item.ts';
import { errorName, isRecord } from '../../shared/guards.ts';
import type { RefreshUpdate, StoredConnection } from './refresh-rules.ts';

export interface RefreshDynamo {
  send(command: GetItemCommand | UpdateItemCommand): Promise<unknown>;
}

export type StoredRead =
  | { readonly status: 'found'; readonly item: StoredConnection }
  | { readonly status: 'missing' }
  | { readonly status: 'invalid'; readonly reason: string };

export interface RefreshStore {
  read(connectionId: string): Promise<StoredRead>;
  /** `conflict` when the item changed (or went) since `expected` was read. */
  update(
    connectionId: string,
    expected: StoredConnection,
    update: RefreshUpdate,
    claims: Readonly<Record<string, string>> | undefined,
  ): Promise<'updated' | 'conflict'>;
}

function optionalCount(raw: Record<string, unknown>, name: string): number | undefined | 'invalid' {
  const attr = raw[name];
  if (attr === undefined) return undefined;
  const text = isRecord(attr) ? attr['N'] : undefined;
  if (typeof text !== 'string' || !/^\d{1,12}$/.test(text)) return 'invalid';
  return Number(text);
}

const n = (value: number): AttributeValue => {
  if (!Number.isSafeInteger(value)) throw new TypeError('refresh writes whole numbers only');
  return { N: String(value) };
};

function claimsMap(claims: Readonly<Record<string, string>>): AttributeValue {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(claims))
    Object.defineProperty(out, key, { value: { S: value }, enumerable: true });
  return { M: out };
}

export function createRefreshStore(deps: { dynamo: RefreshDynamo; tableName: string }): RefreshStore {
  const { dynamo, tableName } = deps;
  return {
    async read(connectionId) {
      const output = await dynamo.send(
        new GetItemCommand({ TableName: tableName, Key: { connectionId: { S: connectionId } }, ConsistentRead: true }),
      );
      if (!isRecord(output)) throw new Error('GetItem returned no output');
      const raw = output['Item'];
      if (raw === undefined || raw === null) return { status: 'missing' };
      const base = unmarshalConnectionItem(raw);
      if (!base.ok) return { status: 'invalid', reason: base.reason };
      if (base.item.connectionId !== connectionId)
        return { status: 'invalid', reason: 'connectionId does not match the key' };
      const record = raw as Record<string, unknown>;
      const refreshCount = optionalCount(record, 'refreshCount');
      const refreshWindowStart = optionalCount(record, 'refreshWindowStart');
      if (refreshCount === 'invalid' || refreshWindowStart === 'invalid')
        return { status: 'invalid', reason: 'refreshCount or refreshWindowStart is not a whole number (N)' };
      const { sub, tokenExp, ttl, connectedAt } = base.item;
      return { status: 'found', item: { sub, tokenExp, ttl, connectedAt, refreshCount, refreshWindowStart } };
    },

    async update(connectionId, expected, update, claims) {
      const names: Record<string, string> = {
        '#sub': 'sub',
        '#exp': 'tokenExp',
        '#ttl': 'ttl',
        '#count': 'refreshCount',
        '#window': 'refreshWindowStart',
      };
      const values: Record<string, AttributeValue> = {
        ':sub': { S: expected.sub },
        ':oldExp': n(expected.tokenExp),
        ':exp': n(update.tokenExp),
        ':ttl': n(update.ttl),
        ':count': n(update.refreshCount),
        ':window': n(update.refreshWindowStart),
      };
      let set = 'SET #exp = :exp, #ttl = :ttl, #count = :count, #window = :window';
      if (claims !== undefined) {
        names['#claims'] = 'claims';
        values[':claims'] = claimsMap(claims);
        set += ', #claims = :claims';
      }
      // The state the plan was made from: same owner, same expiry, same window and count.
      let condition = 'attribute_exists(connectionId) AND #sub = :sub AND #exp = :oldExp';
      if (expected.refreshWindowStart === undefined) condition += ' AND attribute_not_exists(#window)';
      else {
        values[':oldWindow'] = n(expected.refreshWindowStart);
        condition += ' AND #window = :oldWindow';
      }
      if (expected.refreshCount === undefined) condition += ' AND attribute_not_exists(#count)';
      else {
        values[':oldCount'] = n(expected.refreshCount);
        condition += ' AND #count = :oldCount';
      }
      try {
        await dynamo.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { connectionId: { S: connectionId } },
            UpdateExpression: set,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return 'updated';
      } catch (err) {
        if (errorName(err) === 'ConditionalCheckFailedException') return 'conflict';
        throw err;
      }
    },
  };
}
