// Type guards for values of unknown shape (parsed JSON, SDK errors, events). No Node built-ins: the Lambdas, the
// local stack, the scripts and the browser bundle all import this one copy.

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error's `name` (SDK v3 names modeled errors after their shape), or undefined. */
export function errorName(err: unknown): string | undefined {
  return isRecord(err) && typeof err['name'] === 'string' ? err['name'] : undefined;
}

/** The HTTP status the SDK recorded on a service error, when there is one. */
export function httpStatusOf(err: unknown): number | undefined {
  if (!isRecord(err)) return undefined;
  const metadata = err['$metadata'];
  if (!isRecord(metadata)) return undefined;
  const status = metadata['httpStatusCode'];
  return typeof status === 'number' ? status : undefined;
}
