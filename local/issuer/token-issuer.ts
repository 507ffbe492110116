// Mints the pool's tokens and keeps the server-side grant state: authorization codes, refresh tokens, and the
// token families (one per sign-in, see token-families.ts) through which every revocation works.
import { createHash, randomUUID } from 'node:crypto';
import { randomId } from './base64url.ts';
import { accessTokenClaims, idTokenClaims, type Authentication } from './claims.ts';
import { ExpiringStore } from './expiring-store.ts';
import { signJwt } from './jwt.ts';
import type { KeyRing } from './keys.ts';
import { TokenFamilies, type FamilyStatus } from './token-families.ts';

export interface TokenLifetimes {
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  codeTtlSeconds: number;
}

/** What a code stands for until it is redeemed. */
export interface CodeGrant {
  auth: Authentication;
  redirectUri: string;
  codeChallenge: string;
}

/** What a refresh token stands for. The user is looked up again on refresh so group changes show. */
export interface RefreshGrant {
  auth: Authentication;
}

/** Cognito's token response, field order included. */
export interface TokenResponse {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

export type RefreshRevocation = 'revoked' | 'unknown_token' | 'client_mismatch';

/** Refresh tokens are stored by digest, so the state file never holds a usable token. */
function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function isRefreshGrant(value: unknown): value is RefreshGrant {
  if (value === null || typeof value !== 'object') return false;
  const auth = (value as { auth?: unknown }).auth;
  if (auth === null || typeof auth !== 'object') return false;
  const a = auth as Record<string, unknown>;
  const subject = a.subject as Record<string, unknown> | null | undefined;
  return (
    typeof a.clientId === 'string' &&
    Array.isArray(a.scopes) &&
    a.scopes.every((s) => typeof s === 'string') &&
    typeof a.authTime === 'number' &&
    typeof a.originJti === 'string' &&
    typeof a.eventId === 'string' &&
    (a.nonce === undefined || typeof a.nonce === 'string') &&
    subject !== null &&
    typeof subject === 'object' &&
    typeof subject.sub === 'string' &&
    typeof subject.username === 'string'
  );
}

export class TokenIssuer {
  readonly codes: ExpiringStore<CodeGrant>;
  private readonly refreshTokens: ExpiringStore<RefreshGrant>;
  readonly families: TokenFamilies;
  /** Redeemed codes → their family, so that a second redemption revokes what the first one issued (RFC 9700). */
  private readonly redeemedCodes: ExpiringStore<string>;
  /** Called after grant state changed; `urgent` for revocations, which must reach the state file at once. */
  onChange: (urgent: boolean) => void = () => {};

  constructor(
    private readonly keys: KeyRing,
    private readonly issuer: string,
    private readonly lifetimes: TokenLifetimes,
    private readonly now: () => number,
  ) {
    this.codes = new ExpiringStore({ ttlMs: lifetimes.codeTtlSeconds * 1000, maxEntries: 10_000, now });
    this.refreshTokens = new ExpiringStore({
      ttlMs: lifetimes.refreshTokenTtlSeconds * 1000,
      maxEntries: 100_000,
      now,
    });
    this.families = new TokenFamilies({ now });
    this.redeemedCodes = new ExpiringStore({
      ttlMs: lifetimes.refreshTokenTtlSeconds * 1000,
      maxEntries: 100_000,
      now,
    });
  }

  /** A fresh sign-in event for a user: new origin_jti and event_id, auth_time as given. */
  static authentication(base: Omit<Authentication, 'originJti' | 'eventId'>): Authentication {
    return { ...base, originJti: randomUUID(), eventId: randomUUID() };
  }

  familyStatus(originJti: string): FamilyStatus {
    return this.families.status(originJti);
  }

  /** The grant of a refresh token whose family is still live. */
  refreshGrant(refreshToken: string): RefreshGrant | undefined {
    const grant = this.refreshTokens.get(digest(refreshToken));
    return grant && this.families.status(grant.auth.originJti) === 'live' ? grant : undefined;
  }

