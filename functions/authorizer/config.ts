// Authorizer configuration from the environment, validated once at cold start: a missing or malformed value
// throws a ConfigError naming the variable, so a bad deployment fails loudly instead of rejecting every user.
import { ConfigError, optionalEnum, optionalString, parseList, requiredString, type Env } from '../shared/env.ts';
import type { LogLevel } from '../shared/log.ts';
import { CLIENT_ID, HEADER_NAME, isLoopbackHost, QUERY_PARAMETER_NAME, SCOPE } from '../../shared/formats.ts';

export type TokenUse = 'access' | 'id';
export type TokenSource = 'header' | 'query' | 'protocol';

export const TOKEN_SOURCES: readonly TokenSource[] = ['header', 'query', 'protocol'];
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface AuthorizerConfig {
  readonly userPoolId: string;
  readonly region: string;
  readonly clientIds: ReadonlySet<string>;
  readonly tokenUse: TokenUse;
  readonly tokenSources: readonly TokenSource[];
  /** Header name as configured; matching is case-insensitive. */
  readonly tokenHeader: string;
  readonly tokenQueryParam: string;
  readonly requiredScopes: readonly string[];
  readonly allowedGroups: readonly string[];
  readonly issuer: string;
  readonly jwksUri: string;
  /** Seconds of clock skew tolerated on exp, nbf and iat. */
  readonly clockToleranceSeconds: number;
  /** Longest token accepted, in characters, checked before any decoding. */
  readonly maxTokenLength: number;
  readonly logLevel: LogLevel;
}

// Cognito pool ids are `<region>_<id>`; the region part also names the issuer host.
const USER_POOL_ID = /^([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})_[0-9A-Za-z]{1,40}$/;
// Cognito group names: no commas here since the context joins groups with ','.
const GROUP = /^[^,\s][^,]{0,127}$/;

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

function secureUrl(name: string, value: string): URL {
  const url = parseUrl(name, value);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(name, 'must use https:// (plain http:// is accepted only for loopback hosts)');
  }
  return url;
}

function parseTokenSources(env: Env): TokenSource[] {
  const raw = optionalString(env, 'TOKEN_SOURCES');
  if (raw === undefined) return [...TOKEN_SOURCES];
  const items = parseList(raw, ',').map((s) => s.toLowerCase());
  if (items.length === 0)
    throw new ConfigError('TOKEN_SOURCES', `must list at least one of ${TOKEN_SOURCES.join(', ')}`);
  const sources: TokenSource[] = [];
  for (const item of items) {
    if (!(TOKEN_SOURCES as readonly string[]).includes(item)) {
      throw new ConfigError(
        'TOKEN_SOURCES',
        `has unknown source "${item.slice(0, 32)}" (allowed: ${TOKEN_SOURCES.join(', ')})`,
      );
    }
    if (!sources.includes(item as TokenSource)) sources.push(item as TokenSource);
  }
  return sources;
}

function validatedList(name: string, items: string[], pattern: RegExp, what: string): string[] {
  for (const item of items) {
    if (!pattern.test(item)) throw new ConfigError(name, `has an invalid ${what} "${item.slice(0, 32)}"`);
  }
  return [...new Set(items)];
}

/** Reads and validates the authorizer's environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env): AuthorizerConfig {
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
  const tokenSources = parseTokenSources(env);

  const tokenHeader = optionalString(env, 'TOKEN_HEADER') ?? 'Authorization';
  if (!HEADER_NAME.test(tokenHeader)) throw new ConfigError('TOKEN_HEADER', 'is not a valid header name');
  if (tokenHeader.toLowerCase() === 'sec-websocket-protocol') {
    throw new ConfigError('TOKEN_HEADER', 'must not be Sec-WebSocket-Protocol (use TOKEN_SOURCES=protocol)');
  }
  const tokenQueryParam = optionalString(env, 'TOKEN_QUERY_PARAM') ?? 'token';
  if (!QUERY_PARAMETER_NAME.test(tokenQueryParam))
    throw new ConfigError('TOKEN_QUERY_PARAM', 'is not a valid query parameter name');

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

  const jwksOverride = optionalString(env, 'JWKS_URI');
  let jwksUri: string;
  if (jwksOverride !== undefined) {
    jwksUri = secureUrl('JWKS_URI', jwksOverride).href;
  } else {
    // Derived from the issuer: an http issuer on a remote host would mean fetching keys in clear text.
    const derived = `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
    const url = parseUrl('ISSUER', derived);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new ConfigError(
        'ISSUER',
        'uses http:// on a non-loopback host, so its JWKS would be fetched in clear text; use https:// or set JWKS_URI',
      );
    }
    jwksUri = url.href;
  }

  const logLevel = optionalEnum<LogLevel>(env, 'LOG_LEVEL', LOG_LEVELS, 'info');

  return {
    userPoolId,
    region,
    clientIds: new Set(clientIds),
    tokenUse,
    tokenSources,
    tokenHeader,
    tokenQueryParam,
    requiredScopes,
    allowedGroups,
    issuer,
    jwksUri,
    clockToleranceSeconds: DEFAULT_CLOCK_TOLERANCE_SECONDS,
    maxTokenLength: DEFAULT_MAX_TOKEN_LENGTH,
    logLevel,
  };
}
