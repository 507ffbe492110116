// Backend push and control of live connections from the command line, through the control function:
//   npx tsx scripts/control.ts send --user demo --message '{"hello":1}'
//   npx tsx scripts/control.ts list --user demo | disconnect --sub <sub> | revoke --user demo
// Local stack by default (.local/stack.json: Invoke endpoint, issuer, per-run credentials); --terraform for a
// deployed stack with the caller's AWS credentials. Prints the function's JSON answer on stdout.
// Exit codes: 0 answered, 1 usage/configuration/connection error, 2 the function answered an error.
import path from 'node:path';
import { ArgsError, parseArgs } from './cli/args.ts';
import { TargetError } from './cli/target.ts';
import { readLocalControlTarget, readTerraformControlTarget } from './cli/control-target.ts';
import { ControlError, controlCommand, controlPayload, invokeControl, resolveSub } from './cli/control-ops.ts';

const USAGE =
  'usage: npx tsx scripts/control.ts <send|list|disconnect|revoke> (--user NAME | --sub SUB | --connection ID)\n' +
  '       [--message JSON] [--terraform [--terraform-dir DIR]] [--config FILE]';
const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const [op, ...rest] = process.argv.slice(2);
  if (op === undefined || op === '--help' || op === 'help') {
    say(USAGE);
    return op === undefined ? 1 : 0;
  }
  const args = parseArgs(rest, {
    booleans: ['terraform'],
    values: ['user', 'sub', 'connection', 'message', 'config', 'terraform-dir'],
  });
  const command = controlCommand(op, args);
  const target = args.flags.has('terraform')
    ? await readTerraformControlTarget(args.values.get('terraform-dir') ?? 'terraform')
    : await readLocalControlTarget(
        args.values.get('config') ?? path.join(process.env.LOCAL_STATE_DIR ?? '.local', 'stack.json'),
      );
  const sub = command.subject.kind === 'user' ? await resolveSub(target, command.subject.username) : undefined;
  if (command.subject.kind === 'user') say(`${command.subject.username} → sub ${sub}`);
  const { answer, failed } = await invokeControl(target, controlPayload(command, sub));
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  return failed ? 2 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  const known = err instanceof ArgsError || err instanceof TargetError || err instanceof ControlError;
  say(`control: ${known ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  if (err instanceof ArgsError) say(USAGE);
  process.exitCode = 1;
}
