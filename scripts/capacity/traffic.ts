// What a workload asks of the stack, per month: connections, connection minutes, invocations per function,
// messages each way and DynamoDB request units. Pure arithmetic on Inputs; prices are applied in cost.ts.
import type { FunctionName, Inputs, Workload } from './inputs.ts';

/** 730 hours: the month AWS's pricing examples use. */
export const MONTH_MINUTES = 730 * 60;

export interface Traffic {
  concurrentConnections: number;
  connectionMinutes: number;
  /** Mean length of one connection in minutes (sessions cut by the maximum duration). */
  meanConnectionMinutes: number;
  connects: number;
  inboundMessages: number;
  refreshes: number;
  pushes: number;
  /** Frames API Gateway sends to clients: echoes, refresh replies, pushed frames. */
  outboundMessages: number;
  /** Messages as API Gateway meters them (32 KB increments), both directions. */
  meteredMessages: number;
  /** @connections calls (PostToConnection) the functions make. */
  callbacks: number;
  invocations: Record<FunctionName, number>;
  writeUnits: number;
  readUnits: number;
  getUserCalls: number;
}

/** Mean connection length: a session longer than the maximum duration becomes several connections. */
export function meanConnectionMinutes(w: Workload, maxMinutes: number): number {
  if (w.sessionDistribution === 'fixed') return w.sessionMinutes / Math.ceil(w.sessionMinutes / maxMinutes);
  // Exponential sessions are memoryless: each cut-off piece is again min(Exp(mean), max).
  return w.sessionMinutes * (1 - Math.exp(-maxMinutes / w.sessionMinutes));
}

export function meteredCount(bytes: number, meterBytes: number): number {
  return Math.max(1, Math.ceil(bytes / meterBytes));
}

export function traffic(inp: Inputs): Traffic {
  const w = inp.workload;
  const f = inp.figures;
  const maxMinutes = f.apigwMaxConnectionSeconds / 60;
  const concurrentConnections = inp.users * w.connectionsPerUser;
  const connectionMinutes = concurrentConnections * MONTH_MINUTES;
  const meanMinutes = meanConnectionMinutes(w, maxMinutes);
  const connects = connectionMinutes / meanMinutes;
  const inboundMessages = connectionMinutes * w.messagesPerConnectionMinute;
  const refreshes = inp.refreshEveryMinutes > 0 ? connectionMinutes / inp.refreshEveryMinutes : 0;
  const pushes = connectionMinutes * w.pushesPerConnectionMinute;
  const pushFrames = pushes * w.pushFanout;
  const echoes = inboundMessages;
  const outboundMessages = echoes + refreshes + pushFrames;
  const meter = f.apigwMessageMeterBytes;
  const meteredMessages =
    inboundMessages * meteredCount(w.messageBytes, meter) +
    echoes * meteredCount(w.messageBytes + inp.echoOverheadBytes, meter) +
    // A refresh carries a ~1 KB token in and a short reply out.
    refreshes * 2 +
    pushFrames * meteredCount(w.pushBytes + inp.pushOverheadBytes, meter);

  const itemWrite = Math.ceil(inp.itemBytes / f.ddbWriteUnitBytes);
  const itemRead = Math.ceil(inp.itemBytes / f.ddbReadUnitBytes);
  // sub-index projects ALL attributes, so every item write or delete is written again to the index.
  const writeWithIndex = itemWrite * 2;
  // Index queries are eventually consistent: half a unit per 4 KB read.
  const indexQuery = (items: number): number =>
    0.5 * Math.max(1, Math.ceil((items * inp.itemBytes) / f.ddbReadUnitBytes));
  const revocationRead = inp.revocationTable ? 1 : 0;
  const writeUnits = connects * writeWithIndex * 2 /* put, then delete */ + refreshes * writeWithIndex;
  const readUnits =
    connects * (revocationRead + (inp.perUserLimit ? indexQuery(w.connectionsPerUser) : 0)) +
    inboundMessages * itemRead +
    refreshes * (itemRead + revocationRead) +
    pushes * indexQuery(w.pushFanout);
  const getUserCalls = inp.revocationCheck ? (connects + refreshes) * (1 - inp.getUserCacheHitRate) : 0;

  return {
    concurrentConnections,
    connectionMinutes,
    meanConnectionMinutes: meanMinutes,
    connects,
    inboundMessages,
    refreshes,
    pushes,
    outboundMessages,
    meteredMessages,
    callbacks: outboundMessages,
    invocations: {
      authorizer: connects,
      connect: connects,
      default: inboundMessages,
      disconnect: connects,
      refresh: refreshes,
      control: pushes,
    },
    writeUnits,
    readUnits,
    getUserCalls,
  };
}
