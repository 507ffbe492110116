// Headroom on each limit at the workload's peak (mean × peakFactor), and which one binds first. Pure.
import { FUNCTION_NAMES, type Inputs } from './inputs.ts';
import { MONTH_MINUTES, traffic, type Traffic } from './traffic.ts';
import { billedMs } from './cost.ts';

export interface Headroom {
  name: string;
  /** Demand at peak, in the limit's unit. */
  demand: number;
  limit: number;
  unit: string;
  /** limit / demand: 1 means at the limit, below 1 over it. Infinity when nothing is asked. */
  headroom: number;
  /** Users the limit allows with this workload (scales linearly); undefined for size limits. */
  usersAtLimit?: number;
  /** An AWS quota, or a setting of this stack (Terraform) that can be raised freely. */
  kind: 'quota' | 'setting';
}

export interface QuotaReport {
  items: Headroom[];
  /** The AWS rate quota with the least headroom (size limits do not grow with users; settings can be raised). */
  first: Headroom;
}

const perSecond = (monthly: number): number => monthly / (MONTH_MINUTES * 60);

function item(
  name: string,
  demand: number,
  limit: number,
  unit: string,
  users?: number,
  kind: Headroom['kind'] = 'quota',
): Headroom {
  const headroom = demand > 0 ? limit / demand : Number.POSITIVE_INFINITY;
  return users === undefined
    ? { name, demand, limit, unit, headroom, kind }
    : { name, demand, limit, unit, headroom, usersAtLimit: users * headroom, kind };
}

/** Peak Lambda concurrency by Little's law: arrival rate × time in the function, summed over functions. */
export function peakConcurrency(inp: Inputs, t: Traffic): number {
  let total = 0;
  for (const fn of FUNCTION_NAMES) {
    const p = inp.functions[fn];
    const extra = fn === 'control' ? inp.controlPerRecipientMs * inp.workload.pushFanout : 0;
    const ms = billedMs(p.warmMs + extra) + inp.coldStartShare * p.initMs;
    total += perSecond(t.invocations[fn]) * (ms / 1000);
  }
  return total * inp.peakFactor;
}

export function quotaReport(inp: Inputs): QuotaReport {
  const f = inp.figures;
  const w = inp.workload;
  const t = traffic(inp);
  const peak = inp.peakFactor;
  const users = inp.users;
  const rates: Headroom[] = [
    item('new connections/s (account)', perSecond(t.connects) * peak, f.apigwNewConnectionsPerSecond, '/s', users),
    item(
      'requests/s incl. @connections (account)',
      perSecond(t.inboundMessages + t.refreshes + t.callbacks + t.connects) * peak,
      f.apigwAccountRps,
      '/s',
      users,
    ),
    item(
      'route messages/s (stage throttle setting)',
      perSecond(t.inboundMessages + t.refreshes) * peak,
      inp.stageRateLimit,
      '/s',
      users,
      'setting',
    ),
    item('Lambda concurrency (account)', peakConcurrency(inp, t), f.lambdaConcurrency, 'executions', users),
    item('DynamoDB writes (table quota)', perSecond(t.writeUnits) * peak, f.ddbTableWriteQuota, 'WRU/s', users),
  ];
  if (inp.revocationCheck)
    rates.push(
      item('GetUser calls/s (Cognito UserRead)', perSecond(t.getUserCalls) * peak, f.cognitoUserReadRps, '/s', users),
    );
  const largestFrame = Math.max(
    w.messageBytes,
    w.messageBytes + inp.echoOverheadBytes,
    w.pushBytes + inp.pushOverheadBytes,
  );
  const sizes: Headroom[] = [
    item('largest frame vs 32 KB frame limit', largestFrame, f.apigwFrameBytes, 'bytes'),
    item('largest message vs 128 KB message limit', largestFrame, f.apigwMessageBytes, 'bytes'),
  ];
  const first = rates.filter((r) => r.kind === 'quota').reduce((a, b) => (b.headroom < a.headroom ? b : a));
  return { items: [...rates, ...sizes], first };
}
