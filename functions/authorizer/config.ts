// Authorizer configuration from the environment, validated once at cold start: a missing or malformed value
// throws a ConfigError naming the variable, so a bad deployment fails loudly instead of rejecting every user.
// The verification part is the shared verifier's (refresh reads the same variables the same way); this adds
// where the token is looked for and the logging.
import { ConfigError, optionalString, parseList, type Env } from '../shared/env.ts';
import { loadLogConfig, type LogConfig } from '../shared/log.ts';
import { HEADER_NAME, QUERY_PARAMETER_NAME } from '../../shared/formats.ts';
import { loadVerifierConfig, type VerifierConfig } from '../shared/token/verifier-config.ts';

export type { TokenUse } from '../shared/token/verifier-config.ts';
export type TokenSource = 'header' | 'query' | 'protocol';

export const TOKEN_SOURCES: readonly TokenSource[] = ['header', 'query', 'protocol'];

export interface AuthorizerConfig extends VerifierConfig {
  readonly tokenSources: readonly TokenSource[];
  /** Header name as configured; matching is case-insensitive. */
  readonly tokenHeader: string;
  readonly tokenQueryParam: string;
  /** LOG_LEVEL, else AWS_LAMBDA_LOG_LEVEL; METRICS_NAMESPACE. */
  readonly log: LogConfig;
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

/** Reads and validates the authorizer's environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env): AuthorizerConfig {
  const verifier = loadVerifierConfig(env);
  const tokenSources = parseTokenSources(env);

  const tokenHeader = optionalString(env, 'TOKEN_HEADER') ?? 'Authorization';
  if (!HEADER_NAME.test(tokenHeader)) throw new ConfigError('TOKEN_HEADER', 'is not a valid header name');
  if (tokenHeader.toLowerCase() === 'sec-websocket-protocol') {
    throw new ConfigError('TOKEN_HEADER', 'must not be Sec-WebSocket-Protocol (use TOKEN_SOURCES=protocol)');
  }
  const tokenQueryParam = optionalString(env, 'TOKEN_QUERY_PARAM') ?? 'token';
  if (!QUERY_PARAMETER_NAME.test(tokenQueryParam))
    throw new ConfigError('TOKEN_QUERY_PARAM', 'is not a valid query parameter name');

  return { ...verifier, tokenSources, tokenHeader, tokenQueryParam, log: loadLogConfig(env) };
}
