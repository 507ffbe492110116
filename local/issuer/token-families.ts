// Token families, as Cognito tracks them: one family per sign-in (its origin_jti), holding the refresh token and
// every access and ID token issued from the sign-in or from that refresh token. Revocation works on whole
// families: revoking a refresh token, a second redemption of a code, GlobalSignOut, disabling or deleting a user.
// A token is honoured only while its family is known and live: a family the issuer never issued (or has
// forgotten under memory pressure) is refused, so forgetting can never turn a revoked token valid again.

export type FamilyStatus = 'live' | 'revoked' | 'unknown';

export interface FamilyRecord {
  sub: string;
  clientId: string;
  /** Epoch ms after which no token of the family can be valid any more (its longest-lived token's expiry). */
  liveUntil: number;
  revoked: boolean;
}

export interface TokenFamiliesOptions {
  now: () => number;
  maxEntries?: number; // default 100,000
}

export class TokenFamilies {
  private readonly families = new Map<string, FamilyRecord>();
  private readonly maxEntries: number;

  constructor(private readonly options: TokenFamiliesOptions) {
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  /** Records (or extends) a family when tokens are issued from it. A revoked family stays revoked. */
  register(originJti: string, sub: string, clientId: string, liveUntil: number): void {
    const existing = this.families.get(originJti);
    if (existing) {
      existing.liveUntil = Math.max(existing.liveUntil, liveUntil);
      return;
    }
    this.families.set(originJti, { sub, clientId, liveUntil, revoked: false });
    this.evict();
  }

  status(originJti: string): FamilyStatus {
    const record = this.families.get(originJti);
    if (!record) return 'unknown';
    if (record.liveUntil <= this.options.now()) {
      this.families.delete(originJti);
      return 'unknown';
    }
    return record.revoked ? 'revoked' : 'live';
  }

  /** Revokes one family; true when it was live. */
  revoke(originJti: string): boolean {
    const record = this.families.get(originJti);
    if (!record || record.revoked) return false;
    record.revoked = true;
    return true;
  }

  /** Revokes every family of a user (GlobalSignOut, a disabled or deleted user); the number newly revoked. */
  revokeUser(sub: string): number {
    let count = 0;
    for (const record of this.families.values()) {
      if (record.sub === sub && !record.revoked) {
        record.revoked = true;
        count++;
      }
    }
    return count;
  }

  get size(): number {
    return this.families.size;
  }

  /** The live records, for the state file. */
  export(): Array<[string, FamilyRecord]> {
    const now = this.options.now();
    return [...this.families].filter(([, record]) => record.liveUntil > now).map(([id, r]) => [id, { ...r }]);
  }

  /** Loads records written by export(); anything malformed is skipped rather than trusted. */
  import(entries: unknown): number {
    if (!Array.isArray(entries)) return 0;
    let loaded = 0;
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) continue;
      const [id, record] = entry as [unknown, unknown];
      if (typeof id !== 'string' || !isFamilyRecord(record)) continue;
      this.families.set(id, {
        sub: record.sub,
        clientId: record.clientId,
        liveUntil: record.liveUntil,
        revoked: record.revoked,
      });
      loaded++;
    }
    this.evict();
    return loaded;
  }

  private evict(): void {
    const now = this.options.now();
    for (const [id, record] of this.families) {
      if (this.families.size <= this.maxEntries && record.liveUntil > now) break;
      this.families.delete(id); // insertion order: the oldest first
    }
  }
}

function isFamilyRecord(value: unknown): value is FamilyRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.sub === 'string' &&
    typeof r.clientId === 'string' &&
    typeof r.liveUntil === 'number' &&
    Number.isFinite(r.liveUntil) &&
    typeof r.revoked === 'boolean'
  );
}
