// Module-load set-up shared by connect, default and disconnect: logger, validated configuration, a store over
// one DynamoDB client and the management clients, all with time limits and reused across invocations. The
// SDK reads AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI itself.
import { createDynamoClient, createManagementClient } from './aws-clients.ts';
import { loadAtColdStart, startLogger } from './cold-start.ts';
import { loadConnectionConfig, type ConnectionConfig } from './connection-config.ts';
import { createConnectionStore, type ConnectionStore } from './connection-store.ts';
import type { DynamoLike } from './dynamo-like.ts';
import type { FunctionLogger } from './log.ts';
import { createManagementClients, type ManagementClients } from './management-clients.ts';

export interface ConnectionRuntime {
  readonly log: FunctionLogger;
  readonly config: ConnectionConfig;
  readonly dynamo: DynamoLike;
  readonly store: ConnectionStore;
  readonly management: ManagementClients;
}

export function startConnectionFunction(fn: string): ConnectionRuntime {
  const log = startLogger(fn);
  const config = loadAtColdStart(log, () => loadConnectionConfig(process.env));
  const dynamo = createDynamoClient();
  const store = createConnectionStore({ dynamo, tableName: config.tableName });
  const management = createManagementClients({
    endpointFromEnv: config.managementEndpointFromEnv,
    createClient: (endpoint) => createManagementClient(endpoint),
  });
  return { log, config, dynamo, store, management };
}
