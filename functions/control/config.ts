// The control function's configuration, validated at cold start: a missing or malformed value throws a
// ConfigError naming the variable.
import { TABLE_NAME } from '../../shared/formats.ts';
import { endpointUrl } from '../shared/connection-config.ts';
import { ConfigError, optionalString, requiredString, type Env } from '../shared/env.ts';

export interface ControlConfig {
  readonly tableName: string;
  /** Absent: revocation is off and `revoke` answers `revocation_disabled`. */
  readonly revocationsTable: string | undefined;
  /** The stage's management endpoint; the SDK reads it from the environment, this copy is for logs. */
  readonly managementEndpoint: string;
}

const TABLE_HINT = '3 to 255 of A-Z a-z 0-9 _ . -';

function managementEndpoint(env: Env): string {
  const name = 'AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI';
  // The control function has no API Gateway event to derive the endpoint from.
  const url = endpointUrl(env, name);
  if (url === undefined) throw new ConfigError(name, 'is required');
  if (optionalString(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS') === 'true') {
    throw new ConfigError(
      'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
      'must not be true: the control function needs its endpoint',
    );
  }
  return url;
}

export function loadControlConfig(env: Env): ControlConfig {
  const tableName = requiredString(env, 'CONNECTIONS_TABLE', TABLE_NAME, TABLE_HINT);
  const revocationsTable = optionalString(env, 'REVOCATIONS_TABLE');
  if (revocationsTable !== undefined && !TABLE_NAME.test(revocationsTable)) {
    throw new ConfigError('REVOCATIONS_TABLE', `is malformed (expected ${TABLE_HINT})`);
  }
  return { tableName, revocationsTable, managementEndpoint: managementEndpoint(env) };
}
