// Configuration of the connection Lambdas (connect, default, disconnect), validated once at cold start: a
// missing or malformed value throws a ConfigError naming the variable, so a bad deployment fails loudly
// instead of failing every connection.
import { ConfigError, optionalInt, optionalString, parseList, requiredString, type Env } from './env.ts';
import { HEADER_NAME, QUERY_PARAMETER_NAME, TABLE_NAME } from '../../shared/formats.ts';
import { parseContextClaims, type ContextClaim } from './token/context-claims.ts';

export interface ConnectionConfig {
  readonly tableName: string;
  /** Seconds after `$connect` at which DynamoDB TTL may remove an item whose `$disconnect` never came. */
  readonly ttlSeconds: number;
  /** Request header names to keep on the item, lower-cased. */
  readonly storedHeaders: readonly string[];
  /** Query parameter carrying the token; never stored. */
  readonly tokenQueryParam: string;
  /** TOKEN_HEADER: the header carrying the token (the authorizer's setting), lower-cased; never stored. */
  readonly tokenHeader: string;
  /** REVOCATIONS_TABLE: $connect re-reads the revocation record after storing its item; absent = off. */
  readonly revocationsTable: string | undefined;
  /**
   * The management endpoint the SDK takes from the environment (`AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI`,
   * else `AWS_ENDPOINT_URL`), or undefined when it must come from the event. Only used to decide whether to
   * pass an explicit endpoint: an explicit one would win over the environment in SDK v3.
   */
  readonly managementEndpointFromEnv: string | undefined;
  /** MAX_CONNECTIONS_PER_USER: live connections one `sub` may hold; 0 = unlimited. */
  readonly maxConnectionsPerUser: number;
  /** CONTEXT_CLAIMS: the claims $connect copies from the authorizer context onto the item. */
  readonly contextClaims: readonly ContextClaim[];
}

// 2 hours (the API Gateway connection limit) plus a 60 s margin.
export const DEFAULT_TTL_SECONDS = 7260;
export const MIN_TTL_SECONDS = 60;
// Seven days: TTL only cleans up items whose $disconnect was lost; longer serves nothing.
export const MAX_TTL_SECONDS = 604_800;
export const MAX_STORED_HEADERS = 20;
export const DEFAULT_MAX_CONNECTIONS_PER_USER = 10;
// Far above any real use; a limit that large is in effect unlimited but still costs a count per handshake.
export const MAX_MAX_CONNECTIONS_PER_USER = 10_000;

// Headers that carry credentials: storing them would put tokens or sessions in the table and in every echo.
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'sec-websocket-protocol',
  'x-amz-security-token',
]);

/** An http(s) URL without credentials, or undefined when unset. Throws ConfigError naming `name`. */
export function endpointUrl(env: Env, name: string): string | undefined {
  const raw = optionalString(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(name, 'must be an http(s):// URL');
  if (url.username || url.password) throw new ConfigError(name, 'must not contain credentials');
  return raw;
}

function storedHeaders(env: Env, tokenHeader: string): string[] {
  const names = parseList(optionalString(env, 'STORED_HEADERS'), ',');
  const out: string[] = [];
  for (const name of names) {
    if (!HEADER_NAME.test(name))
      throw new ConfigError('STORED_HEADERS', `has an invalid header name "${name.slice(0, 32)}"`);
    const lower = name.toLowerCase();
    if (CREDENTIAL_HEADERS.has(lower)) {
      throw new ConfigError('STORED_HEADERS', `must not include ${lower} (it carries credentials)`);
    }
    // A custom token header would otherwise put every access token on the item and in every echo.
    if (lower === tokenHeader) {
      throw new ConfigError('STORED_HEADERS', `must not include ${lower}: it is TOKEN_HEADER and carries the token`);
    }
    if (!out.includes(lower)) out.push(lower);
  }
  if (out.length > MAX_STORED_HEADERS)
    throw new ConfigError('STORED_HEADERS', `lists more than ${MAX_STORED_HEADERS} headers`);
  return out;
}

/** Mirrors the SDK's own rule (service variable, then the global one, unless told to ignore both). */
function managementEndpointFromEnv(env: Env): string | undefined {
  const specific = endpointUrl(env, 'AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI');
  const global = endpointUrl(env, 'AWS_ENDPOINT_URL');
  const ignore = optionalString(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
  if (ignore !== undefined && ignore !== 'true' && ignore !== 'false') {
    throw new ConfigError('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'must be true or false');
  }
  if (ignore === 'true') return undefined;
  return specific ?? global;
}

/** Reads and validates the environment of the connection Lambdas. Throws ConfigError naming the first bad variable. */
export function loadConnectionConfig(env: Env): ConnectionConfig {
  const tableName = requiredString(env, 'CONNECTIONS_TABLE', TABLE_NAME, '3 to 255 of A-Z a-z 0-9 _ . -');
  const ttlSeconds = optionalInt(env, 'CONNECTION_TTL_SECONDS', DEFAULT_TTL_SECONDS, MIN_TTL_SECONDS, MAX_TTL_SECONDS);
  const tokenHeader = optionalString(env, 'TOKEN_HEADER') ?? 'Authorization';
  if (!HEADER_NAME.test(tokenHeader)) throw new ConfigError('TOKEN_HEADER', 'is not a valid header name');
  const headers = storedHeaders(env, tokenHeader.toLowerCase());
  const tokenQueryParam = optionalString(env, 'TOKEN_QUERY_PARAM') ?? 'token';
  if (!QUERY_PARAMETER_NAME.test(tokenQueryParam))
    throw new ConfigError('TOKEN_QUERY_PARAM', 'is not a valid query parameter name');
  // Validated here so a typo fails the cold start rather than the first DynamoDB call.
  endpointUrl(env, 'AWS_ENDPOINT_URL_DYNAMODB');
  const revocationsTable = optionalString(env, 'REVOCATIONS_TABLE');
  if (revocationsTable !== undefined && !TABLE_NAME.test(revocationsTable)) {
    throw new ConfigError('REVOCATIONS_TABLE', 'is malformed (expected 3 to 255 of A-Z a-z 0-9 _ . -)');
  }
  return {
    tableName,
    ttlSeconds,
    storedHeaders: headers,
    tokenQueryParam,
    tokenHeader: tokenHeader.toLowerCase(),
    revocationsTable,
    managementEndpointFromEnv: managementEndpointFromEnv(env),
    maxConnectionsPerUser: optionalInt(
      env,
      'MAX_CONNECTIONS_PER_USER',
      DEFAULT_MAX_CONNECTIONS_PER_USER,
      0,
      MAX_MAX_CONNECTIONS_PER_USER,
    ),
    contextClaims: parseContextClaims(optionalString(env, 'CONTEXT_CLAIMS')),
  };
}
