// Shared fakes for the web app's unit tests.
import { webcrypto } from 'node:crypto';
import type { WebConfig } from '../../../web/src/config.ts';
import type { CryptoLike } from '../../../shared/pkce.ts';
import type { StorageLike } from '../../../web/src/sign-in-flow.ts';

export const CONFIG: WebConfig = {
  hostedUiUrl: 'https://demo.auth.us-east-1.amazoncognito.com',
  clientId: 'abc123client',
  websocketUrl: 'wss://api.execute-api.us-east-1.amazonaws.com/prod',
  redirectUri: 'http://localhost:3000/',
  logoutUri: 'http://localhost:3000/',
  scopes: ['openid', 'email'],
};

export class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

/** Web Crypto with predictable random bytes (each call fills with the next counter value). */
export function fixedCrypto(): CryptoLike & { calls: number } {
  const fake = {
    calls: 0,
    getRandomValues<T extends Uint8Array>(array: T): T {
      fake.calls++;
      array.fill(fake.calls);
      return array;
    },
    subtle: {
      digest: (algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>) => webcrypto.subtle.digest(algorithm, data),
    },
  };
  return fake;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned JWT-shaped string: the web app only reads claims, never verifies. */
export function fakeJwt(payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url(payload)}.c2lnbmF0dXJl`;
}

/** Injected timers that run only when the test says so. */
export class ManualTimers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  set = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  };
  clear = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };
  /** Delays of the timers waiting now. */
  delays(): number[] {
    return [...this.pending.values()].map((t) => t.ms);
  }
  /** Runs every timer waiting now (not ones they schedule). */
  runAll(): void {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, timer] of due) timer.fn();
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
