// Lambda entry point (handler `index.handler`). Configuration is validated here at module load, so a bad
// environment fails the cold start with a message naming the variable; the JWKS fetch starts at load too,
// so the first request rarely waits for it.
import { loadAtColdStart } from '../shared/cold-start.ts';
import { createLogger } from '../shared/log.ts';
import { loadConfig } from './config.ts';
import { createAuthorizer } from './authorize.ts';
import { createJwksCache } from './jwks-cache.ts';
import { nodeHttpGet } from './http-get.ts';
import { withMinLevel } from './log-level.ts';

const baseLog = createLogger('authorizer');
const config = loadAtColdStart(baseLog, () => loadConfig(process.env));
const log = withMinLevel(baseLog, config.logLevel);
const now = (): number => Date.now();
const keys = createJwksCache({ jwksUri: config.jwksUri, get: nodeHttpGet, now, log });
void keys.refresh();

export const handler = createAuthorizer({ config, keys, now, log });
