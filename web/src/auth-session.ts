// The signed-in session: starts the hosted UI round trip, completes it, holds the tokens in memory only,
// renews them before expiry with the refresh token, and signs out through the hosted UI. Browser APIs injected.
import type { WebConfig } from './config.ts';
import { createPkce, randomToken, type CryptoLike } from '../../shared/pkce.ts';
import { checkCallback, savePending, takePending, withoutOAuthParams, type StorageLike } from './sign-in-flow.ts';
import { readClaims, refreshDelayMs, type TokenClaims } from './token-claims.ts';
import { postForm, requestTokens, TokenError, type FetchLike, type Tokens } from './token-client.ts';
import { authorizeUrl, codeExchangeRequest, logoutUrl, refreshRequest, revokeRequest } from './urls.ts';

export interface AuthDeps {
  config: WebConfig;
  fetch: FetchLike;
  storage: StorageLike;
  crypto: CryptoLike;
  nowMs: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  /** Leave the page (to the hosted UI). */
  navigate: (url: string) => void;
  /** Replace the address bar without reloading. */
  replaceUrl: (pathAndQuery: string) => void;
  /** Called whenever who is signed in, or the token, changes; `notice` is a message for the user. */
  onChange: (notice?: { level: 'info' | 'error'; text: string }) => void;
  /** Called with each renewed access token, so an open connection can take it over. */
  onRenewed?: (accessToken: string) => void;
}

/** Retry a failed renewal after this long while the current token still works. */
const RENEW_RETRY_MS = 15_000;
/** A token this close to expiry is not handed out for a new connection. */
const MIN_VALIDITY_MS = 5_000;

interface Held {
  accessToken: string;
  idToken: string;
  refreshToken: string | undefined;
  claims: TokenClaims;
}

export class AuthSession {
  private held: Held | undefined;
  private renewTimer: unknown;
  private renewing: Promise<boolean> | undefined;

  constructor(private readonly deps: AuthDeps) {}

  get claims(): TokenClaims | undefined {
    return this.held?.claims;
  }

  get signedIn(): boolean {
    return this.held !== undefined;
  }

  /** Remembers state and verifier for the round trip, then goes to /oauth2/authorize. */
  async signIn(): Promise<void> {
    const { verifier, challenge } = await createPkce(this.deps.crypto);
    const state = randomToken(this.deps.crypto);
    savePending(this.deps.storage, { state, verifier, createdAt: this.deps.nowMs() });
    this.deps.navigate(authorizeUrl(this.deps.config, state, challenge));
  }

  /**
   * On page load: completes a return from the hosted UI when the address carries one. The code never stays
   * in the address bar, whatever the outcome; a refused return makes no token request.
   */
  async completeSignIn(href: string): Promise<'none' | 'signed-in' | 'refused'> {
    const params = new URL(href).searchParams;
    if (!params.has('code') && !params.has('error')) return 'none';
    const outcome = checkCallback(params, takePending(this.deps.storage), this.deps.nowMs());
    this.deps.replaceUrl(withoutOAuthParams(href));
    if (outcome === undefined) return 'none';
    if (!outcome.ok) {
      this.deps.onChange({ level: 'error', text: outcome.message });
      return 'refused';
    }
    try {
      const tokens = await requestTokens(codeExchangeRequest(this.deps.config, outcome.code, outcome.verifier), true, {
        fetch: this.deps.fetch,
      });
      this.accept(tokens);
    } catch (err) {
      this.deps.onChange({
        level: 'error',
        text: `Sign-in failed: ${err instanceof Error ? err.message : String(err)}`,
      });
      return 'refused';
    }
    this.deps.onChange({ level: 'info', text: `Signed in as ${this.held?.claims.username ?? '?'}.` });
    return 'signed-in';
  }

  /** The access token for a new connection, renewed first when it is due; undefined when signed out. */
  async accessToken(): Promise<string | undefined> {
    if (!this.held) return undefined;
    if (this.held.claims.exp * 1000 - this.deps.nowMs() > MIN_VALIDITY_MS) return this.held.accessToken;
    return (await this.renew()) ? this.held?.accessToken : undefined;
  }

  /** Renews with grant_type=refresh_token; one renewal at a time. Resolves whether a fresh token is held. */
  renew(): Promise<boolean> {
    this.renewing ??= this.doRenew().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async doRenew(): Promise<boolean> {
    const held = this.held;
    if (!held?.refreshToken) return false;
    try {
      const tokens = await requestTokens(refreshRequest(this.deps.config, held.refreshToken), false, {
        fetch: this.deps.fetch,
      });
      if (this.held !== held) return false; // signed out meanwhile
      this.accept({ ...tokens, refreshToken: tokens.refreshToken ?? held.refreshToken });
      this.deps.onChange({ level: 'info', text: 'Token renewed.' });
      if (this.held) this.deps.onRenewed?.(this.held.accessToken);
      return true;
    } catch (err) {
      if (this.held !== held) return false;
      const stillValid = held.claims.exp * 1000 > this.deps.nowMs() + MIN_VALIDITY_MS;
      const refused = err instanceof TokenError && err.code === 'invalid_grant';
      if (stillValid && !refused) {
        this.schedule(
          Math.min(RENEW_RETRY_MS, Math.max(0, held.claims.exp * 1000 - this.deps.nowMs() - MIN_VALIDITY_MS)),
        );
      } else {
        this.forget();
      }
      const tail = this.held ? ' Will retry.' : ' Sign in again.';
      this.deps.onChange({
        level: 'error',
        text: `Could not renew the token: ${err instanceof Error ? err.message : String(err)}${tail}`,
      });
      return false;
    }
  }

  /** Revokes the refresh token (best effort, bounded), forgets everything, then signs out of the hosted UI. */
  async signOut(): Promise<void> {
    const refresh = this.held?.refreshToken;
    this.forget();
    if (refresh) {
      try {
        await postForm(revokeRequest(this.deps.config, refresh), { fetch: this.deps.fetch, timeoutMs: 2000 });
      } catch {
        // The hosted UI logout below still ends the session; the refresh token dies with its lifetime.
      }
    }
    this.deps.navigate(logoutUrl(this.deps.config));
  }

  /** The issuer no longer accepts the session: forget it here (nothing left to revoke) and ask for a sign-in. */
  endSession(text: string): void {
    if (!this.held) return;
    this.forget();
    this.deps.onChange({ level: 'error', text });
  }

  private accept(tokens: Tokens): void {
    const claims = readClaims(tokens.accessToken, tokens.idToken);
    if (!claims) throw new TokenError('The access token could not be read.', 'bad_token');
    this.held = { accessToken: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken, claims };
    this.schedule(refreshDelayMs(claims, this.deps.nowMs()));
  }

  private schedule(ms: number): void {
    if (this.renewTimer !== undefined) this.deps.clearTimer(this.renewTimer);
    this.renewTimer = this.deps.setTimer(() => {
      this.renewTimer = undefined;
      void this.renew();
    }, ms);
  }

  private forget(): void {
    if (this.renewTimer !== undefined) this.deps.clearTimer(this.renewTimer);
    this.renewTimer = undefined;
    this.held = undefined;
  }
}
