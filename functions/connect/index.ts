// Lambda entry point for $connect (handler `index.handler`). Configuration is validated at module load so a
// bad environment fails the cold start naming the variable; the SDK clients are created once and reused.
import { startConnectionFunction } from '../shared/connection-runtime.ts';
import { createRevocationGet } from '../shared/token/revocation-client.ts';
import { createRevocationReader } from '../shared/token/revocations.ts';
import { createConnectHandler } from './handler.ts';

const { log, config, dynamo, store, management } = startConnectionFunction('connect');
const tableName = config.revocationsTable;
const revocations =
  tableName === undefined ? undefined : createRevocationReader({ get: createRevocationGet(), tableName });

export const handler = createConnectHandler({
  config,
  store,
  dynamo,
  management,
  now: () => Date.now(),
  log,
  ...(revocations !== undefined ? { revocations } : {}),
});
