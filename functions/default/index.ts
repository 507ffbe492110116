// Lambda entry point for $default (handler `index.handler`). Configuration is validated at module load so a
// bad environment fails the cold start naming the variable. The DynamoDB client is created once; management
// clients once per endpoint. Both honour the SDK's AWS_ENDPOINT_URL_* variables: an endpoint is passed in code
// only when the environment names none, since an explicit one would override it.
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConnectionConfig, type ConnectionConfig } from '../shared/connection-config.ts';
import { createConnectionStore } from '../shared/connection-store.ts';
import { createLogger, describeError } from '../shared/log.ts';
import { createManagementClients } from '../shared/management-clients.ts';
import { createDefaultHandler } from './handler.ts';

const log = createLogger('default');
let config: ConnectionConfig;
try {
  config = loadConnectionConfig(process.env);
} catch (err) {
  log('error', 'config_error', { error: describeError(err) });
  throw err;
}
const store = createConnectionStore({ dynamo: new DynamoDBClient({}), tableName: config.tableName });
const management = createManagementClients({
  endpointFromEnv: config.managementEndpointFromEnv,
  createClient: (endpoint) => new ApiGatewayManagementApiClient(endpoint === undefined ? {} : { endpoint }),
});

export const handler = createDefaultHandler({ store, management, now: () => Date.now(), log });
