// Monthly cost per component from the traffic and the price figures. Pure.
import { FUNCTION_NAMES, type FunctionName, type Inputs } from './inputs.ts';
import { traffic, type Traffic } from './traffic.ts';

export interface LambdaCost {
  requests: number;
  gbSeconds: number;
  requestUsd: number;
  durationUsd: number;
  usd: number;
}

export interface CostReport {
  traffic: Traffic;
  apiGateway: { connectionMinutesUsd: number; messagesUsd: number; usd: number };
  lambda: Record<FunctionName, LambdaCost> & { usd: number };
  dynamodb: { writeUsd: number; readUsd: number; usd: number };
  cloudwatch: { logBytes: number; logsUsd: number; metricsUsd: number; usd: number; authorizerLogsUsd: number };
  totalUsd: number;
  /** Authorizer Lambda plus its log ingestion, over the total. */
  authorizerShare: number;
  logsShare: number;
}

/** Billed ms of one warm invocation: Lambda rounds up to the next millisecond. */
export function billedMs(ms: number): number {
  return Math.max(1, Math.ceil(ms - 1e-9));
}

export function lambdaCost(inp: Inputs, fn: FunctionName, invocations: number, extraMs = 0): LambdaCost {
  const p = inp.functions[fn];
  const gb = inp.memoryMb / 1024;
  const cold = invocations * inp.coldStartShare;
  const gbSeconds = (invocations * billedMs(p.warmMs + extraMs) + cold * p.initMs) * (gb / 1000);
  const gbSecondUsd =
    inp.architecture === 'arm64' ? inp.figures.lambdaArmGbSecondUsd : inp.figures.lambdaX86GbSecondUsd;
  const requestUsd = invocations * inp.figures.lambdaRequestUsd;
  const durationUsd = gbSeconds * gbSecondUsd;
  return { requests: invocations, gbSeconds, requestUsd, durationUsd, usd: requestUsd + durationUsd };
}

export function logBytes(inp: Inputs, t: Traffic, fn: FunctionName): number {
  return t.invocations[fn] * (inp.functions[fn].logBytes + inp.platformLogBytes);
}

export function monthlyCost(inp: Inputs): CostReport {
  const f = inp.figures;
  const t = traffic(inp);
  const connectionMinutesUsd = t.connectionMinutes * f.apigwConnectionMinuteUsd;
  const messagesUsd = t.meteredMessages * f.apigwMessageUsd;

  const perFn = {} as Record<FunctionName, LambdaCost>;
  let lambdaUsd = 0;
  for (const fn of FUNCTION_NAMES) {
    const extra = fn === 'control' ? inp.controlPerRecipientMs * inp.workload.pushFanout : 0;
    perFn[fn] = lambdaCost(inp, fn, t.invocations[fn], extra);
    lambdaUsd += perFn[fn].usd;
  }

  const writeUsd = t.writeUnits * f.ddbWriteUnitUsd;
  const readUsd = t.readUnits * f.ddbReadUnitUsd;

  const accessLogRequests = inp.accessLogs ? t.connects * 2 + t.inboundMessages + t.refreshes : 0;
  let functionLogBytes = 0;
  for (const fn of FUNCTION_NAMES) functionLogBytes += logBytes(inp, t, fn);
  const totalLogBytes = functionLogBytes + accessLogRequests * inp.accessLogBytes;
  // CloudWatch bills ingestion per GB; decimal GB keeps the figure on the high side.
  const logsUsd = (totalLogBytes / 1e9) * f.cwLogsIngestGbUsd;
  const authorizerLogsUsd = (logBytes(inp, t, 'authorizer') / 1e9) * f.cwLogsIngestGbUsd;
  const metricsUsd = inp.emfMetrics * f.cwMetricMonthUsd;

  const apiUsd = connectionMinutesUsd + messagesUsd;
  const ddbUsd = writeUsd + readUsd;
  const cwUsd = logsUsd + metricsUsd;
  const totalUsd = apiUsd + lambdaUsd + ddbUsd + cwUsd;
  return {
    traffic: t,
    apiGateway: { connectionMinutesUsd, messagesUsd, usd: apiUsd },
    lambda: { ...perFn, usd: lambdaUsd },
    dynamodb: { writeUsd, readUsd, usd: ddbUsd },
    cloudwatch: { logBytes: totalLogBytes, logsUsd, metricsUsd, usd: cwUsd, authorizerLogsUsd },
    totalUsd,
    authorizerShare: totalUsd > 0 ? (perFn.authorizer.usd + authorizerLogsUsd) / totalUsd : 0,
    logsShare: totalUsd > 0 ? logsUsd / totalUsd : 0,
  };
}
