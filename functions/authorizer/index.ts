// Lambda entry point (handler `index.handler`). Configuration is validated here at module load, so a bad
// environment fails the cold start with a message naming the variable; the JWKS fetch starts at load too,
// so the first request rarely waits for it.
import { createLogger, describeError } from '../shared/log.ts';
import { loadConfig } from './config.ts';
import { createAuthorizer } from './authorize.ts';
import { createJwksCache } from './jwks-cache.ts';
import { nodeHttpGet } from './http-get.ts';
import { withMinLevel } from './log-level.ts';

const baseLog = createLogger('authorizer');
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  baseLog('error', 'config_error', { error: describeError(err) });
  throw err;
}
const log = withMinLevel(baseLog, config.logLevel);
const now = (): number => Date.now();
const keys = createJwksCache({ jwksUri: config.jwksUri, get: nodeHttpGet, now, log });
void keys.refresh();

export const handler = createAuthorizer({ config, keys, now, log });
