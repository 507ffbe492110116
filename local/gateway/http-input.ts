// Turns the raw handshake request into the header and query string maps of an API Gateway event.
export interface HeaderMaps {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
}

/**
 * Headers keep the client's casing. Names differing only in case are one header (HTTP names are
 * case-insensitive): the first casing seen names it, the last value wins in `headers`, all values are kept
 * in `multiValueHeaders`.
 */
export function headerMaps(rawHeaders: readonly string[]): HeaderMaps {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const multiValueHeaders: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const casing = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const lower = name.toLowerCase();
    const key = casing.get(lower) ?? name;
    casing.set(lower, key);
    headers[key] = value;
    (multiValueHeaders[key] ??= []).push(value);
  }
  return { headers: { ...headers }, multiValueHeaders: { ...multiValueHeaders } };
}

/** Case-insensitive lookup in a header map. */
export function findHeader(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

export interface QueryMaps {
  queryStringParameters: Record<string, string>;
  multiValueQueryStringParameters: Record<string, string[]>;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    // Malformed percent-encoding: keep the raw text rather than fail the handshake.
    return part;
  }
}

/** Parses the raw query string (without '?'); undefined when there is no parameter, as API Gateway omits it. */
export function queryMaps(rawQuery: string): QueryMaps | undefined {
  const single: Record<string, string> = Object.create(null) as Record<string, string>;
  const multi: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let any = false;
  for (const piece of rawQuery.split('&')) {
    if (piece.length === 0) continue;
    const eq = piece.indexOf('=');
    const name = decode(eq >= 0 ? piece.slice(0, eq) : piece);
    const value = eq >= 0 ? decode(piece.slice(eq + 1)) : '';
    if (name.length === 0) continue;
    any = true;
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  if (!any) return undefined;
  return { queryStringParameters: { ...single }, multiValueQueryStringParameters: { ...multi } };
}