  /**
   * Revokes a refresh token, every access and ID token issued with it and every token later issued from it: its
   * whole family (RFC 7009, as Cognito's /oauth2/revoke and RevokeToken).
   */
  revokeRefreshToken(refreshToken: string, clientId: string): RefreshRevocation {
    const key = digest(refreshToken);
    const grant = this.refreshTokens.get(key);
    if (!grant) return 'unknown_token';
    if (grant.auth.clientId !== clientId) return 'client_mismatch';
    this.refreshTokens.delete(key);
    this.families.revoke(grant.auth.originJti);
    this.onChange(true);
    return 'revoked';
  }

  /** GlobalSignOut, a disabled or deleted user: every family of the user. */
  revokeUser(sub: string): number {
    const count = this.families.revokeUser(sub);
    this.onChange(true);
    return count;
  }

  issueCode(grant: CodeGrant): string {
    const code = randomUUID(); // Cognito's codes are UUIDs too
    // The family exists from the code on, so a GlobalSignOut before the redemption also covers it.
    const { auth } = grant;
    this.families.register(
      auth.originJti,
      auth.subject.sub,
      auth.clientId,
      this.now() + this.lifetimes.codeTtlSeconds * 1000,
    );
    this.codes.set(code, grant);
    return code;
  }

  /** Consumes a code. A code whose family was revoked meanwhile is refused like a used one. */
  takeCode(code: string): CodeGrant | undefined {
    const grant = this.codes.take(code);
    return grant && this.families.status(grant.auth.originJti) === 'live' ? grant : undefined;
  }

  /** Remembers a code that was redeemed successfully, for detectCodeReuse. */
  recordRedemption(code: string, originJti: string): void {
    this.redeemedCodes.set(code, originJti);
  }

  /** A second redemption of a redeemed code: revokes every token the first one issued. True when it was one. */
  detectCodeReuse(code: string): boolean {
    const originJti = this.redeemedCodes.take(code);
    if (originJti === undefined) return false;
    this.families.revoke(originJti);
    this.onChange(true);
    return true;
  }

  /** Access token, an ID token when `openid` was granted (as Cognito), and optionally a refresh token. */
  issueTokens(auth: Authentication, withRefreshToken: boolean): TokenResponse {
    const nowMs = this.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const key = this.keys.signingKey;
    const accessToken = signJwt(
      accessTokenClaims(auth, {
        issuer: this.issuer,
        nowSeconds,
        ttlSeconds: this.lifetimes.accessTokenTtlSeconds,
        jti: randomUUID(),
      }),
      key,
    );
    const idToken = auth.scopes.includes('openid')
      ? signJwt(
          idTokenClaims(
            auth,
            { issuer: this.issuer, nowSeconds, ttlSeconds: this.lifetimes.idTokenTtlSeconds, jti: randomUUID() },
            accessToken,
          ),
          key,
        )
      : undefined;
    let refreshToken: string | undefined;
    const tokensLive = Math.max(this.lifetimes.accessTokenTtlSeconds, this.lifetimes.idTokenTtlSeconds);
    const liveSeconds = withRefreshToken ? Math.max(tokensLive, this.lifetimes.refreshTokenTtlSeconds) : tokensLive;
    // (nowSeconds + 1) * 1000: the tokens' exp is in whole seconds, and the family must outlive them.
    this.families.register(auth.originJti, auth.subject.sub, auth.clientId, (nowSeconds + 1 + liveSeconds) * 1000);
    if (withRefreshToken) {
      refreshToken = randomId(64);
      this.refreshTokens.set(digest(refreshToken), { auth });
    }
    this.onChange(false);
    return {
      ...(idToken !== undefined ? { id_token: idToken } : {}),
      access_token: accessToken,
      ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
      expires_in: this.lifetimes.accessTokenTtlSeconds,
      token_type: 'Bearer',
    };
  }

  /** Grant state for the state file (codes are short-lived and not kept). */
  export(): { families: unknown; refreshTokens: unknown; redeemedCodes: unknown } {
    return {
      families: this.families.export(),
      refreshTokens: this.refreshTokens.export(),
      redeemedCodes: this.redeemedCodes.export(),
    };
  }

  import(state: unknown): void {
    if (state === null || typeof state !== 'object') return;
    const s = state as Record<string, unknown>;
    this.families.import(s.families);
    this.refreshTokens.import(s.refreshTokens, isRefreshGrant);
    this.redeemedCodes.import(s.redeemedCodes, (v): v is string => typeof v === 'string');
  }
}
