// The part of DynamoDBClient the connection code uses: one `send` over four low-level commands. Outputs are
// typed `unknown` on purpose: callers validate what comes back instead of trusting the SDK's shapes.
import type { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';

export type DynamoCommand = PutItemCommand | GetItemCommand | DeleteItemCommand | QueryCommand;

export interface DynamoLike {
  send(command: DynamoCommand): Promise<unknown>;
}
