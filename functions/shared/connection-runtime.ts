// Module-load set-up shared by connect, default and disconnect: logger, validated configuration, and a
// store over one DynamoDB client reused across invocations (it honours AWS_ENDPOINT_URL_DYNAMODB).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadAtColdStart } from './cold-start.ts';
import { loadConnectionConfig, type ConnectionConfig } from './connection-config.ts';
import { createConnectionStore, type ConnectionStore } from './connection-store.ts';
import { createLogger, type Logger } from './log.ts';

export interface ConnectionRuntime {
  log: Logger;
  config: ConnectionConfig;
  store: ConnectionStore;
}

export function startConnectionFunction(fn: string): ConnectionRuntime {
  const log = createLogger(fn);
  const config = loadAtColdStart(log, () => loadConnectionConfig(process.env));
  const store = createConnectionStore({ dynamo: new DynamoDBClient({}), tableName: config.tableName });
  return { log, config, store };
}
