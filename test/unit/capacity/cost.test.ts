import { expect } from 'chai';
import { defaultInputs, WORKLOADS, type Inputs } from '../../../scripts/capacity/inputs.ts';
import { billedMs, monthlyCost } from '../../../scripts/capacity/cost.ts';
import { meanConnectionMinutes, MONTH_MINUTES, traffic } from '../../../scripts/capacity/traffic.ts';
import { quotaReport } from '../../../scripts/capacity/quotas.ts';

/**
 * 1,000 users with one connection each, sessions of exactly 60 min, nothing sent: 1,000 × 43,800 / 60 = 730,000
 * connects a month. Each test switches on the one component it checks and computes the figure by hand.
 */
function base(): Inputs {
  const inp = defaultInputs(1000, {
    ...WORKLOADS.notifications,
    connectionsPerUser: 1,
    sessionMinutes: 60,
    sessionDistribution: 'fixed',
    messagesPerConnectionMinute: 0,
    pushesPerConnectionMinute: 0,
  });
  inp.coldStartShare = 0;
  inp.refreshEveryMinutes = 0;
  return inp;
}

const close = (actual: number, expected: number, what: string): void => {
  expect(actual, what).to.be.closeTo(expected, Math.abs(expected) * 1e-9 + 1e-12);
};

describe('capacity: monthly cost, hand-computed per component', () => {
  it('a month is 730 hours, and 1,000 one-hour sessions a user-hour make 730,000 connects', () => {
    expect(MONTH_MINUTES).to.equal(43_800);
    close(traffic(base()).connects, 730_000, 'connects');
  });

  it('API Gateway connection minutes: 1,000 connections × 43,800 min × $0.25/M = $10.95', () => {
    const c = monthlyCost(base());
    close(c.traffic.connectionMinutes, 43_800_000, 'minutes');
    close(c.apiGateway.connectionMinutesUsd, 10.95, 'usd');
  });

  it('API Gateway messages: one 100-byte message a minute and its echo = 87.6 M messages = $87.60', () => {
    const inp = base();
    inp.workload.messagesPerConnectionMinute = 1;
    inp.workload.messageBytes = 100;
    const c = monthlyCost(inp);
    close(c.traffic.meteredMessages, 87_600_000, 'metered');
    close(c.apiGateway.messagesUsd, 87.6, 'usd');
  });

  it('API Gateway messages are metered in 32 KB increments: a 40,000-byte message and its echo count 2 + 2', () => {
    const inp = base();
    inp.workload.messagesPerConnectionMinute = 1;
    inp.workload.messageBytes = 40_000;
    const c = monthlyCost(inp);
    close(c.traffic.meteredMessages, 4 * 43_800_000, 'metered');
    close(c.apiGateway.messagesUsd, 175.2, 'usd');
  });

  it('pushes count once per recipient connection', () => {
    const inp = base();
    inp.workload.pushesPerConnectionMinute = 0.1;
    inp.workload.pushFanout = 3;
    inp.workload.pushBytes = 1000;
    const c = monthlyCost(inp);
    // 4.38 M pushes × 3 frames, each under 32 KB with its envelope.
    close(c.traffic.meteredMessages, 13_140_000, 'metered');
    close(c.lambda.control.requests, 4_380_000, 'control invocations');
  });

  it('Lambda: the authorizer bills 1 ms per call at 256 MB arm64: 730,000 × (0.2 µ$ + 0.00025 GB-s × $0.0000133334)', () => {
    const c = monthlyCost(base());
    const a = c.lambda.authorizer;
    close(a.requests, 730_000, 'requests');
    close(a.gbSeconds, 182.5, 'GB-s');
    close(a.requestUsd, 0.146, 'request usd');
    close(a.durationUsd, 182.5 * 0.0000133334, 'duration usd');
    expect(billedMs(0.039)).to.equal(1);
    expect(billedMs(12)).to.equal(12);
    expect(billedMs(12.2)).to.equal(13);
  });

  it('Lambda: cold starts add their init time, and x86 uses its own rate', () => {
    const inp = base();
    inp.coldStartShare = 0.01;
    inp.functions.authorizer.initMs = 238.5;
    inp.architecture = 'x86_64';
    const a = monthlyCost(inp).lambda.authorizer;
    const gbs = 182.5 + 7300 * 0.2385 * 0.25;
    close(a.gbSeconds, gbs, 'GB-s');
    close(a.durationUsd, gbs * 0.0000166667, 'duration usd');
  });

  it('DynamoDB: a 700-byte item is 1 WRU, written again to sub-index, put then deleted: 4 WRU per connect', () => {
    const c = monthlyCost(base());
    close(c.traffic.writeUnits, 2_920_000, 'WRU');
    close(c.dynamodb.writeUsd, 1.825, 'write usd');
    // Revocation GetItem (1) + sub-index count query (0.5) per connect.
    close(c.traffic.readUnits, 1_095_000, 'RRU');
    close(c.dynamodb.readUsd, 0.136875, 'read usd');
  });

  it('DynamoDB: a 1,500-byte item doubles the writes; no per-user limit and no revocations drop the reads', () => {
    const inp = base();
    inp.itemBytes = 1500;
    inp.perUserLimit = false;
    inp.revocationTable = false;
    const c = monthlyCost(inp);
    close(c.traffic.writeUnits, 8 * 730_000, 'WRU');
    close(c.traffic.readUnits, 0, 'RRU');
  });

  it('CloudWatch: log bytes per invocation plus access logs at $0.50/GB, and 40 EMF metrics at $0.30', () => {
    const c = monthlyCost(base());
    const bytes = (1050 + 1050 + 1000) * 730_000 + 2 * 730_000 * 350;
    close(c.cloudwatch.logBytes, bytes, 'bytes');
    close(c.cloudwatch.logsUsd, (bytes / 1e9) * 0.5, 'logs usd');
    close(c.cloudwatch.metricsUsd, 12, 'metrics usd');
    close(c.logsShare, c.cloudwatch.logsUsd / c.totalUsd, 'logs share');
    close(c.authorizerShare, (c.lambda.authorizer.usd + (1050 * 730_000 * 0.5) / 1e9) / c.totalUsd, 'authorizer share');
  });

  it('the total is the sum of the components', () => {
    const inp = defaultInputs(50_000, WORKLOADS.chat);
    const c = monthlyCost(inp);
    close(c.totalUsd, c.apiGateway.usd + c.lambda.usd + c.dynamodb.usd + c.cloudwatch.usd, 'total');
  });

  it('mean connection length: sessions cut at the 2-hour maximum', () => {
    close(meanConnectionMinutes({ ...WORKLOADS.chat, sessionMinutes: 30 }, 120), 30 * (1 - Math.exp(-4)), 'exp');
    close(meanConnectionMinutes({ ...WORKLOADS.notifications, sessionMinutes: 480 }, 120), 120, 'fixed 8 h');
    close(meanConnectionMinutes({ ...WORKLOADS.notifications, sessionMinutes: 150 }, 120), 75, 'fixed 2.5 h');
  });

  it('GetUser calls only when the revocation check is on, less the cache hits', () => {
    const inp = base();
    expect(traffic(inp).getUserCalls).to.equal(0);
    inp.revocationCheck = true;
    inp.getUserCacheHitRate = 0.25;
    close(traffic(inp).getUserCalls, 730_000 * 0.75, 'GetUser');
  });
});

