// Fixtures for the shared verifier: a verifier configuration like the authorizer's test configuration and a
// key source that holds given keys (no network).
import type { KeyObject } from 'node:crypto';
import type { KeySource } from '../../../functions/shared/token/jwks-cache.ts';
import type { VerifierConfig } from '../../../functions/shared/token/verifier-config.ts';
import { testConfig } from '../authorizer/helpers.ts';

export const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local0001';

export function verifierConfig(overrides: Partial<VerifierConfig> = {}): VerifierConfig {
  const base = testConfig({ issuer: ISSUER });
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
    contextClaims: [],
    revocationsTable: undefined,
    cognitoCheck: undefined,
    ...overrides,
  };
}

/** A key source holding exactly `keys`; unknown kids resolve to unknown_kid. */
export function heldKeys(keys: Record<string, KeyObject>): KeySource & { resolves: number } {
  const source = {
    resolves: 0,
    peek: (kid: string) => (Object.hasOwn(keys, kid) ? keys[kid] : undefined),
    resolve: (kid: string) => {
      source.resolves += 1;
      const key = Object.hasOwn(keys, kid) ? keys[kid] : undefined;
      return Promise.resolve(key ? { ok: true as const, key } : { ok: false as const, reason: 'unknown_kid' as const });
    },
  };
  return source;
}
