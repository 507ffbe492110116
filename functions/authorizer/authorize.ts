// Composes the authorizer: extract → decode header → kid lookup → jwt.verify + claim checks → access rules → policy.
// Any rejection, including failures nobody anticipated, becomes `Error('Unauthorized')` (401); only an
// authenticated caller failing REQUIRED_SCOPES / ALLOWED_GROUPS gets a Deny policy (403).
import type { KeyObject } from 'node:crypto';
import type { Logger, LogFields } from '../shared/log.ts';
import { describeError } from '../shared/log.ts';
import type { AuthorizerConfig, TokenSource } from './config.ts';
import { extractToken, type ExtractOptions } from './extract-token.ts';
import { decodeHeader } from './decode-jwt.ts';
import type { KeySource } from './jwks-cache.ts';
import { checkHeader, verifyToken, type VerifyOptions } from './verify-token.ts';
import { checkAccess } from './access-rules.ts';
import { allowResult, denyResult, isValidMethodArn, type AuthorizerResult } from './policy.ts';

export interface AuthorizerDeps {
  readonly config: AuthorizerConfig;
  readonly keys: KeySource;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly log: Logger;
}

export type AuthorizerHandler = (event: unknown) => Promise<AuthorizerResult>;

export const UNAUTHORIZED = 'Unauthorized';
const MAX_KNOWN_HEADERS = 16;

function requestIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const ctx = (event as { requestContext?: unknown }).requestContext;
  if (typeof ctx !== 'object' || ctx === null) return undefined;
  const id = (ctx as { requestId?: unknown }).requestId;
  return typeof id === 'string' ? id.slice(0, 64) : undefined;
}

export function createAuthorizer(deps: AuthorizerDeps): AuthorizerHandler {
  const { config, keys, now, log } = deps;
  const extractOptions: ExtractOptions = {
    sources: config.tokenSources,
    headerName: config.tokenHeader,
    queryParam: config.tokenQueryParam,
    maxLength: config.maxTokenLength,
  };
  const verifyOptions: VerifyOptions = {
    issuer: config.issuer,
    tokenUse: config.tokenUse,
    clientIds: config.clientIds,
    clockToleranceSeconds: config.clockToleranceSeconds,
  };
  const rules = { requiredScopes: config.requiredScopes, allowedGroups: config.allowedGroups };

  // Headers of tokens that verified, by their encoded form. Cognito signs with one or two keys, so a handful of
  // distinct headers cover all traffic and the warm path skips decoding them. Filled only after a successful
  // verification, so unauthenticated input can neither grow nor churn it.
  const knownHeaders = new Map<string, string>();

  function reject(reason: string, fields: LogFields): never {
    log('info', reason, { decision: 'unauthorized', ...fields });
    throw new Error(UNAUTHORIZED);
  }

  function finish(
    methodArn: string,
    token: string,
    header: { readonly encoded: string; readonly kid: string },
    key: KeyObject,
    source: TokenSource,
    requestId: string | undefined,
  ): AuthorizerResult {
    const verified = verifyToken(token, key, verifyOptions, Math.floor(now() / 1000));
    if (!verified.ok) reject(verified.reason, { requestId, source, claim: verified.claim });
    const { claims } = verified;
    if (!knownHeaders.has(header.encoded)) {
      if (knownHeaders.size >= MAX_KNOWN_HEADERS) knownHeaders.clear();
      knownHeaders.set(header.encoded, header.kid);
    }

    const access = checkAccess(claims, rules);
    if (!access.ok) {
      log('info', access.reason, { decision: 'deny', requestId, source, sub: claims.sub });
      return denyResult(methodArn, claims.sub);
    }
    const allowed = allowResult(methodArn, claims);
    if (!allowed) {
      log('warn', 'context_too_large', { decision: 'deny', requestId, source, sub: claims.sub });
      return denyResult(methodArn, claims.sub);
    }
    log('info', 'allow', { decision: 'allow', requestId, source, sub: claims.sub, tokenUse: claims.tokenUse });
    return allowed;
  }

  /** Synchronous when the key is held (the warm path); a promise only when the JWKS cache must be consulted. */
  function decide(event: unknown, requestId: string | undefined): AuthorizerResult | Promise<AuthorizerResult> {
    const methodArn =
      typeof event === 'object' && event !== null ? (event as { methodArn?: unknown }).methodArn : undefined;
    if (!isValidMethodArn(methodArn)) reject('bad_method_arn', { requestId });

    const extracted = extractToken(event, extractOptions);
    if (!extracted.ok) reject(extracted.reason, { requestId });
    const { token, source } = extracted;

    // A header already seen on a verified token needs no decoding; jwt.verify still checks the whole token.
    const encoded = token.slice(0, Math.max(0, token.indexOf('.')));
    let kid = knownHeaders.get(encoded);
    if (kid === undefined) {
      const decoded = decodeHeader(token);
      if (!decoded.ok) reject(decoded.reason, { requestId, source });
      const checked = checkHeader(decoded.header);
      if (!checked.ok) reject(checked.reason, { requestId, source });
      kid = checked.kid;
    }
    const header = { encoded, kid };

    const key = keys.peek(kid);
    if (key) return finish(methodArn, token, header, key, source, requestId);
    return keys.resolve(kid).then((found) => {
      if (!found.ok) reject(found.reason, { requestId, source, kid: header.kid.slice(0, 64) });
      return finish(methodArn, token, header, found.key, source, requestId);
    });
  }

  function unauthorized(err: unknown, requestId: string | undefined): Error {
    if (err instanceof Error && err.message === UNAUTHORIZED) return err;
    // Whatever went wrong, API Gateway must see exactly `Unauthorized` (401), never a 500.
    try {
      log('error', 'internal_error', { decision: 'unauthorized', requestId, error: describeError(err) });
    } catch {
      // A failing log sink must not turn a rejection into a 500 either.
    }
    return new Error(UNAUTHORIZED);
  }

  return function authorize(event: unknown): Promise<AuthorizerResult> {
    let requestId: string | undefined;
    try {
      requestId = requestIdOf(event);
      const outcome = decide(event, requestId);
      if (outcome instanceof Promise)
        return outcome.catch((err: unknown) => Promise.reject(unauthorized(err, requestId)));
      return Promise.resolve(outcome);
    } catch (err) {
      return Promise.reject(unauthorized(err, requestId));
    }
  };
}
