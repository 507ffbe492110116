// The pool's users. Passwords are kept only as scrypt hashes and compared in constant time; an unknown
// username costs the same hash as a known one, so response time does not reveal which usernames exist.
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { TokenSubject } from './claims.ts';
import { passwordPolicyFailures } from './password-policy.ts';
import type { ClaimValue } from './user-claims.ts';

export interface IssuerUser {
  username: string;
  password: string;
  email?: string;
  groups?: string[];
  sub?: string;
  /** Defaults to true for seeded and added users (an administrator vouched for them), false for sign-ups. */
  emailVerified?: boolean;
}

export interface StoredUser {
  username: string;
  sub: string;
  email?: string;
  emailVerified: boolean;
  groups: string[];
  /** AdminDisableUser / AdminEnableUser. */
  enabled: boolean;
  createdAt: number; // epoch ms
  modifiedAt: number; // epoch ms
  salt: Buffer;
  hash: Buffer;
  /** The scrypt N the hash was made with, so a restart with another cost still verifies old passwords. */
  cost: number;
}

/** A user as written to the state file: the hash and salt, never the password. */
export interface PersistedUser {
  username: string;
  sub: string;
  email?: string;
  emailVerified: boolean;
  groups: string[];
  enabled: boolean;
  createdAt: number;
  modifiedAt: number;
  salt: string; // base64
  hash: string; // base64
  cost: number;
}

/** What a user's tokens say about them; `claims` are the configured extra claims. */
export function subjectOf(user: StoredUser, claims: Record<string, ClaimValue> = {}): TokenSubject {
  const subject: TokenSubject = {
    sub: user.sub,
    username: user.username,
    emailVerified: user.emailVerified,
    groups: [...user.groups],
  };
  if (user.email !== undefined) subject.email = user.email;
  if (Object.keys(claims).length > 0) subject.claims = { ...claims };
  return subject;
}

