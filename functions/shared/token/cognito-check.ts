// The optional online revocation check (COGNITO_REVOCATION_CHECK=on): a locally valid JWT may have been revoked
// at Cognito (RevokeToken, GlobalSignOut, a disabled or deleted user), and only Cognito knows. Asks GetUser
// for tokens with the `aws.cognito.signin.user.admin` scope, else the pool's userInfo endpoint for tokens with
// `openid`; any other token is "uncheckable" and gets the configured answer. Each call is bounded (1 s);
// positive answers are cached for at most 60 s under a SHA-256 of the token (never the token), so reconnect
// storms do not exhaust Cognito's quota. Concurrent checks of one token share one call.
import { createHash } from 'node:crypto';
import { describeError } from '../log.ts';
import { readBodyCapped, type HttpRequest } from './http-request.ts';

export type Answer = 'deny' | 'allow';

export interface CognitoCheckConfig {
  /** The Cognito JSON API endpoint that serves GetUser. */
  readonly getUserEndpoint: string;
  /** The pool domain's `/oauth2/userInfo`. */
  readonly userInfoEndpoint: string;
  /** For tokens with neither scope. */
  readonly uncheckable: Answer;
  /** When the call times out or fails without a definitive answer. */
  readonly onError: Answer;
}

export type OnlineFailure = 'revoked_at_issuer' | 'revocation_uncheckable' | 'revocation_check_failed';

export type OnlineCheck =
  | { readonly ok: true; readonly via: Via; readonly cached: boolean; readonly error?: string }
  | { readonly ok: false; readonly reason: OnlineFailure; readonly via: Via; readonly error?: string };

export type Via = 'get_user' | 'user_info' | 'none';

export interface CognitoCheck {
  /** Never rejects. `scopes` and `exp` come from the verified token. */
  check(token: string, scopes: readonly string[], exp: number): Promise<OnlineCheck>;
}

export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';
export const ONLINE_TIMEOUT_MS = 1000;
export const ONLINE_CONNECT_TIMEOUT_MS = 500;
export const POSITIVE_CACHE_MS = 60_000;
export const MAX_CACHE_ENTRIES = 10_000;
const MAX_ERROR_BODY = 16 * 1024;
// GetUser errors that mean "this token is no longer good": revoked or signed out, user gone or not usable.
const DEFINITIVE_GET_USER_ERRORS: ReadonlySet<string> = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'PasswordResetRequiredException',
  'UserNotConfirmedException',
]);

type Outcome = { ok: true } | { ok: false; reason: 'refused' | 'failed'; error: string };

export interface CognitoCheckDeps {
  readonly config: CognitoCheckConfig;
  readonly request: HttpRequest;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly timeoutMs?: number;
  readonly maxEntries?: number;
}

/** The modeled error name of a Cognito JSON API error (`__type`, possibly namespaced, or the header). */
function errorType(body: Buffer, header: string | undefined): string {
  let type = header ?? '';
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { __type?: unknown }).__type === 'string')
      type = (parsed as { __type: string }).__type;
  } catch {
    // Not JSON: keep the header's answer, if any.
  }
  return type.split('#').pop()?.split(':')[0]?.trim() ?? '';
}

export function createCognitoCheck(deps: CognitoCheckDeps): CognitoCheck {
  const { config, request, now } = deps;
  const timeoutMs = deps.timeoutMs ?? ONLINE_TIMEOUT_MS;
  const maxEntries = deps.maxEntries ?? MAX_CACHE_ENTRIES;
  /** Hash → epoch ms until which the token is known good. Insertion order doubles as age order. */
  const positive = new Map<string, number>();
  const inFlight = new Map<string, Promise<Outcome>>();

  async function call(via: Exclude<Via, 'none'>, token: string): Promise<Outcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const response =
        via === 'get_user'
          ? await request(config.getUserEndpoint, {
              method: 'POST',
              signal: controller.signal,
              connectTimeoutMs: ONLINE_CONNECT_TIMEOUT_MS,
              headers: {
                'content-type': 'application/x-amz-json-1.1',
                'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser',
              },
              body: JSON.stringify({ AccessToken: token }),
            })
          : await request(config.userInfoEndpoint, {
              method: 'GET',
              signal: controller.signal,
              connectTimeoutMs: ONLINE_CONNECT_TIMEOUT_MS,
              headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
            });
      if (response.status === 200) {
        response.cancel();
        return { ok: true };
      }
      const body = await readBodyCapped(response, MAX_ERROR_BODY);
      response.cancel();
      if (via === 'get_user' && response.status === 400) {
        const type = errorType(body, undefined);
        if (DEFINITIVE_GET_USER_ERRORS.has(type)) return { ok: false, reason: 'refused', error: type };
        return { ok: false, reason: 'failed', error: `GetUser ${type || 'error'}` };
      }
      // userInfo answers 401 (invalid_token) for a revoked, signed-out or unknown token.
      if (via === 'user_info' && response.status === 401)
        return { ok: false, reason: 'refused', error: 'userInfo 401' };
      return { ok: false, reason: 'failed', error: `${via} status ${response.status}` };
    } catch (err) {
      return {
        ok: false,
        reason: 'failed',
        error: controller.signal.aborted ? `no answer within ${timeoutMs} ms` : describeError(err),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  function remember(hash: string, exp: number): void {
    const until = Math.min(now() + POSITIVE_CACHE_MS, exp * 1000);
    positive.delete(hash);
    if (positive.size >= maxEntries) {
      const oldest = positive.keys().next();
      if (!oldest.done) positive.delete(oldest.value);
    }
    positive.set(hash, until);
  }

  return {
    async check(token, scopes, exp) {
      const via: Via = scopes.includes(ADMIN_SCOPE) ? 'get_user' : scopes.includes('openid') ? 'user_info' : 'none';
      if (via === 'none') {
        return config.uncheckable === 'allow'
          ? { ok: true, via, cached: false }
          : { ok: false, reason: 'revocation_uncheckable', via };
      }
      const hash = createHash('sha256').update(token).digest('base64url');
      const until = positive.get(hash);
      if (until !== undefined) {
        if (now() < until) return { ok: true, via, cached: true };
        positive.delete(hash);
      }
      let pending = inFlight.get(hash);
      if (!pending) {
        pending = call(via, token).finally(() => inFlight.delete(hash));
        inFlight.set(hash, pending);
      }
      const outcome = await pending;
      if (outcome.ok) {
        remember(hash, exp);
        return { ok: true, via, cached: false };
      }
      if (outcome.reason === 'refused') return { ok: false, reason: 'revoked_at_issuer', via, error: outcome.error };
      return config.onError === 'allow'
        ? { ok: true, via, cached: false, error: outcome.error }
        : { ok: false, reason: 'revocation_check_failed', via, error: outcome.error };
    },
  };
}
