// Capacity and cost model for the stack on AWS, the reconnect-storm simulation, and the 500-client validation
// against the local stack. Figures and their sources: --sources; the method: docs/scale.md.
//   npx tsx scripts/capacity.ts [--workload chat|notifications] [--users 100000] [--json] [model flags]
//   npx tsx scripts/capacity.ts --scale-table          the 10k / 100k / 1M table of docs/scale.md
//   npx tsx scripts/capacity.ts --sources              every AWS figure with its page and date read
import { ArgsError, parseArgs } from './cli/args.ts';
import { monthlyCost } from './capacity/cost.ts';
import {
  costText,
  quotaText,
  scaleMarkdown,
  sourcesMarkdown,
  sourcesText,
  stormMarkdown,
  type ScaleRow,
  type StormRow,
} from './capacity/format.ts';
import { inputsFromArgs, MODEL_VALUE_FLAGS } from './capacity/options.ts';
import { quotaReport } from './capacity/quotas.ts';
import { simulateStorm } from './capacity/storm.ts';
import { stormOptionsFromArgs, STORM_VALUE_FLAGS } from './capacity/storm-options.ts';
import { stormParams, type StormCase } from './capacity/storm-cases.ts';
import { validate, validateText } from './capacity/validate.ts';
import { number } from './capacity/options.ts';
import { DEFAULT_BACKOFF } from '../web/src/backoff.ts';
import { parseBackoff } from './capacity/storm-options.ts';

const USAGE = `usage: npx tsx scripts/capacity.ts [options]
  --workload chat|notifications   preset (default chat); --users N (default 100000)
  --json                          machine-readable output
  --sources [--markdown]          print every AWS figure with its source page and the date read
  --scale-table                   the docs/scale.md table: both workloads at 10k, 100k and 1M users
model inputs (each overrides the preset or default):
  --connections-per-user --session-minutes --session-distribution exponential|fixed
  --messages-per-minute --message-bytes --pushes-per-minute --push-fanout --push-bytes
  --memory-mb --architecture arm64|x86_64 --warm-ms fn=ms,.. --init-ms fn=ms,.. --log-bytes fn=bytes,..
  --control-per-recipient-ms --cold-start-share --item-bytes --per-user-limit on|off
  --revocation-table on|off --revocation-check on|off --getuser-cache-hit --refresh-every-minutes
  --platform-log-bytes --access-log-bytes --access-logs on|off --emf-metrics --peak-factor --stage-rate-limit
  --set figure=value,..           override an AWS figure (names: --sources)
reconnect storm (--storm): synchronized expiry, client-side spread, server-side spread
  --clients N (default 100000) --seed N (default 1) --spread-seconds S (default 600)
  --backoff baseMs,maxMs,attempts (default: the web app's DEFAULT_BACKOFF)
  --compare-backoff baseMs,maxMs,attempts   add a synchronized row with another back-off
  --warm-envs N (default 5) --client-leg-ms N (default 50) --horizon-seconds S (default 3600)
validation against the local stack (--validate): a benchmark, prediction and measurement side by side
  --clients N (default 500) --workers N per function (default 2) --seed N --backoff baseMs,maxMs,attempts
  --calibration-rounds N (default 30)
`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    booleans: ['json', 'help', 'sources', 'markdown', 'scale-table', 'storm', 'validate'],
    values: [...MODEL_VALUE_FLAGS, ...STORM_VALUE_FLAGS, 'workers', 'calibration-rounds'],
  });
  if (args.flags.has('validate')) {
    const raw = args.values.get('backoff');
    const report = await validate({
      clients: number(args, 'clients', 500, 1, 5000),
      workers: number(args, 'workers', 2, 1, 64),
      seed: number(args, 'seed', 1, 0, 2 ** 32 - 1),
      backoff: raw === undefined ? DEFAULT_BACKOFF : parseBackoff(raw, 'backoff'),
      calibrationRounds: number(args, 'calibration-rounds', 30, 3, 1000),
    });
    process.stdout.write(args.flags.has('json') ? `${JSON.stringify(report)}\n` : `${validateText(report)}\n`);
    return 0;
  }
  if (args.flags.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.flags.has('sources')) {
    process.stdout.write(`${args.flags.has('markdown') ? sourcesMarkdown() : sourcesText()}\n`);
    return 0;
  }
  if (args.flags.has('scale-table')) {
    const rows: ScaleRow[] = [];
    for (const workload of ['chat', 'notifications'] as const)
      for (const users of [10_000, 100_000, 1_000_000]) {
        const inp = inputsFromArgs(args, users);
        const preset = inputsFromArgs(
          parseArgs(['--workload', workload], { booleans: [], values: ['workload'] }),
          users,
        );
        // The preset's workload, with any other flag given applied on top.
        inp.workload = args.values.has('workload') ? inp.workload : preset.workload;
        rows.push({ workload, users, cost: monthlyCost(inp), quotas: quotaReport(inp) });
      }
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else process.stdout.write(`${scaleMarkdown(rows)}\n`);
    return 0;
  }
  if (args.flags.has('storm')) {
    const inp = inputsFromArgs(args);
    const { options, compare } = stormOptionsFromArgs(args);
    const rows: StormRow[] = [];
    const run = (label: string, which: StormCase, backoff = options.backoff): void => {
      rows.push({ label, backoff, result: simulateStorm(stormParams(inp, { ...options, backoff }, which)) });
    };
    run('synchronized expiry', 'synchronized');
    if (compare) run('synchronized expiry', 'synchronized', compare);
    run(`client-side spread (${options.spreadMs / 1000} s, make-before-break)`, 'client-spread');
    run(`server-side spread (${options.spreadMs / 1000} s planned close)`, 'server-spread');
    if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ options, rows })}\n`);
    else
      process.stdout.write(
        `reconnect storm: ${options.clients} clients, seed ${options.seed}, ${inp.figures.apigwNewConnectionsPerSecond}/s new connections (burst ${inp.figures.apigwNewConnectionsBurst}), ${inp.figures.lambdaConcurrency} Lambda concurrency\n${stormMarkdown(rows)}\n`,
      );
    return 0;
  }
  const inp = inputsFromArgs(args);
  const cost = monthlyCost(inp);
  const quotas = quotaReport(inp);
  if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ inputs: inp, cost, quotas })}\n`);
  else process.stdout.write(`${costText(inp, cost)}\n\n${quotaText(quotas)}\n`);
  return 0;
}

// The SDK's Node 20 deprecation notice is noise in a benchmark; other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (!`${w.name} ${w.message}`.includes('NodeVersionSupportWarning'))
    process.stderr.write(`${w.name}: ${w.message}\n`);
});
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(
    `capacity: ${err instanceof ArgsError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`,
  );
  process.exitCode = 1;
}
