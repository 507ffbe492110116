// PKCE (RFC 7636, S256) and the OAuth `state` for every hosted-UI client (web app, CLI, local sign-in), from injected
// Web Crypto (`globalThis.crypto` in browsers and Node 20) so tests can pin the random bytes.

/** The parts of Web Crypto used here; `globalThis.crypto` in browsers and Node 20 satisfies it. */
export interface CryptoLike {
  getRandomValues<T extends Uint8Array>(array: T): T;
  subtle: { digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> };
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes → 43 characters, the minimum length RFC 7636 allows, with 256 bits of entropy. */
export function randomToken(crypto: CryptoLike, bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

export async function challengeS256(crypto: CryptoLike, verifier: string): Promise<string> {
  if (!VERIFIER_PATTERN.test(verifier)) throw new Error('PKCE verifier must be 43 to 128 unreserved characters');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export interface PkcePair {
  verifier: string;
  challenge: string;
}

export async function createPkce(crypto: CryptoLike): Promise<PkcePair> {
  const verifier = randomToken(crypto);
  return { verifier, challenge: await challengeS256(crypto, verifier) };
}
