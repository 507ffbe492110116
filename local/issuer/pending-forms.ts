// Pending sign-in forms without server-side state. The validated authorize request travels in the form itself,
// MAC'd with a key only this issuer holds and bound to the browser's XSRF cookie. A flood of anonymous
// /oauth2/authorize requests therefore stores nothing and cannot evict anyone's form. Only redeemed forms are
// remembered (until they expire), to keep each form single-use.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuthorizeRequest } from './authorize-params.ts';
import { ExpiringStore } from './expiring-store.ts';

export type PendingFailure = 'malformed' | 'bad_signature' | 'expired' | 'binding_mismatch' | 'used';
export type PendingResult = { ok: true; request: AuthorizeRequest } | { ok: false; reason: PendingFailure };

interface Payload {
  id: string;
  exp: number; // epoch ms
  bind: string; // MAC of the browser binding: the cookie value itself never appears in a page
  request: AuthorizeRequest;
}

export interface PendingFormsOptions {
  ttlMs: number;
  now: () => number;
  key?: Buffer; // tests may fix it; default 32 random bytes per issuer run
  maxRedeemed?: number; // default 100,000
}

/** The longest form token accepted, well above the largest valid request (state and nonce of 2,048 each). */
export const MAX_FORM_TOKEN_LENGTH = 12_000;

export class PendingForms {
  private readonly key: Buffer;
  private readonly redeemed: ExpiringStore<true>;

  constructor(private readonly options: PendingFormsOptions) {
    this.key = options.key ?? randomBytes(32);
    this.redeemed = new ExpiringStore({
      ttlMs: options.ttlMs,
      maxEntries: options.maxRedeemed ?? 100_000,
      now: options.now,
    });
  }

  /** A token for a form shown to the browser whose XSRF cookie is `binding`. */
  issue(request: AuthorizeRequest, binding: string): string {
    const payload: Payload = {
      id: randomUUID(),
      exp: this.options.now() + this.options.ttlMs,
      bind: this.mac(`bind\0${binding}`),
      request,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(`form\0${body}`)}`;
  }

  /** Checks a posted token against the browser's cookie and consumes it. */
  take(token: string, binding: string): PendingResult {
    if (token.length > MAX_FORM_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
    const parts = token.split('.');
    if (parts.length !== 2 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) {
      return { ok: false, reason: 'malformed' };
    }
    const [body, signature] = parts as [string, string];
    if (!this.equal(signature, this.mac(`form\0${body}`))) return { ok: false, reason: 'bad_signature' };
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      return { ok: false, reason: 'malformed' }; // cannot happen for a token we signed; kept as a guard
    }
    if (payload.exp <= this.options.now()) return { ok: false, reason: 'expired' };
    if (!this.equal(payload.bind, this.mac(`bind\0${binding}`))) return { ok: false, reason: 'binding_mismatch' };
    if (this.redeemed.get(payload.id)) return { ok: false, reason: 'used' };
    this.redeemed.set(payload.id, true, Math.max(1, payload.exp - this.options.now()));
    return { ok: true, request: payload.request };
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  private equal(a: string, b: string): boolean {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
