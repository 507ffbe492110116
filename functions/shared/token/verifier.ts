// The token verifier shared by the authorizer and refresh (one per container, with one JWKS cache): header →
// key → signature and claims → access rules → context claims → revocation (table, then optionally Cognito).
// Synchronous when the key is held and no revocation check is configured (the authorizer's warm path); a
// promise otherwise. Never throws for a bad token: every refusal is `{ ok: false, reason }`, and `forbidden`
// marks the "authenticated but not allowed" ones (REQUIRED_SCOPES, ALLOWED_GROUPS) that deserve a 403.
import type { LogFields } from '../log.ts';
import { decodeHeader } from './decode-jwt.ts';
import type { KeySource } from './jwks-cache.ts';
import { checkHeader, verifyToken, type VerifiedClaims, type VerifyOptions } from './verify-token.ts';
import { checkAccess } from './access-rules.ts';
import type { VerifierConfig } from './verifier-config.ts';
import { pickContextClaims, type PickedClaims } from './context-claims.ts';

const NO_CLAIMS: PickedClaims = { context: {}, stored: {}, skipped: [] };
import { isRevoked, type RevocationReader } from './revocations.ts';
import type { CognitoCheck } from './cognito-check.ts';

export interface Verified {
  readonly ok: true;
  readonly claims: VerifiedClaims;
  readonly picked: PickedClaims;
}

export interface Refused {
  readonly ok: false;
  /** The reason code logged and, for refresh, sent to the client as `detail`. */
  readonly reason: string;
  /** True for REQUIRED_SCOPES / ALLOWED_GROUPS failures of an otherwise valid token (a 403, not a 401). */
  readonly forbidden: boolean;
  /** Safe details for the log line (never the token). */
  readonly fields: LogFields;
}

export type VerifyOutcome = Verified | Refused;

export interface TokenVerifier {
  verify(token: string): VerifyOutcome | Promise<VerifyOutcome>;
}

export interface VerifierDeps {
  readonly config: VerifierConfig;
  readonly keys: KeySource;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Present exactly when REVOCATIONS_TABLE is set. */
  readonly revocations?: RevocationReader;
  /** Present exactly when COGNITO_REVOCATION_CHECK=on. */
  readonly online?: CognitoCheck;
}

const MAX_KNOWN_HEADERS = 16;
const NO_FIELDS: LogFields = {};

const refuse = (reason: string, fields: LogFields = NO_FIELDS, forbidden = false): Refused => ({
  ok: false,
  reason,
  forbidden,
  fields,
});

export function createTokenVerifier(deps: VerifierDeps): TokenVerifier {
  const { config, keys, now, revocations, online } = deps;
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

  async function revocationChecks(token: string, verified: Verified): Promise<VerifyOutcome> {
    const { claims } = verified;
    const [stored, issuer] = await Promise.all([
      revocations?.revokedAt(claims.sub),
      online?.check(token, claims.scopes, claims.exp),
    ]);
    if (stored !== undefined) {
      if (!stored.ok) return refuse('revocation_unavailable', { sub: claims.sub, error: stored.error });
      if (isRevoked(claims.authTime, stored.revokedAt))
        return refuse('revoked', { sub: claims.sub, authTime: claims.authTime, revokedAt: stored.revokedAt });
    }
    if (issuer !== undefined && !issuer.ok)
      return refuse(issuer.reason, { sub: claims.sub, via: issuer.via, error: issuer.error });
    return verified;
  }

  function finish(
    token: string,
    encodedHeader: string,
    kid: string,
    key: Parameters<typeof verifyToken>[1],
  ): VerifyOutcome | Promise<VerifyOutcome> {
    const verification = verifyToken(token, key, verifyOptions, Math.floor(now() / 1000));
    if (!verification.ok) return refuse(verification.reason, { claim: verification.claim });
    const { claims } = verification;
    if (!knownHeaders.has(encodedHeader)) {
      if (knownHeaders.size >= MAX_KNOWN_HEADERS) knownHeaders.clear();
      knownHeaders.set(encodedHeader, kid);
    }
    const access = checkAccess(claims, rules);
    if (!access.ok) return refuse(access.reason, { sub: claims.sub }, true);
    const picked =
      config.contextClaims.length === 0 ? NO_CLAIMS : pickContextClaims(verification.payload, config.contextClaims);
    const verified: Verified = { ok: true, claims, picked };
    if (revocations === undefined && online === undefined) return verified;
    return revocationChecks(token, verified);
  }

  return {
    verify(token) {
      if (token.length > config.maxTokenLength) return refuse('token_too_large');
      // A header already seen on a verified token needs no decoding; jwt.verify still checks the whole token.
      const encoded = token.slice(0, Math.max(0, token.indexOf('.')));
      let kid = knownHeaders.get(encoded);
      if (kid === undefined) {
        const decoded = decodeHeader(token);
        if (!decoded.ok) return refuse(decoded.reason);
        const checked = checkHeader(decoded.header);
        if (!checked.ok) return refuse(checked.reason);
        kid = checked.kid;
      }
      const key = keys.peek(kid);
      if (key) return finish(token, encoded, kid, key);
      const wanted = kid;
      return keys.resolve(wanted).then((found) => {
        if (!found.ok) return refuse(found.reason, { kid: wanted.slice(0, 64) });
        return finish(token, encoded, wanted, found.key);
      });
    },
  };
}
