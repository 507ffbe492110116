// Lambda entry point for $default (handler `index.handler`). Configuration is validated at module load so a
// bad environment fails the cold start naming the variable. The DynamoDB client is created once; management
// clients once per endpoint. Both honour the SDK's AWS_ENDPOINT_URL_* variables: an endpoint is passed in code
// only when the environment names none, since an explicit one would override it.
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { startConnectionFunction } from '../shared/connection-runtime.ts';
import { createManagementClients } from '../shared/management-clients.ts';
import { createDefaultHandler } from './handler.ts';

const { log, config, store } = startConnectionFunction('default');
const management = createManagementClients({
  endpointFromEnv: config.managementEndpointFromEnv,
  createClient: (endpoint) => new ApiGatewayManagementApiClient(endpoint === undefined ? {} : { endpoint }),
});

export const handler = createDefaultHandler({ store, management, now: () => Date.now(), log });
