// Runs the local issuer on its own: `npx tsx local/issuer/cli.ts`. Configuration from the environment, so it
// can stand in for a user pool beside any app. The local stack (local/stack.ts) embeds startIssuer instead.
import { ConfigError } from '../../functions/shared/env.ts';
import { optionsFromEnv } from './env-options.ts';
import { startIssuer, type IssuerOptions } from './index.ts';

async function main(): Promise<void> {
  let options: IssuerOptions;
  try {
    options = optionsFromEnv(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
  const issuer = await startIssuer(options).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
  console.log(
    JSON.stringify({
      level: 'info',
      fn: 'issuer',
      reason: 'issuer_ready',
      url: issuer.url,
      issuer: issuer.issuer,
      jwksUri: issuer.jwksUri,
      poolId: issuer.poolId,
      clientId: options.clients[0]?.clientId,
      authorizeUrl: issuer.authorizeUrl,
      tokenUrl: issuer.tokenUrl,
    }),
  );
  const stop = () => void issuer.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
