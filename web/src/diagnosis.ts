// After a failed handshake, find out what can be known. A browser sees an unreachable gateway, a 401, a 403
// and a 429 alike, as a close with code 1006 before open; it can still ask whether the gateway answers HTTP at
// all, whether the token has expired, and whether the issuer still accepts the token (userInfo). Fetch injected.

/** What the page may call: a plain GET, opaque (no-cors) for the gateway, CORS with a bearer for userInfo. */
export type ProbeFetch = (
  url: string,
  init: {
    method: 'GET';
    mode: 'no-cors' | 'cors';
    cache: 'no-store';
    credentials: 'omit';
    headers?: Record<string, string>;
    signal?: AbortSignal;
  },
) => Promise<{ status: number }>;

export type GatewayProbe = 'reachable' | 'unreachable';
export type UserInfoProbe = 'accepted' | 'rejected' | 'unknown';
export type HandshakeCause = 'unreachable' | 'session_ended' | 'refused' | 'unchecked';

export interface Diagnosis {
  cause: HandshakeCause;
  /** What the page says: only what it found. */
  message: string;
  /** Whether an automatic retry may help (the cause may be transient). */
  retry: boolean;
}

export const UNREACHABLE_MESSAGE = 'Server unreachable, retrying.';
export const SESSION_ENDED_MESSAGE = 'Your session ended, sign in again.';
export const REFUSED_MESSAGE = 'Signed in but the server refused the connection (not allowed?).';
export const UNCHECKED_MESSAGE =
  'The server refused the connection and the sign-in could not be checked (the issuer did not answer), retrying.';

const PROBE_TIMEOUT_MS = 5000;

/** The stage's HTTP(S) URL: the stage answers a plain GET without upgrading (any status will do; locally 426). */
export function gatewayHttpUrl(websocketUrl: string): string {
  const url = new URL(websocketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Any HTTP answer, whatever its status, proves the gateway reachable; only a network failure does not. */
export async function probeGateway(
  websocketUrl: string,
  fetch: ProbeFetch,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<GatewayProbe> {
  try {
    await fetch(gatewayHttpUrl(websocketUrl), {
      method: 'GET',
      // The answer is opaque and carries no CORS headers; that it arrives is all that is needed.
      mode: 'no-cors',
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return 'reachable';
  } catch {
    return 'unreachable';
  }
}

/**
 * Asks the issuer's userInfo whether it still accepts the access token (revoked, signed out globally, user
 * disabled or deleted: rejected). It needs the `openid` scope; without it the answer is unknown.
 */
export async function probeUserInfo(
  hostedUiUrl: string,
  accessToken: string,
  scopes: readonly string[],
  fetch: ProbeFetch,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<UserInfoProbe> {
  if (!scopes.includes('openid')) return 'unknown';
  try {
    const response = await fetch(`${hostedUiUrl}/oauth2/userInfo`, {
      method: 'GET',
      mode: 'cors',
      cache: 'no-store',
      credentials: 'omit',
      headers: { Authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 200) return 'accepted';
    // invalid_token answers (Cognito: 400 or 401); 403 is a token without the openid scope.
    if (response.status === 400 || response.status === 401) return 'rejected';
    return 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface HandshakeFacts {
  gateway: GatewayProbe;
  /** Undefined when not asked (the gateway was unreachable, or the token had expired). */
  userInfo?: UserInfoProbe;
  tokenExpired: boolean;
}

/** What the facts allow the page to say, and whether to retry. Pure. */
export function diagnose(facts: HandshakeFacts): Diagnosis {
  if (facts.gateway === 'unreachable') return { cause: 'unreachable', message: UNREACHABLE_MESSAGE, retry: true };
  if (facts.tokenExpired || facts.userInfo === 'rejected')
    return { cause: 'session_ended', message: SESSION_ENDED_MESSAGE, retry: false };
  // Accepted by the issuer, refused by the gateway: the authorizer's rules (groups, scopes, client, revocation
  // by the backend) or the per-user limit. Retrying would only load the authorizer again.
  if (facts.userInfo === 'accepted') return { cause: 'refused', message: REFUSED_MESSAGE, retry: false };
  return { cause: 'unchecked', message: UNCHECKED_MESSAGE, retry: true };
}

export interface DiagnosisDeps {
  websocketUrl: string;
  hostedUiUrl: string;
  scopes: readonly string[];
  fetch: ProbeFetch;
  nowMs: () => number;
}

/** Runs only the probes whose answer can change the diagnosis. */
export async function diagnoseHandshake(
  deps: DiagnosisDeps,
  accessToken: string,
  tokenExpSeconds: number | undefined,
): Promise<Diagnosis> {
  const gateway = await probeGateway(deps.websocketUrl, deps.fetch);
  if (gateway === 'unreachable') return diagnose({ gateway, tokenExpired: false });
  const tokenExpired = tokenExpSeconds !== undefined && tokenExpSeconds * 1000 <= deps.nowMs();
  if (tokenExpired) return diagnose({ gateway, tokenExpired });
  const userInfo = await probeUserInfo(deps.hostedUiUrl, accessToken, deps.scopes, deps.fetch);
  return diagnose({ gateway, tokenExpired, userInfo });
}
