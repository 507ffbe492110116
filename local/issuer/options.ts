// Resolves and validates IssuerOptions once, at start: a bad option is a clear Error, never a later surprise.
import { resolveClients, type IssuerClient, type ResolvedClient } from './clients.ts';
import { isLocalCredentials, type LocalCredentials } from '../aws-auth/index.ts';
import { DEFAULT_USER_CLAIMS, validateUserClaims, type UserClaims } from './user-claims.ts';
import type { IssuerUser } from './users.ts';
import { DEMO_USER } from '../../shared/demo-user.ts';

export interface IssuerOptions {
  host?: string; // default 127.0.0.1
  port?: number; // 0 = free port (default 0)
  region?: string; // default us-east-1, or the prefix of poolId
  poolId?: string; // default `${region}_local0001`
  clients: IssuerClient[];
  users?: IssuerUser[]; // default [DEMO_USER]
  accessTokenTtlSeconds?: number; // default 3600
  idTokenTtlSeconds?: number; // default 3600
  refreshTokenTtlSeconds?: number; // default 30 days, as Cognito
  codeTtlSeconds?: number; // default 300
  sessionTtlSeconds?: number; // hosted-UI session cookie, default 3600 as Cognito
  loginTtlSeconds?: number; // how long a shown login form stays usable, default 900
  passwordHashCost?: number; // scrypt N, a power of two from 1024 to 65536, default 16384
  /**
   * Extra claims per username for access and ID tokens (LOCAL_USER_CLAIMS; parse it with parseUserClaims).
   * Default { demo: { 'custom:tenant': 'acme' } }; {} for none.
   */
  userClaims?: UserClaims;
  /** Keys, users and token state survive a restart in this directory (0700, files 0600). Absent: in memory. */
  stateDir?: string;
  /** The stack's per-run credentials: the JSON API's admin operations verify SigV4 with them. Absent: refused. */
  awsCredentials?: LocalCredentials;
  now?: () => number; // ms clock, injectable
  log?: (line: string) => void;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  region: string;
  poolId: string;
  clients: Map<string, ResolvedClient>;
  users: IssuerUser[];
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  codeTtlSeconds: number;
  sessionTtlSeconds: number;
  loginTtlSeconds: number;
  passwordHashCost: number;
  userClaims: UserClaims;
  stateDir?: string;
  awsCredentials?: LocalCredentials;
  now: () => number;
  log: (line: string) => void;
}

export const DEFAULT_USERS: IssuerUser[] = [{ ...DEMO_USER }];
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const POOL_ID = /^([\w-]+)_[0-9a-zA-Z]+$/; // Cognito's UserPoolId pattern

function seconds(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`Issuer option ${name} must be a whole number of seconds from 1 to ${max}`);
  return value;
}

function hashCost(value: number | undefined): number {
  if (value === undefined) return 16384;
  if (!Number.isInteger(value) || value < 1024 || value > 65536 || (value & (value - 1)) !== 0) {
    throw new Error('Issuer option passwordHashCost must be a power of two from 1024 to 65536');
  }
  return value;
}

export function resolveOptions(options: IssuerOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new Error('Issuer options are required');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('Issuer option port must be an integer from 0 to 65535');
  let region = options.region;
  const poolMatch = options.poolId !== undefined ? POOL_ID.exec(options.poolId) : null;
  if (options.poolId !== undefined && !poolMatch)
    throw new Error(`Issuer option poolId ${JSON.stringify(options.poolId)} must look like <region>_<id>`);
  region ??= poolMatch?.[1] ?? 'us-east-1';
  if (!REGION.test(region))
    throw new Error(`Issuer option region ${JSON.stringify(region)} is not a region name like us-east-1`);
  const poolId = options.poolId ?? `${region}_local0001`;
  if (poolMatch && poolMatch[1] !== region)
    throw new Error(`Issuer option poolId ${poolId} does not start with region ${region}`);
  const userClaims = validateUserClaims(options.userClaims ?? DEFAULT_USER_CLAIMS, 'Issuer option userClaims');
  if (!userClaims.ok) throw new Error(userClaims.reason);
  if (options.stateDir !== undefined && (typeof options.stateDir !== 'string' || options.stateDir.trim() === ''))
    throw new Error('Issuer option stateDir must be a directory path');
  if (options.awsCredentials !== undefined && !isLocalCredentials(options.awsCredentials))
    throw new Error('Issuer option awsCredentials must be { accessKeyId, secretAccessKey } strings');
  return {
    ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
    ...(options.awsCredentials !== undefined ? { awsCredentials: options.awsCredentials } : {}),
    userClaims: userClaims.claims,
    host: options.host ?? '127.0.0.1',
    port,
    region,
    poolId,
    clients: resolveClients(options.clients),
    users: options.users ?? DEFAULT_USERS,
    accessTokenTtlSeconds: seconds('accessTokenTtlSeconds', options.accessTokenTtlSeconds, 3600, 86400),
    idTokenTtlSeconds: seconds('idTokenTtlSeconds', options.idTokenTtlSeconds, 3600, 86400),
    refreshTokenTtlSeconds: seconds('refreshTokenTtlSeconds', options.refreshTokenTtlSeconds, 30 * 86400, 3650 * 86400),
    codeTtlSeconds: seconds('codeTtlSeconds', options.codeTtlSeconds, 300, 3600),
    sessionTtlSeconds: seconds('sessionTtlSeconds', options.sessionTtlSeconds, 3600, 86400),
    loginTtlSeconds: seconds('loginTtlSeconds', options.loginTtlSeconds, 900, 86400),
    passwordHashCost: hashCost(options.passwordHashCost),
    now: options.now ?? Date.now,
    log: options.log ?? ((line) => console.log(line)),
  };
}
