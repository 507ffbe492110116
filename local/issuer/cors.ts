// CORS for the endpoints a browser app on another origin calls (token, userInfo, revoke, discovery, JWKS).
// Public clients have no secret and nothing here relies on cookies, so `*` is safe; a registered callback
// origin is echoed so the response also suits stricter clients. Credentials are never allowed.
export function corsHeaders(
  origin: string | undefined,
  registeredOrigins: ReadonlySet<string>,
): Record<string, string> {
  if (origin !== undefined && registeredOrigins.has(origin)) {
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  }
  return { 'Access-Control-Allow-Origin': '*' };
}

export function preflightHeaders(
  origin: string | undefined,
  registeredOrigins: ReadonlySet<string>,
  methods: string[],
): Record<string, string> {
  return {
    ...corsHeaders(origin, registeredOrigins),
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': '600',
  };
}
