// The standalone issuer's configuration from the environment (cli.ts). Apart from cli.ts so it can be tested
// without starting a server. Every failure is a ConfigError naming the variable.
import { ConfigError, optionalInt, optionalString, parseList, type Env } from '../../functions/shared/env.ts';
import type { IssuerOptions } from './options.ts';
import { parseUserClaims } from './user-claims.ts';
import { DEMO_USER } from '../../shared/demo-user.ts';

export function optionsFromEnv(env: Env): IssuerOptions {
  const clientId = optionalString(env, 'ISSUER_CLIENT_ID') ?? 'localwebclient';
  const callbackUrls = parseList(optionalString(env, 'ISSUER_CALLBACK_URLS') ?? 'http://localhost:3000/');
  const logoutUrls = parseList(optionalString(env, 'ISSUER_LOGOUT_URLS') ?? callbackUrls.join(','));
  const scopes = parseList(optionalString(env, 'ISSUER_SCOPES'), /[\s,]+/);
  const options: IssuerOptions = {
    host: optionalString(env, 'ISSUER_HOST') ?? '127.0.0.1',
    port: optionalInt(env, 'ISSUER_PORT', 9229, 0, 65535),
    clients: [{ clientId, callbackUrls, logoutUrls, ...(scopes.length > 0 ? { allowedScopes: scopes } : {}) }],
    users: [
      {
        username: optionalString(env, 'DEMO_USERNAME') ?? DEMO_USER.username,
        password: env.DEMO_PASSWORD ?? DEMO_USER.password,
        email: optionalString(env, 'DEMO_EMAIL') ?? DEMO_USER.email,
      },
    ],
    accessTokenTtlSeconds: optionalInt(env, 'ISSUER_ACCESS_TOKEN_TTL_SECONDS', 3600, 1, 86400),
    idTokenTtlSeconds: optionalInt(env, 'ISSUER_ID_TOKEN_TTL_SECONDS', 3600, 1, 86400),
    codeTtlSeconds: optionalInt(env, 'ISSUER_CODE_TTL_SECONDS', 300, 1, 3600),
  };
  const userClaims = optionalString(env, 'LOCAL_USER_CLAIMS');
  if (userClaims !== undefined) {
    const parsed = parseUserClaims(userClaims);
    if (!parsed.ok) {
      const detail = parsed.reason.replace(/^LOCAL_USER_CLAIMS ?/, '');
      throw new ConfigError('LOCAL_USER_CLAIMS', detail.startsWith('.') ? `at ${detail}` : detail);
    }
    options.userClaims = parsed.claims;
  }
  const stateDir = optionalString(env, 'ISSUER_STATE_DIR');
  if (stateDir) options.stateDir = stateDir;
  const poolId = optionalString(env, 'ISSUER_POOL_ID');
  if (poolId) options.poolId = poolId;
  const region = optionalString(env, 'ISSUER_REGION');
  if (region) options.region = region;
  return options;
}
