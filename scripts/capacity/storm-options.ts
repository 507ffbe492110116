// Command-line flags of the reconnect-storm simulation.
import { ArgsError, type ParsedArgs } from '../cli/args.ts';
import type { BackoffOptions } from '../../web/src/backoff.ts';
import { number } from './options.ts';
import { defaultStormOptions, type StormOptions } from './storm-cases.ts';

export const STORM_VALUE_FLAGS = [
  'clients',
  'seed',
  'spread-seconds',
  'backoff',
  'compare-backoff',
  'warm-envs',
  'client-leg-ms',
  'horizon-seconds',
] as const;

export function parseBackoff(raw: string, flag: string): BackoffOptions {
  const parts = raw.split(',').map((x) => Number(x));
  const [baseMs, maxMs, maxAttempts] = parts;
  if (
    parts.length !== 3 ||
    baseMs === undefined ||
    maxMs === undefined ||
    maxAttempts === undefined ||
    !parts.every((x) => Number.isInteger(x) && x >= 1) ||
    maxMs < baseMs ||
    maxAttempts > 100
  )
    throw new ArgsError(`--${flag} takes baseMs,maxMs,attempts: whole numbers ≥ 1, maxMs ≥ baseMs, attempts ≤ 100`);
  return { baseMs, maxMs, maxAttempts };
}

export function stormOptionsFromArgs(args: ParsedArgs): { options: StormOptions; compare?: BackoffOptions } {
  const o = defaultStormOptions(number(args, 'clients', 100_000, 1, 10_000_000));
  o.seed = number(args, 'seed', o.seed, 0, 2 ** 32 - 1);
  o.spreadMs = number(args, 'spread-seconds', o.spreadMs / 1000, 1, 86_400) * 1000;
  const backoff = args.values.get('backoff');
  if (backoff !== undefined) o.backoff = parseBackoff(backoff, 'backoff');
  o.warmEnvs = number(args, 'warm-envs', o.warmEnvs, 0, 100_000);
  o.clientLegMs = number(args, 'client-leg-ms', o.clientLegMs, 0, 60_000);
  o.horizonMs = number(args, 'horizon-seconds', o.horizonMs / 1000, 1, 86_400) * 1000;
  const compare = args.values.get('compare-backoff');
  return compare === undefined ? { options: o } : { options: o, compare: parseBackoff(compare, 'compare-backoff') };
}
