// Lambda entry point (handler `index.handler`). Configuration is validated here at module load, so a bad
// environment fails the cold start with a message naming the variable; the JWKS fetch starts at load too,
// so the first request rarely waits for it.
import { loadAtColdStart } from '../shared/cold-start.ts';
import { createLogger } from '../shared/log.ts';
import { startVerifier } from '../shared/token/runtime.ts';
import { loadConfig } from './config.ts';
import { createAuthorizer } from './authorize.ts';
import { createDecisionLog } from './decision-log.ts';

const bootLog = createLogger('authorizer');
// The log configuration is part of loadConfig (a bad LOG_LEVEL or METRICS_NAMESPACE fails the cold start).
const config = loadAtColdStart(bootLog, () => loadConfig(process.env));
const log = createLogger('authorizer', {
  level: config.log.level,
  namespace: config.log.namespace,
  platformLevel: config.log.platformLevel,
});
const now = (): number => Date.now();
const { verifier } = startVerifier(config, log, now);
const decisions = createDecisionLog({
  namespace: config.log.namespace,
  level: config.log.level,
  platformLevel: config.log.platformLevel,
  now,
  write: (line) => {
    process.stdout.write(line);
  },
});

export const handler = createAuthorizer({ config, verifier, decisions, log });
