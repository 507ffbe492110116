// Lambda entry point for the `refresh` route (handler `index.handler`). Configuration is validated at module load
// (the verifier's variables exactly as the authorizer reads them, plus the connection table's), so a bad
// environment fails the cold start naming the variable; the JWKS fetch starts at load too. SDK clients carry
// the shared time limits and are reused across invocations.
import { createDynamoClient, createManagementClient } from '../shared/aws-clients.ts';
import { loadAtColdStart, startLogger } from '../shared/cold-start.ts';
import { loadConnectionConfig } from '../shared/connection-config.ts';
import { createManagementClients } from '../shared/management-clients.ts';
import { loadVerifierConfig } from '../shared/token/verifier-config.ts';
import { startVerifier } from '../shared/token/runtime.ts';
import { createRefreshHandler } from './handler.ts';
import { createRefreshStore } from './refresh-store.ts';

const log = startLogger('refresh');
const { connection, verification } = loadAtColdStart(log, () => ({
  connection: loadConnectionConfig(process.env),
  verification: loadVerifierConfig(process.env),
}));
const { verifier } = startVerifier(verification, log);
const dynamo = createDynamoClient();
const management = createManagementClients({
  endpointFromEnv: connection.managementEndpointFromEnv,
  createClient: (endpoint) => createManagementClient(endpoint),
});

export const handler = createRefreshHandler({
  verifier,
  store: createRefreshStore({ dynamo, tableName: connection.tableName }),
  management,
  storesClaims: verification.contextClaims.length > 0,
  now: () => Date.now(),
  log,
});
