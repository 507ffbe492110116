// The DynamoDB client of the revocation read, in a module of its own so that only a configuration with
// REVOCATIONS_TABLE loads the SDK (runtime.ts imports it dynamically). Its own small limits: connect within
// 300 ms, the answer within 400 ms, two attempts; `throwOnRequestTimeout` because without it the HTTP handler only
// logs a warning when requestTimeout passes and keeps waiting. The reader's 1 s deadline backs all of this.
import { DynamoDBClient, GetItemCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { RevocationGet } from './revocations.ts';

export const REVOCATION_CLIENT_CONFIG = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 300, requestTimeout: 400, throwOnRequestTimeout: true },
} as const;

/**
 * A GetItem sender over one client reused across invocations. The client honours AWS_ENDPOINT_URL_DYNAMODB like
 * every SDK client; `overrides` (endpoint, credentials) are for tests.
 */
export function createRevocationGet(overrides: DynamoDBClientConfig = {}): RevocationGet {
  const client = new DynamoDBClient({
    ...overrides,
    maxAttempts: REVOCATION_CLIENT_CONFIG.maxAttempts,
    requestHandler: { ...REVOCATION_CLIENT_CONFIG.requestHandler },
  });
  return (input, signal) =>
    client.send(new GetItemCommand({ ...input, Key: { sub: { S: input.Key.sub.S } } }), { abortSignal: signal });
}
