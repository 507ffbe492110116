// Detects a page opened on an origin other than its registered callback's (127.0.0.1 vs localhost, another
// port), before the user signs in: sessionStorage (state, verifier) is per origin, so a sign-in started here
// would come back to the other origin and be refused. Pure.

export type OriginCheck = { ok: true } | { ok: false; reason: 'wrong_origin'; link: string; message: string };

export function checkOrigin(redirectUri: string, href: string): OriginCheck {
  let registered: URL;
  let here: URL;
  try {
    registered = new URL(redirectUri);
    here = new URL(href);
  } catch {
    return { ok: true };
  }
  if (registered.origin === here.origin) return { ok: true };
  return {
    ok: false,
    reason: 'wrong_origin',
    link: registered.href,
    message: `This page is open at ${here.origin}, but sign-in returns to ${registered.origin} (the registered callback URL). Open the app at`,
  };
}
