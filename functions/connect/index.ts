// Lambda entry point for $connect (handler `index.handler`). Configuration is validated at module load so a
// bad environment fails the cold start naming the variable; the DynamoDB client is created once and reused.
// It honours AWS_ENDPOINT_URL_DYNAMODB on its own.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConnectionConfig, type ConnectionConfig } from '../shared/connection-config.ts';
import { createConnectionStore } from '../shared/connection-store.ts';
import { createLogger, describeError } from '../shared/log.ts';
import { createConnectHandler } from './handler.ts';

const log = createLogger('connect');
let config: ConnectionConfig;
try {
  config = loadConnectionConfig(process.env);
} catch (err) {
  log('error', 'config_error', { error: describeError(err) });
  throw err;
}
const store = createConnectionStore({ dynamo: new DynamoDBClient({}), tableName: config.tableName });

export const handler = createConnectHandler({ config, store, now: () => Date.now(), log });