describe('capacity: quota headroom', () => {
  it('new connections/s at peak: 730,000 a month = 0.2778/s, ×2 peak, against 500/s', () => {
    const q = quotaReport(base());
    const conn = q.items.find((i) => i.name.startsWith('new connections'));
    close(conn?.demand ?? 0, (730_000 / (43_800 * 60)) * 2, 'demand');
    close(conn?.headroom ?? 0, 500 / ((730_000 / (43_800 * 60)) * 2), 'headroom');
    close(conn?.usersAtLimit ?? 0, 1000 * (conn?.headroom ?? 0), 'users at limit');
  });

  it('the first quota reached is the AWS quota with the least headroom, never a stack setting', () => {
    const inp = defaultInputs(100_000, WORKLOADS.chat);
    inp.stageRateLimit = 1;
    const q = quotaReport(inp);
    expect(q.first.kind).to.equal('quota');
    for (const i of q.items)
      if (i.kind === 'quota' && i.usersAtLimit !== undefined) expect(i.headroom).to.be.at.least(q.first.headroom);
  });

  it('GetUser appears only with the revocation check on', () => {
    const inp = base();
    expect(quotaReport(inp).items.some((i) => i.name.startsWith('GetUser'))).to.equal(false);
    inp.revocationCheck = true;
    const g = quotaReport(inp).items.find((i) => i.name.startsWith('GetUser'));
    close(g?.demand ?? 0, (730_000 / (43_800 * 60)) * 2, 'GetUser demand');
    expect(g?.limit).to.equal(120);
  });

  it('frame headroom: the echo of a 300-byte message with a 900-byte envelope against 32 KB', () => {
    const inp = defaultInputs(1000, WORKLOADS.chat);
    const f = quotaReport(inp).items.find((i) => i.name.includes('32 KB'));
    expect(f?.demand).to.equal(1200);
    close(f?.headroom ?? 0, 32768 / 1200, 'frame headroom');
  });
});
