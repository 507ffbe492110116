// The round trip through the hosted UI: what is remembered before leaving (state and PKCE verifier, in
// sessionStorage only) and the checks on return. A wrong or missing state never reaches the token endpoint.

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const PENDING_KEY = 'cognito-ws.pending-sign-in';
/** A pending sign-in older than this is refused: the hosted UI's own form expires long before. */
export const PENDING_MAX_AGE_MS = 30 * 60 * 1000;

export interface PendingSignIn {
  state: string;
  verifier: string;
  createdAt: number;
}

export function savePending(storage: StorageLike, pending: PendingSignIn): void {
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
}

/** Reads and removes the pending sign-in: it serves exactly one return, whatever the outcome. */
export function takePending(storage: StorageLike): PendingSignIn | undefined {
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { state, verifier, createdAt } = value as Record<string, unknown>;
    if (typeof state !== 'string' || typeof verifier !== 'string' || typeof createdAt !== 'number') return undefined;
    return { state, verifier, createdAt };
  } catch {
    return undefined;
  }
}

/** A return from the hosted UI: the code to exchange, or why it is refused (`message` is for the user). */
export type CallbackOutcome =
  { ok: true; code: string; verifier: string } | { ok: false; reason: string; message: string };

const CODE = /^[\x21-\x7E]{1,2048}$/;

/** Constant-time comparison, so the check does not reveal how much of a guessed state matched. */
export function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Decides what a page load means from its query string and the pending sign-in (already taken from storage).
 * Undefined when this is not a return from the hosted UI.
 */
export function checkCallback(
  params: URLSearchParams,
  pending: PendingSignIn | undefined,
  nowMs: number,
): CallbackOutcome | undefined {
  const code = params.getAll('code');
  const error = params.getAll('error');
  if (code.length === 0 && error.length === 0) return undefined;
  const states = params.getAll('state');
  const state = states.length === 1 ? states[0] : undefined;
  if (!pending) {
    return {
      ok: false,
      reason: 'no_pending_sign_in',
      message: 'Sign-in refused: this browser tab did not start a sign-in (no saved state). Sign in again.',
    };
  }
  if (state === undefined || state === '' || !sameString(state, pending.state)) {
    return {
      ok: false,
      reason: 'state_mismatch',
      message:
        'Sign-in refused: the state returned by the hosted UI does not match the one this tab sent. Sign in again.',
    };
  }
  if (nowMs - pending.createdAt > PENDING_MAX_AGE_MS || nowMs < pending.createdAt - 60_000) {
    return {
      ok: false,
      reason: 'pending_expired',
      message: 'Sign-in refused: the sign-in took too long. Sign in again.',
    };
  }
  if (error.length > 0) {
    const description = params.get('error_description');
    const detail = description ? `${error[0]}: ${description}` : String(error[0]);
    return {
      ok: false,
      reason: 'hosted_ui_error',
      message: `The hosted UI returned an error (${detail.slice(0, 300)}).`,
    };
  }
  const value = code.length === 1 ? code[0] : undefined;
  if (value === undefined || !CODE.test(value)) {
    return {
      ok: false,
      reason: 'bad_code',
      message: 'Sign-in refused: the authorization code is missing or malformed.',
    };
  }
  return { ok: true, code: value, verifier: pending.verifier };
}

/** The current address without the OAuth response parameters, for history.replaceState. */
export function withoutOAuthParams(href: string): string {
  const url = new URL(href);
  for (const name of ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'])
    url.searchParams.delete(name);
  url.hash = '';
  return url.pathname + url.search;
}
