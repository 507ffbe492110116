// Mints the pool's tokens and keeps the server-side grant state: authorization codes and refresh tokens.
import { randomUUID } from 'node:crypto';
import { randomId } from './base64url.ts';
import { accessTokenClaims, idTokenClaims, type Authentication } from './claims.ts';
import { ExpiringStore } from './expiring-store.ts';
import { signJwt } from './jwt.ts';
import type { KeyRing } from './keys.ts';

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

export class TokenIssuer {
  readonly codes: ExpiringStore<CodeGrant>;
  readonly refreshTokens: ExpiringStore<RefreshGrant>;
  /** origin_jti of revoked sign-ins, kept as long as their access tokens could live, for userInfo to refuse. */
  readonly revokedOrigins: ExpiringStore<true>;

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
    const longest = Math.max(lifetimes.accessTokenTtlSeconds, lifetimes.idTokenTtlSeconds);
    this.revokedOrigins = new ExpiringStore({ ttlMs: longest * 1000, maxEntries: 100_000, now });
  }

  /** A fresh sign-in event for a user: new origin_jti and event_id, auth_time as given. */
  static authentication(base: Omit<Authentication, 'originJti' | 'eventId'>): Authentication {
    return { ...base, originJti: randomUUID(), eventId: randomUUID() };
  }

  /** Revokes a refresh token and every access token of the same sign-in (RFC 7009, as Cognito's /oauth2/revoke). */
  revokeRefreshToken(refreshToken: string, clientId: string): boolean {
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.auth.clientId !== clientId) return false;
    this.refreshTokens.delete(refreshToken);
    this.revokedOrigins.set(grant.auth.originJti, true);
    return true;
  }

  issueCode(grant: CodeGrant): string {
    const code = randomUUID(); // Cognito's codes are UUIDs too
    this.codes.set(code, grant);
    return code;
  }

  /** Access token, an ID token when `openid` was granted (as Cognito), and optionally a refresh token. */
  issueTokens(auth: Authentication, withRefreshToken: boolean): TokenResponse {
    const nowSeconds = Math.floor(this.now() / 1000);
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
    if (withRefreshToken) {
      refreshToken = randomId(64);
      this.refreshTokens.set(refreshToken, { auth });
    }
    return {
      ...(idToken !== undefined ? { id_token: idToken } : {}),
      access_token: accessToken,
      ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
      expires_in: this.lifetimes.accessTokenTtlSeconds,
      token_type: 'Bearer',
    };
  }
}
