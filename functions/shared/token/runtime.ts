// Module-load set-up of the verifier for an entry point (authorizer, refresh): the JWKS cache with its first
// fetch started at once, and the revocation checks the configuration asks for (and none it does not).
import type { FunctionLogger, Logger } from '../log.ts';
import { createJwksCache, type JwksCache } from './jwks-cache.ts';
import { nodeHttpGet } from './http-request.ts';
import { nodeHttpRequest } from './http-request.ts';
import { createCognitoCheck } from './cognito-check.ts';
import { createRevocationReader } from './revocations.ts';
import { createTokenVerifier, type TokenVerifier } from './verifier.ts';
import type { VerifierConfig } from './verifier-config.ts';

export interface VerifierRuntime {
  readonly keys: JwksCache;
  readonly verifier: TokenVerifier;
}

/** The JWKS cache's records, with each failed fetch counted as the `JwksFetchFailure` metric. */
export function jwksLogger(log: FunctionLogger): Logger {
  return (level, reason, fields) => {
    if (reason === 'jwks_fetch_failed') log.metric(level, reason, { JwksFetchFailure: 1 }, fields);
    else log(level, reason, fields);
  };
}

export function startVerifier(
  config: VerifierConfig,
  log: FunctionLogger,
  now: () => number = Date.now,
): VerifierRuntime {
  const keys = createJwksCache({ jwksUri: config.jwksUri, get: nodeHttpGet, now, log: jwksLogger(log) });
  void keys.refresh();
  const revocations =
    config.revocationsTable === undefined
      ? undefined
      : createRevocationReader({
          // Loaded now, during the cold start, but only when revocation is on: without it the SDK is never loaded.
          get: import('./revocation-client.ts').then((m) => m.createRevocationGet()),
          tableName: config.revocationsTable,
        });
  const online =
    config.cognitoCheck === undefined
      ? undefined
      : createCognitoCheck({ config: config.cognitoCheck, request: nodeHttpRequest, now });
  const verifier = createTokenVerifier({
    config,
    keys,
    now,
    ...(revocations ? { revocations } : {}),
    ...(online ? { online } : {}),
  });
  return { keys, verifier };
}
