// `make local`: the whole system on localhost with the deployed bundles. Configuration comes from the
// environment (see local/config.ts); a bad value or a busy port stops it with one clear line and exit 1.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../functions/shared/env.ts';
import { stackOptionsFromEnv } from './config.ts';
import { startStack, StackStartError, type RunningStack } from './stack.ts';
import { writePrivateFile } from './state-file.ts';
import { watchParent } from './parent-watch.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = path.resolve(root, process.env.LOCAL_STATE_DIR ?? '.local');

// The AWS SDK warns on every start under Node 20 that future versions will need Node 22; the local stack
// runs the bundles in workers of this Node, so the warning says nothing actionable here. Others still print.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning'))
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

function fail(message: string): never {
  process.stderr.write(`local stack: ${message}\n`);
  process.exit(1);
}

let options;
try {
  options = stackOptionsFromEnv(process.env);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

let stack: RunningStack;
try {
  stack = await startStack({ ...options, stateDir });
} catch (err) {
  if (err instanceof StackStartError || err instanceof ConfigError) fail(err.message);
  fail(err instanceof Error ? err.message : String(err));
}

const { config, demoUser } = stack;
// It holds the per-run credentials: 0600 in a 0700 directory, written atomically.
const file = path.join(stateDir, 'stack.json');
await writePrivateFile(file, `${JSON.stringify(config, null, 2)}\n`);

process.stdout.write(
  [
    'local stack ready',
    `  web app             ${config.webUrl}`,
    `  WebSocket           ${config.websocketUrl}`,
    `  management API      ${config.managementEndpoint}`,
    `  hosted UI (issuer)  ${config.hostedUiUrl}   issuer ${config.issuer}`,
    `  DynamoDB            ${config.dynamodbEndpoint}   table ${config.tableName}`,
    `  Lambda Invoke API   ${config.lambdaEndpoint}   functions ${Object.values(config.functionNames).join(', ')}`,
    `  AWS credentials     in ${path.relative(process.cwd(), file) || file} (per run; every AWS-API endpoint checks SigV4)`,
    `  demo user           ${demoUser.username} / ${demoUser.password}`,
    `  config              ${path.relative(process.cwd(), file) || file}`,
    '  token:  npx tsx scripts/token.ts      session:  npx tsx scripts/connect.ts',
    '',
  ].join('\n'),
);

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`local stack: ${signal}, closing connections and stopping\n`);
  // A stop that hangs ends the process anyway, within the 5 s a user (and make) waits.
  const force = setTimeout(() => process.exit(1), 4_500);
  force.unref();
  stack
    .stop()
    .then(() => {
      process.stdout.write('local stack stopped\n');
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`local stack: stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
// make does not pass on a SIGINT sent to its PID alone: stop when make is stopping (local/parent-watch.ts).
watchParent((gone) => shutdown(gone.why));
