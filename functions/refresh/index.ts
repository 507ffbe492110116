// Lambda entry point for the `refresh` route (handler `index.handler`). Configuration is validated at module load
// (the verifier's variables exactly as the authorizer reads them, plus the connection table's), so a bad
// environment fails the cold start naming the variable; the JWKS fetch starts at load too.
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadAtColdStart } from '../shared/cold-start.ts';
import { loadConnectionConfig } from '../shared/connection-config.ts';
import { createConnectionStore } from '../shared/connection-store.ts';
import { createLogger } from '../shared/log.ts';
import { createManagementClients } from '../shared/management-clients.ts';
import { loadVerifierConfig } from '../shared/token/verifier-config.ts';
import { startVerifier } from '../shared/token/runtime.ts';
import { createRefreshHandler } from './handler.ts';
import { createRefreshStore } from './refresh-store.ts';

const log = createLogger('refresh');
const { connection, verification } = loadAtColdStart(log, () => ({
  connection: loadConnectionConfig(process.env),
  verification: loadVerifierConfig(process.env),
}));
const { verifier } = startVerifier(verification, log);
const dynamo = new DynamoDBClient({});
const management = createManagementClients({
  endpointFromEnv: connection.managementEndpointFromEnv,
  createClient: (endpoint) => new ApiGatewayManagementApiClient(endpoint === undefined ? {} : { endpoint }),
});

export const handler = createRefreshHandler({
  verifier,
  store: createRefreshStore({ dynamo, tableName: connection.tableName }),
  connections: createConnectionStore({ dynamo, tableName: connection.tableName }),
  management,
  storesClaims: verification.contextClaims.length > 0,
  now: () => Date.now(),
  log,
});
