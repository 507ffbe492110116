// The verification configuration shared by the authorizer and refresh: the same variables, read the same way,
// so a token refresh accepts exactly what the authorizer accepts. Validated once at cold start; a bad value
// throws a ConfigError naming the variable.
import { ConfigError, optionalEnum, optionalString, parseList, requiredString, type Env } from '../env.ts';
import { CLIENT_ID, isLoopbackHost, SCOPE, TABLE_NAME } from '../../../shared/formats.ts';
import { parseContextClaims, type ContextClaim } from './context-claims.ts';
import type { Answer, CognitoCheckConfig } from './cognito-check.ts';

export type TokenUse = 'access' | 'id';

export interface VerifierConfig {
  readonly userPoolId: string;
  readonly region: string;
  readonly clientIds: ReadonlySet<string>;
  readonly tokenUse: TokenUse;
  readonly requiredScopes: readonly string[];
  readonly allowedGroups: readonly string[];
  readonly issuer: string;
  readonly jwksUri: string;
  /** Seconds of clock skew tolerated on exp, nbf and iat. */
  readonly clockToleranceSeconds: number;
  /** Longest token accepted, in characters, checked before any decoding. */
  readonly maxTokenLength: number;
  readonly contextClaims: readonly ContextClaim[];
  /** The revocations table; undefined turns explicit revocation off (no call at all). */
  readonly revocationsTable: string | undefined;
  /** The online check at Cognito; undefined when COGNITO_REVOCATION_CHECK is off. */
  readonly cognitoCheck: CognitoCheckConfig | undefined;
}

// Cognito pool ids are `<region>_<id>`; the region part also names the issuer host.
const USER_POOL_ID = /^([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})_[0-9A-Za-z]{1,40}$/;
// Cognito group names; ALLOWED_GROUPS is a comma-separated list, so a name in it cannot contain a comma.
const GROUP = /^[^,\s][^,]{0,127}$/;
const ANSWERS: readonly Answer[] = ['deny', 'allow'];

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
export const DEFAULT_MAX_TOKEN_LENGTH = 8192;

function parseUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, 'is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(name, 'must be an https:// URL');
  if (url.username || url.password) throw new ConfigError(name, 'must not contain credentials');
  return url;
}

/** An https URL, or plain http only on loopback (the local stack): keys and tokens never travel in clear text. */
function secureUrl(name: string, value: string): URL {
  const url = parseUrl(name, value);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(name, 'must use https:// (plain http:// is accepted only for loopback hosts)');
  }
  return url;
}

function validatedList(name: string, items: string[], pattern: RegExp, what: string): string[] {
  for (const item of items) {
    if (!pattern.test(item)) throw new ConfigError(name, `has an invalid ${what} "${item.slice(0, 32)}"`);
  }
  return [...new Set(items)];
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
      if (value !== undefined) return secureUrl(name, value).href;
    }
  }
  return `https://cognito-idp.${region}.amazonaws.com/`;
}

function loadCognitoCheck(env: Env, region: string, tokenUse: TokenUse): CognitoCheckConfig | undefined {
  const mode = optionalEnum(env, 'COGNITO_REVOCATION_CHECK', ['off', 'on'], 'off');
  const uncheckable = optionalEnum(env, 'COGNITO_REVOCATION_UNCHECKABLE', ANSWERS, 'deny');
  const onError = optionalEnum(env, 'COGNITO_REVOCATION_ON_ERROR', ANSWERS, 'deny');
  if (mode === 'off') return undefined;
  if (tokenUse === 'id') {
    throw new ConfigError('COGNITO_REVOCATION_CHECK', 'cannot be on with TOKEN_USE=id (Cognito checks access tokens)');
  }
  const userInfo = optionalString(env, 'USERINFO_ENDPOINT');
  if (userInfo === undefined) {
    throw new ConfigError('USERINFO_ENDPOINT', 'is required when COGNITO_REVOCATION_CHECK=on');
  }
  return {
    getUserEndpoint: getUserEndpoint(env, region),
    userInfoEndpoint: secureUrl('USERINFO_ENDPOINT', userInfo).href,
    uncheckable,
    onError,
  };
}

function jwksUriOf(env: Env, issuer: string): string {
  const jwksOverride = optionalString(env, 'JWKS_URI');
  if (jwksOverride !== undefined) return secureUrl('JWKS_URI', jwksOverride).href;
  // Derived from the issuer: an http issuer on a remote host would mean fetching keys in clear text.
  const url = parseUrl('ISSUER', `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      'ISSUER',
      'uses http:// on a non-loopback host, so its JWKS would be fetched in clear text; use https:// or set JWKS_URI',
    );
  }
  return url.href;
}

/** Reads and validates the verifier's environment. Throws ConfigError naming the first bad variable. */
export function loadVerifierConfig(env: Env): VerifierConfig {
  const userPoolId = requiredString(env, 'USER_POOL_ID', USER_POOL_ID, '<region>_<id>, e.g. eu-west-1_AbCdEf123');
  const region = USER_POOL_ID.exec(userPoolId)?.[1];
  if (region === undefined) throw new ConfigError('USER_POOL_ID', 'is malformed');

  const clientIds = validatedList(
    'CLIENT_IDS',
    parseList(requiredString(env, 'CLIENT_IDS'), ','),
    CLIENT_ID,
    'client id',
  );
  if (clientIds.length === 0) throw new ConfigError('CLIENT_IDS', 'must list at least one app client id');

  const tokenUse = optionalEnum<TokenUse>(env, 'TOKEN_USE', ['access', 'id'], 'access');
  const requiredScopes = validatedList(
    'REQUIRED_SCOPES',
    parseList(optionalString(env, 'REQUIRED_SCOPES'), /\s+/),
    SCOPE,
    'scope',
  );
  if (requiredScopes.length > 0 && tokenUse === 'id') {
    throw new ConfigError('REQUIRED_SCOPES', 'cannot be used with TOKEN_USE=id (ID tokens carry no scopes)');
  }
  const allowedGroups = validatedList(
    'ALLOWED_GROUPS',
    parseList(optionalString(env, 'ALLOWED_GROUPS'), ','),
    GROUP,
    'group name',
  );

  const issuerOverride = optionalString(env, 'ISSUER');
  const issuer = issuerOverride ?? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  if (issuerOverride !== undefined) parseUrl('ISSUER', issuerOverride);
  const jwksUri = jwksUriOf(env, issuer);

  const revocationsTable = optionalString(env, 'REVOCATIONS_TABLE');
  if (revocationsTable !== undefined && !TABLE_NAME.test(revocationsTable)) {
    throw new ConfigError('REVOCATIONS_TABLE', 'is malformed (expected 3 to 255 of A-Z a-z 0-9 _ . -)');
  }

  return {
    userPoolId,
    region,
    clientIds: new Set(clientIds),
    tokenUse,
    requiredScopes,
    allowedGroups,
    issuer,
    jwksUri,
    clockToleranceSeconds: DEFAULT_CLOCK_TOLERANCE_SECONDS,
    maxTokenLength: DEFAULT_MAX_TOKEN_LENGTH,
    contextClaims: parseContextClaims(optionalString(env, 'CONTEXT_CLAIMS')),
    revocationsTable,
    cognitoCheck: loadCognitoCheck(env, region, tokenUse),
  };
}
