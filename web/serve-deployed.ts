// `make web`: serves the web app on 127.0.0.1:$WEB_PORT (default 3000) against a deployed stack, configured
// from `terraform -chdir=terraform output -json`, or from `--config <file.json>` (or WEB_CONFIG=<file.json>).
import { DeployedConfigError, parseServeArgs, readConfigFile, readTerraformOutputs } from './deployed-config.ts';
import { startWebServer } from './server.ts';

function fail(message: string): never {
  process.stderr.write(`web: ${message}\n`);
  process.exit(1);
}

try {
  const args = parseServeArgs(process.argv.slice(2), process.env);
  const config = args.configFile
    ? await readConfigFile(args.configFile)
    : await readTerraformOutputs(args.terraformDir);
  const server = await startWebServer({ host: '127.0.0.1', port: args.port, config });
  const redirect = new URL(config.redirectUri);
  const samePort = (redirect.port || (redirect.protocol === 'https:' ? '443' : '80')) === String(server.port);
  process.stdout.write(
    [
      // Open the registered callback URL, not 127.0.0.1: sessionStorage (state, verifier) is per origin.
      `web app    ${samePort ? config.redirectUri : server.url}   (listening on ${server.url})`,
      `hosted UI  ${config.hostedUiUrl}`,
      `WebSocket  ${config.websocketUrl}`,
      `callback   ${config.redirectUri}${!samePort ? "   (not this server's port: sign-in will return elsewhere)" : ''}`,
      '',
    ].join('\n'),
  );
  // Stops well within the 5 s a user (or make) waits: open connections are closed, and a close that hangs
  // does not keep the port.
  const stop = (): void => {
    setTimeout(() => process.exit(0), 2000).unref();
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof DeployedConfigError) fail(err.message);
  fail(err instanceof Error ? err.message : String(err));
}
