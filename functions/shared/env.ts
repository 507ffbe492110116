// Environment configuration parsing. Every failure names the variable, so a bad deployment fails the
// cold start with a message an operator can act on.
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

/** The trimmed value, or undefined when unset or blank. */
export function optionalString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function requiredString(env: Env, name: string, pattern?: RegExp, hint?: string): string {
  const value = optionalString(env, name);
  if (value === undefined) throw new ConfigError(name, 'is required');
  if (pattern && !pattern.test(value)) throw new ConfigError(name, `is malformed${hint ? ` (expected ${hint})` : ''}`);
  return value;
}

/** Splits a list on `separator` (a string or regex), trimming and dropping empty items. */
export function parseList(value: string | undefined, separator: string | RegExp = ','): string[] {
  if (value === undefined) return [];
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function optionalInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optionalString(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number between ${min} and ${max}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
  return value;
}

/** One of `allowed`, or `fallback` when unset. */
export function optionalEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = optionalString(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
}
