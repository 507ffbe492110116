// The pool's signing keys. The newest key signs; older keys stay published in the JWKS until dropped, which is
// how a real pool rotates without breaking tokens already issued.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface Jwk {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
}

/** RFC 7638 thumbprint: a stable kid derived from the public key itself. */
function thumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

function toSigningKey(pair: { privateKey: KeyObject; publicKey: KeyObject }): SigningKey {
  return { kid: thumbprint(pair.publicKey), privateKey: pair.privateKey, publicKey: pair.publicKey };
}

export class KeyRing {
  /** Newest last; the last key signs. */
  private keys: SigningKey[];
  /** The JWKS document, exported once per key change rather than on every request. */
  private cachedJwks: { keys: Jwk[] } | undefined;

  private constructor(first: SigningKey) {
    this.keys = [first];
  }

  static async create(): Promise<KeyRing> {
    // Async at start so a 2048-bit generation does not block other servers in the same process.
    return new KeyRing(toSigningKey(await generateKeyPairAsync('rsa', { modulusLength: 2048 })));
  }

  /** The private keys as PKCS#8 PEM, oldest first, for the state file. */
  export(): string[] {
    return this.keys.map((key) => key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  }

  /** A ring from export()'s output. Throws naming what is wrong: only RSA keys of 2048 bits or more are taken. */
  static fromExported(value: unknown): KeyRing {
    if (!Array.isArray(value) || value.length === 0) throw new Error('keys must be a non-empty array');
    const keys = value.map((pem, index) => {
      if (typeof pem !== 'string') throw new Error(`key ${index} is not a PEM string`);
      let privateKey: KeyObject;
      try {
        privateKey = createPrivateKey(pem);
      } catch (err) {
        throw new Error(`key ${index} cannot be read: ${(err as Error).message}`, { cause: err });
      }
      if (privateKey.asymmetricKeyType !== 'rsa' || (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
        throw new Error(`key ${index} is not an RSA key of at least 2048 bits`);
      }
      return toSigningKey({ privateKey, publicKey: createPublicKey(privateKey) });
    });
    const ring = new KeyRing(keys[0] as SigningKey);
    ring.keys = keys;
    return ring;
  }

  get signingKey(): SigningKey {
    const key = this.keys[this.keys.length - 1];
    if (!key) throw new Error('key ring is empty');
    return key;
  }

  find(kid: string): SigningKey | undefined {
    return this.keys.find((key) => key.kid === kid);
  }

  rotate(): void {
    this.keys.push(toSigningKey(generateKeyPairSync('rsa', { modulusLength: 2048 })));
    this.cachedJwks = undefined;
  }

  dropOld(): void {
    this.keys = [this.signingKey];
    this.cachedJwks = undefined;
  }

  jwks(): { keys: Jwk[] } {
    this.cachedJwks ??= {
      keys: this.keys.map((key) => {
        const jwk = key.publicKey.export({ format: 'jwk' });
        if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error('RSA key without n or e');
        return { alg: 'RS256', e: jwk.e, kid: key.kid, kty: 'RSA', n: jwk.n, use: 'sig' };
      }),
    };
    return this.cachedJwks;
  }
}
