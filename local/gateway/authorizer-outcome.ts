// How API Gateway turns a REQUEST authorizer's outcome into a handshake decision: an exact
// `Unauthorized` error is 401, an explicit Deny or an Allow that does not cover the method ARN is 403, any
// other error or a malformed result (bad policy, non-flat context, over 8 KB) is 500.
import type { InvokeResult } from '../lambda-runner/pool.ts';
import { isRecord } from '../../shared/guards.ts';

export const AUTHORIZER_RESULT_LIMIT_BYTES = 8 * 1024;

export type AuthorizerOutcome =
  | { kind: 'allow'; principalId: string; context: Record<string, string> }
  | { kind: 'reject'; status: 401 | 403 | 500; reason: string };

function asList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

/** IAM-style wildcard match: `*` any run of characters, `?` exactly one. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

function actionCovers(action: string): boolean {
  return wildcardMatch(action, 'execute-api:Invoke', true);
}

type Statement = { effect: 'Allow' | 'Deny'; actions: string[]; resources: string[] };

function parseStatements(policy: unknown): Statement[] | undefined {
  if (!isRecord(policy)) return undefined;
  const raw = policy.Statement;
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : undefined;
  if (!list || list.length === 0) return undefined;
  const statements: Statement[] = [];
  for (const item of list) {
    if (!isRecord(item)) return undefined;
    const effect = item.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return undefined;
    const actions = asList(item.Action);
    const resources = asList(item.Resource);
    if (!actions || !resources) return undefined;
    statements.push({ effect, actions, resources });
  }
  return statements;
}

/** Flat context values only; each reaches later events as a string. */
function flattenContext(context: unknown): Record<string, string> | undefined {
  if (context === undefined || context === null) return {};
  if (!isRecord(context)) return undefined;
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === 'string') flat[key] = value;
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
      flat[key] = String(value);
    else return undefined;
  }
  return flat;
}

export function interpretAuthorizerResult(result: InvokeResult, methodArn: string): AuthorizerOutcome {
  if (!result.ok) {
    if (result.error.message === 'Unauthorized') return { kind: 'reject', status: 401, reason: 'unauthorized' };
    return { kind: 'reject', status: 500, reason: 'authorizer_error' };
  }
  const value = result.value;
  if (!isRecord(value)) return { kind: 'reject', status: 500, reason: 'malformed_result' };
  if (Buffer.byteLength(JSON.stringify(value)) > AUTHORIZER_RESULT_LIMIT_BYTES) {
    return { kind: 'reject', status: 500, reason: 'result_too_large' };
  }
  const principalId = value.principalId;
  if (typeof principalId !== 'string' || principalId.length === 0) {
    return { kind: 'reject', status: 500, reason: 'missing_principal' };
  }
  const statements = parseStatements(value.policyDocument);
  if (!statements) return { kind: 'reject', status: 500, reason: 'malformed_policy' };
  const context = flattenContext(value.context);
  if (!context) return { kind: 'reject', status: 500, reason: 'non_flat_context' };
  const applies = (s: Statement): boolean =>
    s.actions.some(actionCovers) && s.resources.some((r) => wildcardMatch(r, methodArn));
  // IAM evaluation: an explicit Deny wins, then an Allow is needed.
  if (statements.some((s) => s.effect === 'Deny' && applies(s)))
    return { kind: 'reject', status: 403, reason: 'denied' };
  if (!statements.some((s) => s.effect === 'Allow' && applies(s)))
    return { kind: 'reject', status: 403, reason: 'not_allowed' };
  return { kind: 'allow', principalId, context };
}

/** `route.request.header.X` / `route.request.querystring.x` identity sources. */
export type IdentitySource = { kind: 'header' | 'querystring'; name: string };

export function parseIdentitySources(list: readonly string[]): IdentitySource[] {
  return list.map((source) => {
    const header = /^route\.request\.header\.([A-Za-z0-9!#$%&'*+.^_`|~-]+)$/.exec(source);
    if (header) return { kind: 'header', name: header[1] as string };
    const query = /^route\.request\.querystring\.(.+)$/.exec(source);
    if (query) return { kind: 'querystring', name: query[1] as string };
    throw new Error(
      `identity source ${JSON.stringify(source)} is not route.request.header.<Name> or route.request.querystring.<name>`,
    );
  });
}

/** Every configured source must be present and non-empty, else API Gateway answers 401 without invoking. */
export function identitySourcesPresent(
  sources: readonly IdentitySource[],
  headers: Record<string, string>,
  query: Record<string, string> | undefined,
): boolean {
  return sources.every((source) => {
    if (source.kind === 'header') {
      const lower = source.name.toLowerCase();
      return Object.entries(headers).some(([k, v]) => k.toLowerCase() === lower && v.trim().length > 0);
    }
    const value = query?.[source.name];
    return value !== undefined && value.length > 0;
  });
}
