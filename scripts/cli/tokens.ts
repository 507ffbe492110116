// Getting tokens for a target: the local stack signs in headlessly with the demo user; a deployed stack goes
// through a real browser.
import { signInWithHostedUi } from './hosted-ui-sign-in.ts';
import { signInWithBrowser, tryOpenBrowser } from './browser-sign-in.ts';
import type { Target } from './target.ts';
import type { TokenSet } from '../../shared/token-set.ts';
import { DEMO_USER } from '../../shared/demo-user.ts';

export interface Credentials {
  username: string;
  password: string;
}

export function demoCredentials(env: NodeJS.ProcessEnv): Credentials {
  return { username: env.DEMO_USERNAME || DEMO_USER.username, password: env.DEMO_PASSWORD || DEMO_USER.password };
}

export async function tokensFor(
  target: Target,
  credentials: Credentials,
  say: (line: string) => void,
): Promise<TokenSet> {
  if (target.kind === 'local') {
    return signInWithHostedUi({
      hostedUiUrl: target.hostedUiUrl,
      clientId: target.clientId,
      redirectUri: target.redirectUri,
      ...credentials,
    });
  }
  return signInWithBrowser({
    hostedUiUrl: target.hostedUiUrl,
    clientId: target.clientId,
    redirectUri: target.redirectUri,
    ...(target.scopes ? { scopes: target.scopes } : {}),
    announce: (url) => {
      say(`Open this URL to sign in (waiting for the redirect to ${target.redirectUri}):`);
      say(url);
      tryOpenBrowser(url);
    },
  });
}
