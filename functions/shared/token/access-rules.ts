// Optional policy on an authenticated user: every required scope, and at least one allowed group.
// Failing these is "authenticated but forbidden": the caller answers with a Deny policy (403), not a 401.
import type { VerifiedClaims } from './verify-token.ts';

export interface AccessRules {
  readonly requiredScopes: readonly string[];
  readonly allowedGroups: readonly string[];
}

export type AccessDecision =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'missing_scope' | 'group_not_allowed' };

export function checkAccess(claims: Pick<VerifiedClaims, 'scopes' | 'groups'>, rules: AccessRules): AccessDecision {
  for (const scope of rules.requiredScopes) {
    if (!claims.scopes.includes(scope)) return { ok: false, reason: 'missing_scope' };
  }
  if (rules.allowedGroups.length > 0 && !claims.groups.some((g) => rules.allowedGroups.includes(g))) {
    return { ok: false, reason: 'group_not_allowed' };
  }
  return { ok: true };
}
