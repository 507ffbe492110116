// The authorizer's result: an IAM policy on exactly `methodArn` and a flat context of primitives.
// API Gateway answers 500 for nested context values or a result over 8 KB, so both are guaranteed here.
import type { VerifiedClaims } from '../shared/token/verify-token.ts';
import type { ContextValue } from '../shared/token/context-claims.ts';

export interface AuthorizerContext {
  readonly sub: string;
  readonly username: string;
  readonly clientId: string;
  readonly scope: string;
  /** Comma-joined: lossy for a group name containing a comma. */
  readonly groups: string;
  /** The groups as a JSON array string: exact for every legal group name. */
  readonly groupsJson: string;
  readonly tokenUse: string;
  readonly exp: number;
  readonly authTime: number;
  readonly [key: string]: string | number | boolean;
}

export type Effect = 'Allow' | 'Deny';

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly [
    { readonly Action: 'execute-api:Invoke'; readonly Effect: Effect; readonly Resource: string },
  ];
}

export interface AuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: PolicyDocument;
  readonly context?: AuthorizerContext;
}

export const MAX_RESULT_BYTES = 8192;

// arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{route}. No wildcards: the policy must cover
// exactly this connection attempt, never a broader resource.
const METHOD_ARN =
  /^arn:aws[a-z-]{0,20}:execute-api:[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}:\d{12}:[A-Za-z0-9]{1,64}\/[^/*?\s]{1,128}\/[^*?\s]{1,256}$/;

export function isValidMethodArn(value: unknown): value is string {
  return typeof value === 'string' && METHOD_ARN.test(value);
}

function policy(effect: Effect, methodArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }] };
}

/** The context: the fixed keys, then the CONTEXT_CLAIMS keys (`claim_*`, which can never collide with them). */
export function contextFromClaims(
  claims: VerifiedClaims,
  extra: Readonly<Record<string, ContextValue>> = {},
): AuthorizerContext {
  return {
    ...extra,
    sub: claims.sub,
    username: claims.username,
    clientId: claims.clientId,
    scope: claims.scope,
    groups: claims.groups.join(','),
    groupsJson: JSON.stringify(claims.groups),
    tokenUse: claims.tokenUse,
    exp: claims.exp,
    authTime: claims.authTime,
  };
}

/** Upper bound of the JSON size of `extra` (every character of a string may need 6 bytes escaped). */
function extraBytes(extra: Readonly<Record<string, ContextValue>>): number {
  let n = 0;
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    n += key.length + 8 + (typeof value === 'string' ? value.length : 24);
  }
  return n;
}

/** Allow on exactly `methodArn`, or undefined when the result would exceed API Gateway's 8 KB limit. */
export function allowResult(
  methodArn: string,
  claims: VerifiedClaims,
  extra: Readonly<Record<string, ContextValue>> = {},
): AuthorizerResult | undefined {
  const result: AuthorizerResult = {
    principalId: claims.sub,
    policyDocument: policy('Allow', methodArn),
    context: contextFromClaims(claims, extra),
  };
  // Serialising costs a few microseconds, so only when the variable parts could come near the limit.
  const roughBytes =
    400 +
    methodArn.length +
    2 * (claims.sub.length + claims.username.length + claims.clientId.length) +
    claims.scope.length +
    2 * claims.groups.reduce((n, g) => n + g.length + 3, 0) +
    extraBytes(extra);
  if (roughBytes * 6 > MAX_RESULT_BYTES && Buffer.byteLength(JSON.stringify(result)) > MAX_RESULT_BYTES)
    return undefined;
  return result;
}

/** Deny (403) for an authenticated caller who fails the access rules. No context: nothing downstream runs. */
export function denyResult(methodArn: string, principalId: string): AuthorizerResult {
  return { principalId, policyDocument: policy('Deny', methodArn) };
}
