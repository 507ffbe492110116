// The demo user the local stack creates and the CLI signs in with by default (DEMO_USERNAME, DEMO_PASSWORD and
// DEMO_EMAIL override it): one definition, so the issuer, the stack and the scripts agree.
export const DEMO_USER = { username: 'demo', password: 'Demo-passw0rd!', email: 'demo@example.com' } as const;
