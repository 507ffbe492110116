// Composes the authorizer: method ARN → extract → the shared verifier (header, key, signature and claims, access
// rules, context claims, revocation) → policy. Any rejection, including failures nobody anticipated, becomes
// `Error('Unauthorized')` (401); only an authenticated caller failing REQUIRED_SCOPES / ALLOWED_GROUPS, or whose
// context would be too large, gets a Deny policy (403). Each decision writes exactly one record (decision-log.ts).
import type { Logger } from '../shared/log.ts';
import { describeError } from '../shared/log.ts';
import { lambdaRequestId } from '../shared/invocation.ts';
import { readRequestId } from '../shared/websocket-event.ts';
import type { TokenVerifier, VerifyOutcome } from '../shared/token/verifier.ts';
import type { AuthorizerConfig, TokenSource } from './config.ts';
import { extractToken, type ExtractOptions } from './extract-token.ts';
import { allowResult, denyResult, isValidMethodArn, type AuthorizerResult } from './policy.ts';
import type { DecisionLog } from './decision-log.ts';

export interface AuthorizerDeps {
  readonly config: Pick<AuthorizerConfig, 'tokenSources' | 'tokenHeader' | 'tokenQueryParam' | 'maxTokenLength'>;
  readonly verifier: TokenVerifier;
  readonly decisions: DecisionLog;
  /** For records that are not decisions (skipped context claims, internal errors). */
  readonly log: Logger;
}

/** Lambda calls `handler(event, context)`; `context.awsRequestId` is the record's `requestId`. */
export type AuthorizerHandler = (event: unknown, context?: unknown) => Promise<AuthorizerResult>;

export const UNAUTHORIZED = 'Unauthorized';

/** Thrown after the decision record is written, so the outer catch does not write a second one. */
class Refusal extends Error {
  constructor() {
    super(UNAUTHORIZED);
  }
}

interface Ids {
  readonly requestId: string | undefined;
  readonly apiRequestId: string | undefined;
}

export function createAuthorizer(deps: AuthorizerDeps): AuthorizerHandler {
  const { config, verifier, decisions, log } = deps;
  const extractOptions: ExtractOptions = {
    sources: config.tokenSources,
    headerName: config.tokenHeader,
    queryParam: config.tokenQueryParam,
    maxLength: config.maxTokenLength,
  };

  function refuse(reason: string, ids: Ids, source?: TokenSource, outcome?: VerifyOutcome): never {
    const fields = outcome && !outcome.ok ? outcome.fields : undefined;
    const sub = typeof fields?.['sub'] === 'string' ? fields['sub'] : undefined;
    decisions('unauthorized', reason, { ...ids, source, sub, detail: fields });
    throw new Refusal();
  }

  function conclude(outcome: VerifyOutcome, methodArn: string, source: TokenSource, ids: Ids): AuthorizerResult {
    if (!outcome.ok) {
      if (!outcome.forbidden) refuse(outcome.reason, ids, source, outcome);
      const sub = typeof outcome.fields['sub'] === 'string' ? outcome.fields['sub'] : '';
      decisions('deny', outcome.reason, { ...ids, source, sub });
      return denyResult(methodArn, sub);
    }
    const { claims, picked } = outcome;
    for (const claim of picked.skipped) log('warn', 'context_claim_skipped', { ...ids, claim: claim.slice(0, 128) });
    const allowed = allowResult(methodArn, claims, picked.context);
    if (!allowed) {
      decisions('deny', 'context_too_large', { ...ids, source, sub: claims.sub });
      return denyResult(methodArn, claims.sub);
    }
    decisions('allow', 'allow', { ...ids, source, sub: claims.sub });
    return allowed;
  }

  /** Synchronous on the warm path; a promise only when the verifier needs I/O (JWKS, revocation). */
  function decide(event: unknown, ids: Ids): AuthorizerResult | Promise<AuthorizerResult> {
    const methodArn =
      typeof event === 'object' && event !== null ? (event as { methodArn?: unknown }).methodArn : undefined;
    if (!isValidMethodArn(methodArn)) refuse('bad_method_arn', ids);
    const extracted = extractToken(event, extractOptions);
    if (!extracted.ok) refuse(extracted.reason, ids);
    const { token, source } = extracted;
    const outcome = verifier.verify(token);
    if (outcome instanceof Promise) return outcome.then((o) => conclude(o, methodArn, source, ids));
    return conclude(outcome, methodArn, source, ids);
  }

  function unauthorized(err: unknown, ids: Ids): Error {
    if (err instanceof Refusal) return new Error(UNAUTHORIZED);
    // Whatever went wrong, API Gateway must see exactly `Unauthorized` (401), never a 500.
    try {
      decisions('unauthorized', 'internal_error', { ...ids, detail: { error: describeError(err) } });
    } catch {
      // A failing log sink must not turn a rejection into a 500 either.
    }
    return new Error(UNAUTHORIZED);
  }

  return function authorize(event: unknown, context?: unknown): Promise<AuthorizerResult> {
    let ids: Ids = { requestId: undefined, apiRequestId: undefined };
    try {
      ids = { requestId: lambdaRequestId(context), apiRequestId: readRequestId(event) };
      const result = decide(event, ids);
      if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(unauthorized(err, ids)));
      return Promise.resolve(result);
    } catch (err) {
      return Promise.reject(unauthorized(err, ids));
    }
  };
}
