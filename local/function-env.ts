// Each function's environment in the local stack: the variables Terraform sets (docs/architecture.md), the
// local endpoints and per-run credentials, the feature settings, then the caller's overrides, last.
import type { LocalCredentials } from './aws-auth/index.ts';
import type { StackSettings } from './stack-settings.ts';

/**
 * Overrides from StackOptions.functionEnv: a string value applies to every function (applied last); an object
 * under a function's name applies to that function only.
 */
export type FunctionEnvOverrides = Record<string, string | Record<string, string>>;

export interface FunctionEnvInput {
  region: string;
  credentials: LocalCredentials;
  dynamodbEndpoint: string;
  managementEndpoint: string;
  tableName: string;
  /** Absent when revocation is off: the functions then get no REVOCATIONS_TABLE. */
  revocationsTableName?: string;
  issuer: { poolId: string; issuer: string; jwksUri: string; url: string };
  clientId: string;
  connectionTtlSeconds: number;
  settings: StackSettings;
  overrides?: FunctionEnvOverrides;
}

/** Which groups of variables each function receives, as the Terraform root gives them. */
const SHAPES: Record<string, { auth: boolean; connection: boolean; connect: boolean; revocations: boolean }> = {
  authorizer: { auth: true, connection: false, connect: false, revocations: true },
  connect: { auth: false, connection: true, connect: true, revocations: true },
  default: { auth: false, connection: true, connect: false, revocations: false },
  disconnect: { auth: false, connection: true, connect: false, revocations: false },
  refresh: { auth: true, connection: true, connect: false, revocations: true },
  control: { auth: false, connection: true, connect: false, revocations: true },
};

export function authEnvironment(input: FunctionEnvInput): Record<string, string> {
  const perFunction = input.overrides?.authorizer;
  return {
    USER_POOL_ID: input.issuer.poolId,
    CLIENT_IDS: input.clientId,
    TOKEN_USE: 'access',
    TOKEN_SOURCES: 'header,query,protocol',
    TOKEN_HEADER: 'Authorization',
    TOKEN_QUERY_PARAM: 'token',
    REQUIRED_SCOPES: '',
    ALLOWED_GROUPS: '',
    ISSUER: input.issuer.issuer,
    JWKS_URI: input.issuer.jwksUri,
    USERINFO_ENDPOINT: `${input.issuer.url}/oauth2/userInfo`,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: input.issuer.url,
    ...input.settings.auth,
    ...(typeof perFunction === 'object' ? perFunction : {}),
  };
}

/** The environment of one function (the four of today, refresh, control, or a custom route's bundle). */
export function functionEnvironment(name: string, input: FunctionEnvInput): Record<string, string> {
  const shape = SHAPES[name] ?? { auth: false, connection: true, connect: false, revocations: false };
  const auth = authEnvironment(input);
  const env: Record<string, string> = {
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_ACCESS_KEY_ID: input.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: input.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamodbEndpoint,
    ...input.settings.all,
  };
  if (shape.auth) Object.assign(env, auth);
  if (shape.connection) {
    Object.assign(env, {
      CONNECTIONS_TABLE: input.tableName,
      CONNECTION_TTL_SECONDS: String(input.connectionTtlSeconds),
      TOKEN_QUERY_PARAM: auth.TOKEN_QUERY_PARAM ?? 'token',
      // The connection functions refuse the token's header in STORED_HEADERS, so they must know its name.
      TOKEN_HEADER: auth.TOKEN_HEADER ?? 'Authorization',
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: input.managementEndpoint,
      ...input.settings.connection,
    });
  }
  if (shape.connect) Object.assign(env, input.settings.connect);
  if (shape.revocations && input.revocationsTableName !== undefined) {
    env.REVOCATIONS_TABLE = input.revocationsTableName;
  }
  const own = input.overrides?.[name];
  if (typeof own === 'object' && name !== 'authorizer') Object.assign(env, own);
  for (const [key, value] of Object.entries(input.overrides ?? {})) {
    if (typeof value === 'string') env[key] = value;
  }
  return env;
}
