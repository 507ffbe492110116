// Lambda entry point for $disconnect (handler `index.handler`). Configuration is validated at module load so a
// bad environment fails the cold start naming the variable; the DynamoDB client is created once and reused.
import { startConnectionFunction } from '../shared/connection-runtime.ts';
import { createDisconnectHandler } from './handler.ts';

const { log, store } = startConnectionFunction('disconnect');

export const handler = createDisconnectHandler({
  store,
  log,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
