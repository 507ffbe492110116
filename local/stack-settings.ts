// The feature settings of the local stack, read from `make local`'s environment (or StackOptions.env in tests)
// and validated before anything starts: which function variables they set, the stage throttle, the issuer's
// extra user claims. A bad value is a ConfigError naming the variable.
import { ConfigError, optionalInt, optionalString, parseList, type Env } from '../functions/shared/env.ts';
import type { ThrottleSettings } from './gateway/throttle.ts';
import { parseUserClaims, type UserClaims } from './issuer/user-claims.ts';

export interface StackSettings {
  /** Variables for the authorizer and refresh (token checks, revocation, context claims). */
  auth: Record<string, string>;
  /** Variables for the connect function only. */
  connect: Record<string, string>;
  /** Variables for connect, default, disconnect, refresh and control. */
  connection: Record<string, string>;
  /** Variables for every function. */
  all: Record<string, string>;
  /** Whether the functions get REVOCATIONS_TABLE (on by default, as Terraform's revocation_enabled). */
  revocation: boolean;
  throttling?: ThrottleSettings;
  /** LOCAL_USER_CLAIMS, parsed and validated by the issuer's own parser. */
  userClaims?: UserClaims;
}

/** Scopes the local web client may ask for: what the hosted UI can grant. */
export const LOCAL_CLIENT_SCOPES = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'];

const FUNCTION_LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
const ON = ['1', 'on', 'true'];
const OFF = ['0', 'off', 'false'];

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const value = optionalString(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (ON.includes(value)) return true;
  if (OFF.includes(value)) return false;
  throw new ConfigError(name, 'must be 1/on or 0/off');
}

function denyAllow(env: Env, name: string, into: Record<string, string>): void {
  const value = optionalString(env, name);
  if (value === undefined) return;
  if (value !== 'deny' && value !== 'allow') throw new ConfigError(name, 'must be deny or allow');
  into[name] = value;
}

function positiveNumber(env: Env, name: string): number | undefined {
  const value = optionalString(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 1_000_000) {
    throw new ConfigError(name, 'must be a number from 0 to 1000000');
  }
  return Number(value);
}

export function stackSettingsFromEnv(env: Env): StackSettings {
  const auth: Record<string, string> = {};
  for (const name of ['REQUIRED_SCOPES', 'ALLOWED_GROUPS', 'TOKEN_SOURCES', 'TOKEN_USE']) {
    const value = optionalString(env, name);
    if (value !== undefined) auth[name] = value;
  }
  auth.COGNITO_REVOCATION_CHECK = onOff(env, 'COGNITO_REVOCATION_CHECK', false) ? 'on' : 'off';
  denyAllow(env, 'COGNITO_REVOCATION_UNCHECKABLE', auth);
  denyAllow(env, 'COGNITO_REVOCATION_ON_ERROR', auth);
  const contextClaims = env.CONTEXT_CLAIMS ?? 'custom:tenant';
  auth.CONTEXT_CLAIMS = contextClaims;

  const connect: Record<string, string> = {
    MAX_CONNECTIONS_PER_USER: String(optionalInt(env, 'MAX_CONNECTIONS_PER_USER', 10, 0, 100_000)),
    CONTEXT_CLAIMS: contextClaims,
  };
  const connection: Record<string, string> = {
    STORED_HEADERS: env.STORED_HEADERS ?? 'user-agent,origin',
  };
  const all: Record<string, string> = {};
  const logLevel = optionalString(env, 'LOG_LEVEL');
  // The stack's own LOG_LEVEL also knows `silent`; the functions get the levels they understand.
  if (logLevel !== undefined && FUNCTION_LOG_LEVELS.includes(logLevel)) all.LOG_LEVEL = logLevel;
  const namespace = optionalString(env, 'METRICS_NAMESPACE');
  if (namespace !== undefined) all.METRICS_NAMESPACE = namespace;

  const burst = positiveNumber(env, 'THROTTLING_BURST_LIMIT');
  const rate = positiveNumber(env, 'THROTTLING_RATE_LIMIT');
  if ((burst === undefined) !== (rate === undefined)) {
    throw new ConfigError(
      burst === undefined ? 'THROTTLING_BURST_LIMIT' : 'THROTTLING_RATE_LIMIT',
      'must be set together with the other THROTTLING_* variable (throttling is off when neither is set)',
    );
  }
  if (burst !== undefined && !Number.isInteger(burst)) {
    throw new ConfigError('THROTTLING_BURST_LIMIT', 'must be a whole number');
  }

  let userClaims: UserClaims | undefined;
  const claims = optionalString(env, 'LOCAL_USER_CLAIMS');
  if (claims !== undefined) {
    const parsed = parseUserClaims(claims);
    if (!parsed.ok) throw new ConfigError('LOCAL_USER_CLAIMS', parsed.reason.replace(/^LOCAL_USER_CLAIMS ?/, ''));
    userClaims = parsed.claims;
  }

  return {
    auth,
    connect,
    connection,
    all,
    revocation: onOff(env, 'REVOCATION_ENABLED', true),
    ...(burst !== undefined && rate !== undefined ? { throttling: { burst, rate } } : {}),
    ...(userClaims === undefined ? {} : { userClaims }),
  };
}

/** Required scopes the local client can never be granted: every handshake would be refused. */
export function ungrantableScopes(requiredScopes: string | undefined): string[] {
  return parseList(requiredScopes, /\s+/).filter((scope) => !LOCAL_CLIENT_SCOPES.includes(scope));
}
