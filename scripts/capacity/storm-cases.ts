// The reconnect-storm cases compared in docs/scale.md, with their parameters taken from the model's inputs
// (AWS figures, measured function times) so one set of flags drives both.
import { DEFAULT_BACKOFF, DEFAULT_PLANNED_RECONNECT, type BackoffOptions } from '../../web/src/backoff.ts';
import type { Inputs } from './inputs.ts';
import type { StormParams } from './storm.ts';

export type StormCase = 'synchronized' | 'client-spread' | 'server-spread';

export interface StormOptions {
  clients: number;
  seed: number;
  /** Width of the client-side or server-side spread window. */
  spreadMs: number;
  backoff: BackoffOptions;
  /** Execution environments of each function already warm when the storm starts. */
  warmEnvs: number;
  clientLegMs: number;
  horizonMs: number;
}

export function defaultStormOptions(clients = 100_000): StormOptions {
  return {
    clients,
    seed: 1,
    spreadMs: DEFAULT_PLANNED_RECONNECT.windowMs,
    backoff: DEFAULT_BACKOFF,
    warmEnvs: 5,
    clientLegMs: 50,
    horizonMs: 3_600_000,
  };
}

export function stormParams(inp: Inputs, o: StormOptions, which: StormCase): StormParams {
  const f = inp.figures;
  const fn = inp.functions;
  const params: StormParams = {
    clients: o.clients,
    seed: o.seed,
    backoff: o.backoff,
    dropSpreadMs: which === 'server-spread' ? o.spreadMs : 0,
    newConnectionsPerSecond: f.apigwNewConnectionsPerSecond,
    newConnectionBurst: f.apigwNewConnectionsBurst,
    lambda: {
      kind: 'aws',
      accountConcurrency: f.lambdaConcurrency,
      scalePer10s: f.lambdaScalingPer10s,
      warmEnvs: o.warmEnvs,
    },
    warmMs: {
      authorizer: Math.max(1, fn.authorizer.warmMs),
      connect: fn.connect.warmMs,
      disconnect: fn.disconnect.warmMs,
    },
    initMs: { authorizer: fn.authorizer.initMs, connect: fn.connect.initMs, disconnect: fn.disconnect.initMs },
    writeUnitsPerSecond: f.ddbNewTableWritesPerSecond,
    writeUnitsPerItem: 2 * Math.ceil(inp.itemBytes / f.ddbWriteUnitBytes),
    clientLegMs: o.clientLegMs,
    horizonMs: o.horizonMs,
  };
  if (which === 'client-spread') params.plannedReconnect = { ...DEFAULT_PLANNED_RECONNECT, windowMs: o.spreadMs };
  return params;
}
