// Prints a fresh token. Local stack (default): reads .local/stack.json and signs in as the demo user through
// the hosted UI (code + PKCE, no browser). Deployed stack (--terraform): opens the hosted UI in a browser and
// catches the redirect on the registered localhost callback. Only the token goes to stdout.
//   npx tsx scripts/token.ts [--id | --json] [--terraform [--terraform-dir terraform]] [--config .local/stack.json]
import path from 'node:path';
import { ArgsError, exclusive, parseArgs } from './cli/args.ts';
import { readLocalTarget, readTerraformTarget, TargetError, type Target } from './cli/target.ts';
import { demoCredentials, tokensFor } from './cli/tokens.ts';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

try {
  const args = parseArgs(process.argv.slice(2), {
    booleans: ['id', 'json', 'terraform', 'help'],
    values: ['config', 'terraform-dir'],
  });
  if (args.flags.has('help')) {
    say('usage: npx tsx scripts/token.ts [--id | --json] [--terraform [--terraform-dir DIR]] [--config FILE]');
    process.exit(0);
  }
  const output = exclusive(args, ['id', 'json']);
  const target: Target = args.flags.has('terraform')
    ? await readTerraformTarget(args.values.get('terraform-dir') ?? 'terraform')
    : await readLocalTarget(
        args.values.get('config') ?? path.join(process.env.LOCAL_STATE_DIR ?? '.local', 'stack.json'),
      );
  const tokens = await tokensFor(target, demoCredentials(process.env), say);
  if (output === 'json') process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
  else if (output === 'id') {
    if (!tokens.idToken) throw new TargetError('no ID token came back: request the openid scope');
    process.stdout.write(`${tokens.idToken}\n`);
  } else process.stdout.write(`${tokens.accessToken}\n`);
} catch (err) {
  const known =
    err instanceof ArgsError ||
    err instanceof TargetError ||
    (err instanceof Error && /SignInError|BrowserSignInError/.test(err.name));
  say(`token: ${known ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  process.exit(1);
}
