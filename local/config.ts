// The local stack's configuration from environment variables, validated before anything starts: a bad value
// throws a ConfigError naming the variable (main.ts prints it and exits 1).
import { ConfigError, optionalInt, optionalString, type Env } from '../functions/shared/env.ts';
import type { StackOptions } from './stack.ts';
import { STAGE_NAME, TABLE_NAME } from '../shared/formats.ts';
import { stackSettingsFromEnv } from './stack-settings.ts';
import { DEMO_USER } from '../shared/demo-user.ts';

/** The variables read as StackOptions.env (validated by local/stack-settings.ts). */
export const FEATURE_VARIABLES = [
  'REQUIRED_SCOPES',
  'ALLOWED_GROUPS',
  'TOKEN_SOURCES',
  'TOKEN_USE',
  'MAX_CONNECTIONS_PER_USER',
  'CONTEXT_CLAIMS',
  'COGNITO_REVOCATION_CHECK',
  'COGNITO_REVOCATION_UNCHECKABLE',
  'COGNITO_REVOCATION_ON_ERROR',
  'REVOCATION_ENABLED',
  'STORED_HEADERS',
  'THROTTLING_BURST_LIMIT',
  'THROTTLING_RATE_LIMIT',
  'LOCAL_USER_CLAIMS',
  'LOG_LEVEL',
  'METRICS_NAMESPACE',
] as const;

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

function port(env: Env, name: string, fallback: number): number {
  return optionalInt(env, name, fallback, 0, 65535);
}

/** Reads the `make local` environment. Unset variables take the documented defaults. */
export function stackOptionsFromEnv(env: Env): StackOptions {
  const stage = optionalString(env, 'STAGE') ?? 'dev';
  if (!STAGE_NAME.test(stage)) throw new ConfigError('STAGE', 'must be 1 to 128 of A-Z a-z 0-9 _ -');
  const tableName = optionalString(env, 'CONNECTIONS_TABLE') ?? 'connections-local';
  if (!TABLE_NAME.test(tableName)) throw new ConfigError('CONNECTIONS_TABLE', 'must be 3 to 255 of A-Z a-z 0-9 _ . -');
  const demoUsername = optionalString(env, 'DEMO_USERNAME') ?? DEMO_USER.username;
  const demoPassword = env.DEMO_PASSWORD ?? DEMO_USER.password;
  if (demoPassword.length === 0) throw new ConfigError('DEMO_PASSWORD', 'must not be empty');
  const logLevel = optionalString(env, 'LOG_LEVEL') ?? 'info';
  if (!(LEVELS as readonly string[]).includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LEVELS.join(', ')}`);

  const features: Record<string, string> = {};
  for (const name of FEATURE_VARIABLES) {
    const value = env[name];
    if (value !== undefined) features[name] = value;
  }
  // Validated now, so a bad value stops `make local` before anything starts.
  stackSettingsFromEnv(features);
  const identitySources = optionalString(env, 'IDENTITY_SOURCES');
  const build = optionalString(env, 'LOCAL_BUILD') ?? 'auto';
  if (!['auto', 'if-missing', 'never'].includes(build))
    throw new ConfigError('LOCAL_BUILD', 'must be one of auto, if-missing, never');
  const dynamodbPath = optionalString(env, 'DYNAMODB_PATH');
  return {
    ports: {
      web: port(env, 'WEB_PORT', 3000),
      gateway: port(env, 'GATEWAY_PORT', 3001),
      lambda: port(env, 'LAMBDA_PORT', 3002),
      issuer: port(env, 'ISSUER_PORT', 9229),
      dynamodb: port(env, 'DYNAMODB_PORT', 8000),
    },
    stage,
    tableName,
    accessTokenTtlSeconds: optionalInt(env, 'ACCESS_TOKEN_TTL_SECONDS', 3600, 1, 86400),
    idTokenTtlSeconds: optionalInt(env, 'ID_TOKEN_TTL_SECONDS', 3600, 1, 86400),
    demoUser: { username: demoUsername, password: demoPassword },
    env: features,
    idleTimeoutMs: optionalInt(env, 'IDLE_TIMEOUT_SECONDS', 600, 1, 86400) * 1000,
    maxConnectionDurationMs: optionalInt(env, 'MAX_CONNECTION_SECONDS', 7200, 1, 7 * 86400) * 1000,
    ...(identitySources === undefined
      ? {}
      : {
          identitySources: identitySources
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }),
    ...(dynamodbPath === undefined ? {} : { dynamodbPath }),
    logLevel: logLevel as StackOptions['logLevel'],
    build: build === 'auto' ? true : build === 'never' ? false : 'if-missing',
  };
}
