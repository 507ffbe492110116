// The revocation record: every session of `sub` authenticated up to `revokedAt` (epoch s) is revoked. The
// authorizer and refresh refuse tokens whose auth_time is not after it.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { errorName } from '../../shared/guards.ts';
import type { DynamoLike } from '../shared/dynamo-like.ts';

/** Longer than the longest access token (1 day) plus a margin, so a record outlives every token it refuses. */
export const REVOCATION_TTL_SECONDS = 2 * 86_400;

/**
 * One PutItem. Conditional, so that a record can only move forward in time: with clocks a little apart, a
 * revoke that reaches DynamoDB second must not shorten the first one's reach. Returns the `revokedAt` written
 * (or already there and later).
 */
export async function recordRevocation(
  dynamo: DynamoLike,
  tableName: string,
  sub: string,
  nowMs: number,
): Promise<number> {
  const revokedAt = Math.floor(nowMs / 1000);
  try {
    await dynamo.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          sub: { S: sub },
          revokedAt: { N: String(revokedAt) },
          ttl: { N: String(revokedAt + REVOCATION_TTL_SECONDS) },
        },
        ConditionExpression: 'attribute_not_exists(#sub) OR #revokedAt < :revokedAt',
        ExpressionAttributeNames: { '#sub': 'sub', '#revokedAt': 'revokedAt' },
        ExpressionAttributeValues: { ':revokedAt': { N: String(revokedAt) } },
      }),
    );
  } catch (err) {
    // A record at or after this second is already there: it revokes at least as much.
    if (errorName(err) !== 'ConditionalCheckFailedException') throw err;
  }
  return revokedAt;
}
