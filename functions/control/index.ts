// Lambda entry point of the control function (handler `index.handler`), invoked by a backend through Lambda's
// Invoke API. Configuration is validated at module load so a bad environment fails the cold start naming the
// variable; the SDK clients are created once, with time limits, and read their endpoints from the environment.
import { createDynamoClient, createManagementClient } from '../shared/aws-clients.ts';
import { loadAtColdStart, startLogger } from '../shared/cold-start.ts';
import { createConnectionStore } from '../shared/connection-store.ts';
import { loadControlConfig } from './config.ts';
import { createControlHandler } from './handler.ts';

const log = startLogger('control');
const config = loadAtColdStart(log, () => loadControlConfig(process.env));
const dynamo = createDynamoClient();

export const handler = createControlHandler({
  config,
  dynamo,
  store: createConnectionStore({ dynamo, tableName: config.tableName }),
  management: createManagementClient(),
  now: () => Date.now(),
  log,
});
