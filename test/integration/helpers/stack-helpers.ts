// Helpers for full-system tests: a stack on free ports with the real bundles, sign-in through the hosted UI,
// and table inspection through the DynamoDB API.
import { GetItemCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { startStack, type RunningStack, type StackOptions } from '../../../local/stack.ts';
import { localDynamoClient } from '../../../local/dynamodb.ts';
import { signInWithHostedUi } from '../../../scripts/cli/hosted-ui-sign-in.ts';

export const FREE_PORTS = { web: 0, gateway: 0, lambda: 0, issuer: 0, dynamodb: 0 } as const;

/** A stack for tests: free ports, no web app, quiet logs, bundles from `make build` (built if missing). */
export function startTestStack(options: StackOptions = {}): Promise<RunningStack> {
  return startStack({
    ports: FREE_PORTS,
    web: false,
    build: 'if-missing',
    logLevel:
      process.env.STACK_LOG_LEVEL === undefined ? 'warn' : (process.env.STACK_LOG_LEVEL as StackOptions['logLevel']),
    logSink: (line) => {
      if (process.env.STACK_LOG_LEVEL !== undefined) console.log(line);
    },
    ...options,
  });
}

export async function accessToken(
  stack: RunningStack,
  username = stack.demoUser.username,
  password = stack.demoUser.password,
): Promise<string> {
  const tokens = await signInWithHostedUi({
    hostedUiUrl: stack.config.hostedUiUrl,
    clientId: stack.config.clientId,
    redirectUri: stack.config.redirectUri,
    username,
    password,
  });
  return tokens.accessToken;
}

export function dynamo(stack: RunningStack): DynamoDBClient {
  return localDynamoClient(stack.config.dynamodbEndpoint, stack.config.region, stack.config.credentials);
}

export async function itemCount(client: DynamoDBClient, tableName: string): Promise<number> {
  const out = await client.send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }));
  return out.Count ?? 0;
}

export async function getItem(
  client: DynamoDBClient,
  tableName: string,
  connectionId: string,
): Promise<Record<string, unknown> | undefined> {
  const out = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { connectionId: { S: connectionId } }, ConsistentRead: true }),
  );
  return out.Item;
}
