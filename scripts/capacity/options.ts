// Command-line flags → model inputs. Every input has a flag; a bad value is an ArgsError naming the flag.
import { ArgsError, type ParsedArgs } from '../cli/args.ts';
import { FIGURES, type FigureName } from './figures.ts';
import { defaultInputs, FUNCTION_NAMES, WORKLOADS, type FunctionName, type Inputs } from './inputs.ts';

export const MODEL_VALUE_FLAGS = [
  'workload',
  'users',
  'connections-per-user',
  'session-minutes',
  'session-distribution',
  'messages-per-minute',
  'message-bytes',
  'pushes-per-minute',
  'push-fanout',
  'push-bytes',
  'memory-mb',
  'architecture',
  'warm-ms',
  'init-ms',
  'log-bytes',
  'control-per-recipient-ms',
  'cold-start-share',
  'item-bytes',
  'per-user-limit',
  'revocation-table',
  'revocation-check',
  'getuser-cache-hit',
  'refresh-every-minutes',
  'platform-log-bytes',
  'access-log-bytes',
  'access-logs',
  'emf-metrics',
  'peak-factor',
  'stage-rate-limit',
  'set',
] as const;

export function number(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new ArgsError(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

function onOff(args: ParsedArgs, name: string, fallback: boolean): boolean {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  if (raw !== 'on' && raw !== 'off') throw new ArgsError(`--${name} must be on or off`);
  return raw === 'on';
}

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new ArgsError(`--${name} must be one of ${allowed.join(', ')}`);
  return raw as T;
}

/** `a=1,b=2` pairs; keys must be in `allowed`. */
export function pairs(args: ParsedArgs, name: string, allowed: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const raw = args.values.get(name);
  if (raw === undefined) return out;
  for (const part of raw.split(',')) {
    const [key, value, ...rest] = part.split('=');
    const n = Number(value);
    if (!key || value === undefined || rest.length > 0 || value.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new ArgsError(`--${name} takes name=value pairs with values ≥ 0, e.g. ${allowed[0]}=1`);
    if (!allowed.includes(key))
      throw new ArgsError(`--${name}: unknown name ${JSON.stringify(key.slice(0, 40))} (one of ${allowed.join(', ')})`);
    out.set(key, n);
  }
  return out;
}

export function workloadName(args: ParsedArgs): 'chat' | 'notifications' {
  return choice(args, 'workload', ['chat', 'notifications'], 'chat');
}

export function inputsFromArgs(args: ParsedArgs, users?: number): Inputs {
  const preset = WORKLOADS[workloadName(args)];
  const inp = defaultInputs(users ?? number(args, 'users', 100_000, 1, 1e9), { ...preset });
  const w = inp.workload;
  w.connectionsPerUser = number(args, 'connections-per-user', w.connectionsPerUser, 0.01, 1000);
  w.sessionMinutes = number(args, 'session-minutes', w.sessionMinutes, 0.1, 1e6);
  w.sessionDistribution = choice(args, 'session-distribution', ['exponential', 'fixed'], w.sessionDistribution);
  w.messagesPerConnectionMinute = number(args, 'messages-per-minute', w.messagesPerConnectionMinute, 0, 1e5);
  w.messageBytes = number(args, 'message-bytes', w.messageBytes, 1, 1e7);
  w.pushesPerConnectionMinute = number(args, 'pushes-per-minute', w.pushesPerConnectionMinute, 0, 1e5);
  w.pushFanout = number(args, 'push-fanout', w.pushFanout, 1, 1e6);
  w.pushBytes = number(args, 'push-bytes', w.pushBytes, 1, 1e7);
  inp.memoryMb = number(args, 'memory-mb', inp.memoryMb, 128, 10240);
  inp.architecture = choice(args, 'architecture', ['arm64', 'x86_64'], inp.architecture);
  for (const [flag, key] of [
    ['warm-ms', 'warmMs'],
    ['init-ms', 'initMs'],
    ['log-bytes', 'logBytes'],
  ] as const) {
    for (const [fn, v] of pairs(args, flag, FUNCTION_NAMES)) inp.functions[fn as FunctionName][key] = v;
  }
  inp.controlPerRecipientMs = number(args, 'control-per-recipient-ms', inp.controlPerRecipientMs, 0, 1e4);
  inp.coldStartShare = number(args, 'cold-start-share', inp.coldStartShare, 0, 1);
  inp.itemBytes = number(args, 'item-bytes', inp.itemBytes, 1, 400 * 1024);
  inp.perUserLimit = onOff(args, 'per-user-limit', inp.perUserLimit);
  inp.revocationTable = onOff(args, 'revocation-table', inp.revocationTable);
  inp.revocationCheck = onOff(args, 'revocation-check', inp.revocationCheck);
  inp.getUserCacheHitRate = number(args, 'getuser-cache-hit', inp.getUserCacheHitRate, 0, 1);
  inp.refreshEveryMinutes = number(args, 'refresh-every-minutes', inp.refreshEveryMinutes, 0, 1440);
  inp.platformLogBytes = number(args, 'platform-log-bytes', inp.platformLogBytes, 0, 1e6);
  inp.accessLogBytes = number(args, 'access-log-bytes', inp.accessLogBytes, 0, 1e6);
  inp.accessLogs = onOff(args, 'access-logs', inp.accessLogs);
  inp.emfMetrics = number(args, 'emf-metrics', inp.emfMetrics, 0, 1e6);
  inp.peakFactor = number(args, 'peak-factor', inp.peakFactor, 1, 1000);
  inp.stageRateLimit = number(args, 'stage-rate-limit', inp.stageRateLimit, 1, 1e7);
  for (const [name, v] of pairs(args, 'set', Object.keys(FIGURES))) inp.figures[name as FigureName] = v;
  return inp;
}