const KEY_LENGTH = 32;
const SCRYPT_BASE = { r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const DEFAULT_SCRYPT_COST = 16384;
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u; // Cognito's username pattern
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]+\.[^\s@<>"]+$/;

export class UserInputError extends Error {
  constructor(
    readonly field: 'username' | 'email' | 'password' | 'groups' | 'sub',
    message: string,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

/** A UUID derived from pool and username, so a restarted local stack keeps every user's `sub`. */
export function stableSub(poolId: string, username: string): string {
  const hex = createHash('sha256').update(`${poolId}\0${username}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Field-level problems with a new user, as messages fit to show; empty when acceptable. */
export function validateNewUser(user: IssuerUser): UserInputError[] {
  const errors: UserInputError[] = [];
  if (typeof user.username !== 'string' || !USERNAME.test(user.username)) {
    errors.push(new UserInputError('username', 'Username must be 1 to 128 characters without spaces.'));
  }
  if (
    user.email !== undefined &&
    (typeof user.email !== 'string' || user.email.length > 254 || !EMAIL.test(user.email))
  ) {
    errors.push(new UserInputError('email', 'Enter a valid email address.'));
  }
  if (typeof user.password !== 'string') {
    errors.push(new UserInputError('password', 'Password is required.'));
  } else {
    for (const failure of passwordPolicyFailures(user.password)) errors.push(new UserInputError('password', failure));
  }
  if (
    user.groups !== undefined &&
    (!Array.isArray(user.groups) ||
      user.groups.some((g) => typeof g !== 'string' || !/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(g)))
  ) {
    errors.push(new UserInputError('groups', 'Group names must be 1 to 128 characters without spaces.'));
  }
  if (user.sub !== undefined && (typeof user.sub !== 'string' || !/^[A-Za-z0-9-]{1,128}$/.test(user.sub))) {
    errors.push(new UserInputError('sub', 'sub must be 1 to 128 letters, digits or dashes.'));
  }
  return errors;
}

function scryptAsync(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...SCRYPT_BASE, N: cost }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export class UserStore {
  // Keyed by lower-cased username: new Cognito pools are case-insensitive.
  private readonly users = new Map<string, StoredUser>();
  private readonly dummy = { salt: randomBytes(16), hash: randomBytes(KEY_LENGTH) };
  /** Called after any change to the users (sign-up, enable, disable, delete), for the state file. */
  onChange: () => void = () => {};

  /** `scryptCost` is scrypt's N: the default is the common interactive-login setting; a load test may lower it. */
  constructor(
    private readonly poolId: string,
    private readonly scryptCost = DEFAULT_SCRYPT_COST,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a user synchronously (tests, seeding). Throws a UserInputError naming the problem. */
  add(user: IssuerUser, defaultEmailVerified = true): StoredUser {
    const salt = randomBytes(16);
    return this.insert(
      user,
      salt,
      () => scryptSync(user.password, salt, KEY_LENGTH, { ...SCRYPT_BASE, N: this.scryptCost }),
      defaultEmailVerified,
    );
  }

  /** Adds a user without blocking the event loop on the hash (hosted-UI sign-up). */
  async addAsync(user: IssuerUser, defaultEmailVerified = false): Promise<StoredUser> {
    this.assertAcceptable(user);
    const salt = randomBytes(16);
    const hash = await scryptAsync(user.password, salt, this.scryptCost);
    return this.insert(user, salt, () => hash, defaultEmailVerified);
  }

  find(username: string): StoredUser | undefined {
    return this.users.get(username.toLowerCase());
  }

  findBySub(sub: string): StoredUser | undefined {
    for (const user of this.users.values()) if (user.sub === sub) return user;
    return undefined;
  }

  /** The user when the password matches; always spends one scrypt hash. */
  async authenticate(username: string, password: string): Promise<StoredUser | undefined> {
    const user = this.find(username);
    const { salt, hash, cost } = user ?? { ...this.dummy, cost: this.scryptCost };
    const candidate = await scryptAsync(password, salt, cost);
    const match = timingSafeEqual(candidate, hash);
    return user && match ? user : undefined;
  }

  /** AdminEnableUser / AdminDisableUser; undefined when there is no such user. */
  setEnabled(username: string, enabled: boolean): StoredUser | undefined {
    const user = this.find(username);
    if (!user) return undefined;
    user.enabled = enabled;
    user.modifiedAt = this.now();
    this.onChange();
    return user;
  }

  delete(username: string): StoredUser | undefined {
    const user = this.find(username);
    if (user) {
      this.users.delete(username.toLowerCase());
      this.onChange();
    }
    return user;
  }

  export(): PersistedUser[] {
    return [...this.users.values()].map((user) => {
      const persisted: PersistedUser = {
        username: user.username,
        sub: user.sub,
        emailVerified: user.emailVerified,
        groups: [...user.groups],
        enabled: user.enabled,
        createdAt: user.createdAt,
        modifiedAt: user.modifiedAt,
        salt: user.salt.toString('base64'),
        hash: user.hash.toString('base64'),
        cost: user.cost,
      };
      if (user.email !== undefined) persisted.email = user.email;
      return persisted;
    });
  }

  /** Loads users written by export(). Throws naming the first entry that is not a user. */
  import(entries: unknown): number {
    if (!Array.isArray(entries)) throw new Error('users must be an array');
    for (const [index, entry] of entries.entries()) {
      if (!isPersistedUser(entry)) throw new Error(`entry ${index} is not a user`);
      const user: StoredUser = {
        username: entry.username,
        sub: entry.sub,
        emailVerified: entry.emailVerified,
        groups: [...entry.groups],
        enabled: entry.enabled,
        createdAt: entry.createdAt,
        modifiedAt: entry.modifiedAt,
        salt: Buffer.from(entry.salt, 'base64'),
        hash: Buffer.from(entry.hash, 'base64'),
        cost: entry.cost,
      };
      if (entry.email !== undefined) user.email = entry.email;
      this.users.set(user.username.toLowerCase(), user);
    }
    return entries.length;
  }

  /**
   * A configured user at start, over a persisted one of the same name: the configuration wins for password,
   * email, groups and sub; the pool keeps its enabled flag and creation date.
   */
  seed(user: IssuerUser): StoredUser {
    const previous = this.delete(user.username);
    try {
      const stored = this.add(user);
      if (previous) {
        stored.enabled = previous.enabled;
        stored.createdAt = previous.createdAt;
      }
      return stored;
    } catch (err) {
      if (previous) this.users.set(previous.username.toLowerCase(), previous);
      throw err;
    }
  }

  private assertAcceptable(user: IssuerUser): void {
    const [first] = validateNewUser(user);
    if (first) throw first;
    if (this.find(user.username)) throw new UserInputError('username', 'User already exists.');
  }

  private insert(user: IssuerUser, salt: Buffer, hash: () => Buffer, defaultEmailVerified: boolean): StoredUser {
    this.assertAcceptable(user);
    const now = this.now();
    const stored: StoredUser = {
      username: user.username,
      sub: user.sub ?? stableSub(this.poolId, user.username.toLowerCase()),
      emailVerified: user.emailVerified ?? defaultEmailVerified,
      groups: [...new Set(user.groups ?? [])],
      enabled: true,
      createdAt: now,
      modifiedAt: now,
      salt,
      hash: hash(),
      cost: this.scryptCost,
    };
    if (user.email !== undefined) stored.email = user.email;
    if (this.findBySub(stored.sub)) throw new UserInputError('sub', 'Another user already has this sub.');
    this.users.set(user.username.toLowerCase(), stored);
    this.onChange();
    return stored;
  }
}

function isPersistedUser(value: unknown): value is PersistedUser {
  if (value === null || typeof value !== 'object') return false;
  const u = value as Record<string, unknown>;
  const COSTS = /^(1024|2048|4096|8192|16384|32768|65536)$/;
  return (
    typeof u.username === 'string' &&
    USERNAME.test(u.username) &&
    typeof u.sub === 'string' &&
    /^[A-Za-z0-9-]{1,128}$/.test(u.sub) &&
    (u.email === undefined || typeof u.email === 'string') &&
    typeof u.emailVerified === 'boolean' &&
    Array.isArray(u.groups) &&
    u.groups.every((g) => typeof g === 'string') &&
    typeof u.enabled === 'boolean' &&
    typeof u.createdAt === 'number' &&
    typeof u.modifiedAt === 'number' &&
    typeof u.salt === 'string' &&
    typeof u.hash === 'string' &&
    Buffer.from(u.hash, 'base64').length === KEY_LENGTH &&
    typeof u.cost === 'number' &&
    COSTS.test(String(u.cost))
  );
}
