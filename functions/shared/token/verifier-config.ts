// The verification configuration shared by the authorizer and refresh: the same variables, read the same way,
// so a token refresh accepts exactly what the authorizer accepts. Validated once at cold start; a bad value
// throws a ConfigError naming the variable.
import { ConfigError, optionalEnum, optionalString, type Env } from '../env.ts';
import { isLoopbackHost, TABLE_NAME } from '../../../shared/formats.ts';
import { loadConfig, type AuthorizerConfig } from '../../authorizer/config.ts';
import { parseContextClaims, type ContextClaim } from './context-claims.ts';
import type { Answer, CognitoCheckConfig } from './cognito-check.ts';

export interface VerifierConfig extends Pick<
  AuthorizerConfig,
  | 'userPoolId'
  | 'region'
  | 'clientIds'
  | 'tokenUse'
  | 'requiredScopes'
  | 'allowedGroups'
  | 'issuer'
  | 'jwksUri'
  | 'clockToleranceSeconds'
  | 'maxTokenLength'
> {
  readonly contextClaims: readonly ContextClaim[];
  /** The revocations table; undefined turns explicit revocation off (no call at all). */
  readonly revocationsTable: string | undefined;
  /** The online check at Cognito; undefined when COGNITO_REVOCATION_CHECK is off. */
  readonly cognitoCheck: CognitoCheckConfig | undefined;
}

const ANSWERS: readonly Answer[] = ['deny', 'allow'];

/** An endpoint the token is sent to: https, or plain http only on loopback (the local stack). */
function tokenEndpoint(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, 'is not an absolute URL');
  }
  if (url.username || url.password) throw new ConfigError(name, 'must not contain credentials');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url.href;
  throw new ConfigError(name, 'must be an https:// URL (plain http:// is accepted only for loopback hosts)');
}

/** Follows the SDK's rule: the service's own variable, then the global one, unless told to ignore both. */
function getUserEndpoint(env: Env, region: string): string {
  const ignore = optionalString(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
  if (ignore !== undefined && ignore !== 'true' && ignore !== 'false') {
    throw new ConfigError('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'must be true or false');
  }
  if (ignore !== 'true') {
    for (const name of ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'AWS_ENDPOINT_URL']) {
      const value = optionalString(env, name);
      if (value !== undefined) return tokenEndpoint(name, value);
    }
  }
  return `https://cognito-idp.${region}.amazonaws.com/`;
}

function loadCognitoCheck(env: Env, base: AuthorizerConfig): CognitoCheckConfig | undefined {
  const mode = optionalEnum(env, 'COGNITO_REVOCATION_CHECK', ['off', 'on'], 'off');
  const uncheckable = optionalEnum(env, 'COGNITO_REVOCATION_UNCHECKABLE', ANSWERS, 'deny');
  const onError = optionalEnum(env, 'COGNITO_REVOCATION_ON_ERROR', ANSWERS, 'deny');
  if (mode === 'off') return undefined;
  if (base.tokenUse === 'id') {
    throw new ConfigError('COGNITO_REVOCATION_CHECK', 'cannot be on with TOKEN_USE=id (Cognito checks access tokens)');
  }
  const userInfo = optionalString(env, 'USERINFO_ENDPOINT');
  if (userInfo === undefined) {
    throw new ConfigError('USERINFO_ENDPOINT', 'is required when COGNITO_REVOCATION_CHECK=on');
  }
  return {
    getUserEndpoint: getUserEndpoint(env, base.region),
    userInfoEndpoint: tokenEndpoint('USERINFO_ENDPOINT', userInfo),
    uncheckable,
    onError,
  };
}

export function loadVerifierConfig(env: Env): VerifierConfig {
  const base = loadConfig(env);
  const revocationsTable = optionalString(env, 'REVOCATIONS_TABLE');
  if (revocationsTable !== undefined && !TABLE_NAME.test(revocationsTable)) {
    throw new ConfigError('REVOCATIONS_TABLE', 'is malformed (expected 3 to 255 of A-Z a-z 0-9 _ . -)');
  }
  return {
    userPoolId: base.userPoolId,
    region: base.region,
    clientIds: base.clientIds,
    tokenUse: base.tokenUse,
    requiredScopes: base.requiredScopes,
    allowedGroups: base.allowedGroups,
    issuer: base.issuer,
    jwksUri: base.jwksUri,
    clockToleranceSeconds: base.clockToleranceSeconds,
    maxTokenLength: base.maxTokenLength,
    contextClaims: parseContextClaims(optionalString(env, 'CONTEXT_CLAIMS')),
    revocationsTable,
    cognitoCheck: loadCognitoCheck(env, base),
  };
}
