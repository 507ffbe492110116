// The part of DynamoDBClient the connection code uses: one `send` over four low-level commands. Outputs are
// typed `unknown` on purpose: callers validate what comes back instead of trusting the SDK's shapes.
import type { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';

export type DynamoCommand = PutItemCommand | GetItemCommand | DeleteItemCommand | QueryCommand;

export interface DynamoLike {
  send(command: DynamoCommand): Promise<unknown>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error's `name` (SDK v3 names modeled errors after their shape), or undefined. */
export function errorName(err: unknown): string | undefined {
  return isRecord(err) && typeof err['name'] === 'string' ? err['name'] : undefined;
}

/** The HTTP status the SDK recorded on a service error, when there is one. */
export function httpStatusOf(err: unknown): number | undefined {
  if (!isRecord(err)) return undefined;
  const metadata = err['$metadata'];
  if (!isRecord(metadata)) return undefined;
  const status = metadata['httpStatusCode'];
  return typeof status === 'number' ? status : undefined;
}
