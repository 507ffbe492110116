// A bounded in-memory map whose entries expire on an injected clock. Anyone can create pending logins,
// codes and sessions by sending requests, so every store has a hard size cap (oldest entries go first)
// to keep a local issuer from being driven out of memory.
export interface ExpiringStoreOptions {
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class ExpiringStore<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly options: ExpiringStoreOptions) {}

  set(key: string, value: V, ttlMs: number = this.options.ttlMs): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.options.now() + ttlMs });
    this.evict();
  }

  /** The live value, or undefined when absent or expired (an expired entry is removed). */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Removes the entry and reports what it held if it was still live: the single-use primitive. */
  take(key: string): V | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  /** Whether the key was ever stored and not yet removed, live or expired: tells "expired" from "unknown". */
  hasExpired(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.expiresAt <= this.options.now();
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Live entries with their expiry (epoch ms), for a state file. */
  export(): Array<[string, V, number]> {
    const now = this.options.now();
    return [...this.entries].filter(([, e]) => e.expiresAt > now).map(([key, e]) => [key, e.value, e.expiresAt]);
  }

  /** Loads entries written by export(); an entry that fails `accept` or has expired is skipped. */
  import(entries: unknown, accept: (value: unknown) => value is V): number {
    if (!Array.isArray(entries)) return 0;
    const now = this.options.now();
    let loaded = 0;
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 3) continue;
      const [key, value, expiresAt] = entry as [unknown, unknown, unknown];
      if (typeof key !== 'string' || typeof expiresAt !== 'number' || expiresAt <= now || !accept(value)) continue;
      this.entries.set(key, { value, expiresAt });
      loaded++;
    }
    this.evict();
    return loaded;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const now = this.options.now();
    // Map iteration is insertion order, so the first entries are the oldest.
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && entry.expiresAt > now) break;
      if (entry.expiresAt <= now || this.entries.size > this.options.maxEntries) this.entries.delete(key);
    }
  }
}
