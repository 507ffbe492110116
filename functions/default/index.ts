// Lambda entry point for $default (handler `index.handler`). Configuration is validated at module load so a
// bad environment fails the cold start naming the variable. The SDK clients are created once (management
// clients once per endpoint) and honour the SDK's AWS_ENDPOINT_URL_* variables: an endpoint is passed in code
// only when the environment names none, since an explicit one would override it.
import { startConnectionFunction } from '../shared/connection-runtime.ts';
import { createDefaultHandler } from './handler.ts';

const { log, store, management } = startConnectionFunction('default');

export const handler = createDefaultHandler({ store, management, now: () => Date.now(), log });
