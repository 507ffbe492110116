// `make local`: the whole system on localhost with the deployed bundles. Configuration comes from the
// environment (see local/config.ts); a bad value or a busy port stops it with one clear line and exit 1.
import { mkdir, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../functions/shared/env.ts';
import { stackOptionsFromEnv } from './config.ts';
import { startStack, StackStartError, type RunningStack } from './stack.ts';

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
  stack = await startStack(options);
} catch (err) {
  if (err instanceof StackStartError || err instanceof ConfigError) fail(err.message);
  fail(err instanceof Error ? err.message : String(err));
}

const { config, demoUser } = stack;
await mkdir(stateDir, { recursive: true });
// Written atomically: scripts reading it never see half a file.
const file = path.join(stateDir, 'stack.json');
await writeFile(`${file}.tmp`, `${JSON.stringify(config, null, 2)}\n`);
await rename(`${file}.tmp`, file);

process.stdout.write(
  [
    'local stack ready',
    `  web app             ${config.webUrl}`,
    `  WebSocket           ${config.websocketUrl}`,
    `  management API      ${config.managementEndpoint}`,
    `  hosted UI (issuer)  ${config.hostedUiUrl}   issuer ${config.issuer}`,
    `  DynamoDB            ${config.dynamodbEndpoint}   table ${config.tableName}`,
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
  // A second signal, or a stop that hangs, ends the process anyway.
  const force = setTimeout(() => process.exit(1), 15_000);
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
