// An interactive WebSocket session with a fresh token, like the original article's wscat: each stdin line is
// sent as a message, each message received is printed. The token travels in the query string by default,
// or in the Authorization header (--header), or as the `bearer, <token>` subprotocol (--protocol).
// `/refresh` signs in again and sends the new token on the open socket ({"action":"refresh","token":...}).
//   npx tsx scripts/connect.ts [--header | --protocol] [--terraform [--terraform-dir DIR]] [--config FILE]
// Exit codes: 0 closed normally (1000), 1 no session (bad arguments, no stack, sign-in or handshake refused),
// 2 the connection was closed with any other code.
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';
import { ArgsError, exclusive, parseArgs } from './cli/args.ts';
import { readLocalTarget, readTerraformTarget, TargetError } from './cli/target.ts';
import { connectionRequest } from './cli/connection-request.ts';
import { demoCredentials, tokensFor } from './cli/tokens.ts';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), {
    booleans: ['header', 'protocol', 'terraform', 'help'],
    values: ['config', 'terraform-dir'],
  });
  if (args.flags.has('help')) {
    say(
      'usage: npx tsx scripts/connect.ts [--header | --protocol] [--terraform [--terraform-dir DIR]] [--config FILE]',
    );
    return 0;
  }
  const mode = (exclusive(args, ['header', 'protocol']) ?? 'query') as 'query' | 'header' | 'protocol';
  const target = args.flags.has('terraform')
    ? await readTerraformTarget(args.values.get('terraform-dir') ?? 'terraform')
    : await readLocalTarget(
        args.values.get('config') ?? path.join(process.env.LOCAL_STATE_DIR ?? '.local', 'stack.json'),
      );
  const credentials = demoCredentials(process.env);
  const tokens = await tokensFor(target, credentials, say);
  const request = connectionRequest(target, tokens.accessToken, mode);
  const ws = new WebSocket(request.url, request.protocols, { headers: request.headers, handshakeTimeout: 15_000 });

  let sent = 0;
  let received = 0;
  return new Promise<number>((resolve) => {
    ws.once('unexpected-response', (_req, res) => {
      say(`connect: handshake refused with HTTP ${res.statusCode}`);
      res.resume();
      resolve(1);
    });
    ws.once('error', (err) => {
      say(`connect: ${err.message}`);
      resolve(1);
    });
    ws.once('open', () => {
      say(`connected to ${target.websocketUrl} (token in ${mode}); type messages, Ctrl-D to close`);
      say('/refresh signs in again and sends the new token on this connection');
      const lines = readline.createInterface({ input: process.stdin, terminal: false });
      // A terminal already shows what was typed; piped input is shown once, so a transcript reads in order.
      const showSent = !process.stdin.isTTY;
      let refreshing = Promise.resolve();
      lines.on('line', (line) => {
        if (line.length === 0 || ws.readyState !== WebSocket.OPEN) return;
        if (line.trim() === '/refresh') {
          sent += 1;
          refreshing = refreshing.then(() => refresh());
          return;
        }
        ws.send(line);
        sent += 1;
        if (showSent) say(`> ${line}`);
      });
      const refresh = async (): Promise<void> => {
        try {
          const fresh = await tokensFor(target, credentials, say);
          if (ws.readyState !== WebSocket.OPEN) return;
          ws.send(JSON.stringify({ action: 'refresh', token: fresh.accessToken }));
          say('> (refresh: signed in again, new token sent)');
        } catch (err) {
          sent -= 1;
          say(`refresh: sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      };
      // End of input: close once as many messages came back as were sent (the echo), or after 5 s.
      lines.on('close', () => {
        const deadline = Date.now() + 5000;
        const check = setInterval(() => {
          if (received >= sent || Date.now() > deadline) {
            clearInterval(check);
            ws.close(1000, 'bye');
          }
        }, 50);
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      received += 1;
      process.stdout.write(`< ${isBinary ? `(binary, base64) ${data.toString('base64')}` : data.toString('utf8')}\n`);
    });
    ws.once('close', (code, reason) => {
      say(`closed ${code}${reason.length > 0 ? ` ${reason.toString()}` : ''}`);
      resolve(code === 1000 ? 0 : 2);
    });
  });
}

try {
  process.exitCode = await main();
  process.exit();
} catch (err) {
  const known =
    err instanceof ArgsError ||
    err instanceof TargetError ||
    (err instanceof Error && /SignInError|BrowserSignInError/.test(err.name));
  say(`connect: ${known ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  process.exit(1);
}
