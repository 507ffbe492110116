// Finds a user's connections through the `sub-index` GSI, page by page, so a backend can push to every
// connection of a user. Used by no handler yet; kept here so the query (and its validation) is ready.
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshalConnectionItem, type ConnectionItem } from './connection-item.ts';
import { isRecord } from '../../shared/guards.ts';
import type { DynamoLike } from './dynamo-like.ts';

export const SUB_INDEX = 'sub-index';

export interface FindBySubOptions {
  /** Items per Query page (DynamoDB `Limit`); DynamoDB's own 1 MB page cap applies when unset. */
  readonly pageSize?: number;
  /** Stop after this many pages and report `truncated` (default 50), so a runaway result cannot loop forever. */
  readonly maxPages?: number;
  /**
   * Current time, epoch ms. When given, items whose `ttl` has passed are left out: TTL deletion lags by up
   * to days, and such connections are closed (API Gateway ends every connection after 2 hours).
   */
  readonly nowMs?: number;
}

export interface ConnectionsBySub {
  /** Oldest first (the index's range key is `connectedAt`). */
  readonly connections: ConnectionItem[];
  /** Items that failed validation and were left out. */
  readonly invalid: number;
  /** Items left out because their `ttl` has passed. */
  readonly expired: number;
  /** True when `maxPages` stopped the walk before the last page. */
  readonly truncated: boolean;
}

export const DEFAULT_MAX_PAGES = 50;

export async function findConnectionsBySub(
  dynamo: DynamoLike,
  tableName: string,
  sub: string,
  options: FindBySubOptions = {},
): Promise<ConnectionsBySub> {
  if (sub === '') throw new TypeError('findConnectionsBySub needs a non-empty sub');
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const connections: ConnectionItem[] = [];
  let invalid = 0;
  let expired = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const output = await dynamo.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: SUB_INDEX,
        KeyConditionExpression: '#sub = :sub',
        ExpressionAttributeNames: { '#sub': 'sub' },
        ExpressionAttributeValues: { ':sub': { S: sub } },
        ...(options.pageSize !== undefined ? { Limit: options.pageSize } : {}),
        ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    if (!isRecord(output)) throw new Error('Query returned no output');
    const items = output['Items'] ?? [];
    if (!Array.isArray(items)) throw new Error('Query returned malformed Items');
    for (const raw of items) {
      const result = unmarshalConnectionItem(raw);
      if (!result.ok || result.item.sub !== sub) invalid += 1;
      else if (options.nowMs !== undefined && result.item.ttl * 1000 <= options.nowMs) expired += 1;
      else connections.push(result.item);
    }
    const last = output['LastEvaluatedKey'];
    if (last === undefined || last === null) return { connections, invalid, expired, truncated: false };
    if (!isRecord(last)) throw new Error('Query returned a malformed LastEvaluatedKey');
    startKey = last as Record<string, AttributeValue>;
  }
  return { connections, invalid, expired, truncated: true };
}
