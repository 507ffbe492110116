// A user's connection items through the `sub-index` GSI as an async sequence, one Query page at a time, so a
// fan-out over thousands of connections never holds more than a page. Items that fail validation are reported
// through `onInvalid` and skipped: the table is shared with other writers.
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { isRecord } from '../../shared/guards.ts';
import { unmarshalConnectionItem, type ConnectionItem } from './connection-item.ts';
import type { DynamoLike } from './dynamo-like.ts';

export const SUB_INDEX_NAME = 'sub-index';
/** Items per Query page: small enough that the first sends start early, large enough to keep Query calls few. */
export const DEFAULT_PAGE_SIZE = 250;
/** A runaway pagination (a bug, or a table that changes under us) stops here. 400 pages of 250 = 100,000 items. */
export const MAX_PAGES = 400;

export interface SubIndexOptions {
  readonly pageSize?: number;
  readonly maxPages?: number;
  readonly onInvalid?: (reason: string) => void;
}

export async function* connectionsOfSub(
  dynamo: DynamoLike,
  tableName: string,
  sub: string,
  options: SubIndexOptions = {},
): AsyncGenerator<ConnectionItem, void, undefined> {
  if (sub === '') throw new TypeError('connectionsOfSub needs a non-empty sub');
  const maxPages = options.maxPages ?? MAX_PAGES;
  let startKey: Record<string, AttributeValue> | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const output = await dynamo.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: SUB_INDEX_NAME,
        KeyConditionExpression: '#sub = :sub',
        ExpressionAttributeNames: { '#sub': 'sub' },
        ExpressionAttributeValues: { ':sub': { S: sub } },
        Limit: options.pageSize ?? DEFAULT_PAGE_SIZE,
        ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    if (!isRecord(output)) throw new Error('Query returned no output');
    const items = output['Items'] ?? [];
    if (!Array.isArray(items)) throw new Error('Query returned malformed Items');
    for (const raw of items) {
      const result = unmarshalConnectionItem(raw);
      if (!result.ok) options.onInvalid?.(result.reason);
      else if (result.item.sub !== sub) options.onInvalid?.('sub does not match the query');
      else yield result.item;
    }
    const last = output['LastEvaluatedKey'];
    if (last === undefined || last === null) return;
    if (!isRecord(last)) throw new Error('Query returned a malformed LastEvaluatedKey');
    startKey = last as Record<string, AttributeValue>;
  }
  throw new Error(`sub-index query stopped after ${maxPages} pages`);
}
