// Text and Markdown renderings of the model's reports. Pure: strings in, strings out.
import { FIGURES } from './figures.ts';
import { FUNCTION_NAMES, type Inputs } from './inputs.ts';
import type { CostReport } from './cost.ts';
import type { QuotaReport } from './quotas.ts';
import type { StormResult } from './storm.ts';
import type { BackoffOptions } from '../../web/src/backoff.ts';

export function usd(n: number): string {
  if (n >= 100) return `$${Math.round(n).toLocaleString('en-US')}`;
  if (n >= 1) return `$${n.toFixed(2)}`;
  return `$${n.toFixed(4)}`;
}

export function count(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return n >= 100 ? String(Math.round(n)) : String(Math.round(n * 100) / 100);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function costText(inp: Inputs, c: CostReport): string {
  const t = c.traffic;
  const rows: string[][] = [['component', 'usage / month', 'USD / month']];
  rows.push(['API Gateway connection minutes', count(t.connectionMinutes), usd(c.apiGateway.connectionMinutesUsd)]);
  rows.push(['API Gateway messages (32 KB metered)', count(t.meteredMessages), usd(c.apiGateway.messagesUsd)]);
  for (const fn of FUNCTION_NAMES) {
    const l = c.lambda[fn];
    rows.push([`Lambda ${fn} (req, GB-s)`, `${count(l.requests)}, ${count(l.gbSeconds)}`, usd(l.usd)]);
  }
  rows.push(['DynamoDB writes (WRU, incl. sub-index)', count(t.writeUnits), usd(c.dynamodb.writeUsd)]);
  rows.push(['DynamoDB reads (RRU)', count(t.readUnits), usd(c.dynamodb.readUsd)]);
  rows.push(['CloudWatch logs ingestion (GB)', count(c.cloudwatch.logBytes / 1e9), usd(c.cloudwatch.logsUsd)]);
  rows.push(['CloudWatch EMF metrics', String(inp.emfMetrics), usd(c.cloudwatch.metricsUsd)]);
  rows.push(['total', '', usd(c.totalUsd)]);
  return [
    `${inp.workload.name}: ${count(inp.users)} concurrent users, ${count(t.concurrentConnections)} connections, ` +
      `mean connection ${t.meanConnectionMinutes.toFixed(1)} min, ${inp.memoryMb} MB ${inp.architecture}`,
    table(rows),
    `authorizer share ${pct(c.authorizerShare)} (Lambda + its logs), logs share ${pct(c.logsShare)}, ` +
      `per user ${usd(c.totalUsd / inp.users)} a month`,
  ].join('\n');
}

export function quotaText(q: QuotaReport): string {
  const rows: string[][] = [['limit', 'peak demand', 'limit', 'headroom', 'users at limit']];
  for (const h of q.items)
    rows.push([
      h.name,
      `${count(h.demand)} ${h.unit}`,
      `${count(h.limit)} ${h.unit}`,
      Number.isFinite(h.headroom) ? `${h.headroom.toFixed(2)}x` : '∞',
      h.usersAtLimit === undefined ? '' : count(h.usersAtLimit),
    ]);
  return [table(rows), `first quota reached: ${q.first.name} (headroom ${q.first.headroom.toFixed(2)}x)`].join('\n');
}

export function sourcesText(): string {
  const rows: string[][] = [['figure', 'value', 'unit', 'read', 'source']];
  for (const [name, f] of Object.entries(FIGURES))
    rows.push([
      `${name}${'assumption' in f && f.assumption ? ' (assumption)' : ''}`,
      String(f.value),
      f.unit,
      f.read,
      f.source,
    ]);
  return table(rows);
}

export interface ScaleRow {
  workload: string;
  users: number;
  cost: CostReport;
  quotas: QuotaReport;
}

export function scaleMarkdown(rows: ScaleRow[]): string {
  const head =
    '| workload | users | connections | API GW | Lambda | DynamoDB | CloudWatch | total / month | per user | authorizer share | logs share | first quota reached (headroom at peak, users it allows) |\n' +
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|';
  const body = rows.map((r) => {
    const c = r.cost;
    const q = r.quotas.first;
    return `| ${r.workload} | ${count(r.users)} | ${count(c.traffic.concurrentConnections)} | ${usd(c.apiGateway.usd)} | ${usd(c.lambda.usd)} | ${usd(c.dynamodb.usd)} | ${usd(c.cloudwatch.usd)} | **${usd(c.totalUsd)}** | ${usd(c.totalUsd / r.users)} | ${pct(c.authorizerShare)} | ${pct(c.logsShare)} | ${q.name} (${q.headroom.toFixed(2)}x, ${count(q.usersAtLimit ?? 0)}) |`;
  });
  return [head, ...body].join('\n');
}

export interface StormRow {
  label: string;
  backoff: BackoffOptions;
  result: StormResult;
}

const secs = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

export function stormMarkdown(rows: StormRow[]): string {
  const head =
    '| case | back-off (base, cap, attempts) | connected | gave up | 99% connected after | reconnect gap p99 | handshakes | throttled by quota | peak accepted / s | throttled by Lambda | DynamoDB throttled | JWKS fetches (cold authorizers) | $disconnect lost | peak concurrency |\n' +
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const body = rows.map((row) => {
    const r = row.result;
    const b = row.backoff;
    return `| ${row.label} | ${b.baseMs / 1000} s, ${b.maxMs / 1000} s, ${b.maxAttempts} | ${count(r.connected)} | ${count(r.gaveUp)} | ${secs(r.t99Ms)} | ${secs(r.gapP99Ms)} | ${count(r.handshakes)} | ${count(r.throttledByQuota)} | ${count(r.peakAcceptedPerSecond)} | ${count(r.throttledByLambda)} | ${count(r.throttledByDynamoDb)} | ${count(r.jwksFetches)} | ${count(r.disconnectsLost)} | ${count(r.peakConcurrency)} |`;
  });
  return [head, ...body].join('\n');
}

export function sourcesMarkdown(): string {
  const rows = Object.entries(FIGURES).map(([name, f]) => {
    const flag = 'assumption' in f && f.assumption ? ' **assumption**' : '';
    const note = 'note' in f && f.note ? ` (${f.note})` : '';
    const quoted = 'quotedBy' in f && f.quotedBy ? `; rate quoted by ${f.quotedBy}` : '';
    return `| \`${name}\` | ${Number(f.value.toPrecision(6))} ${f.unit} | ${f.what}${note}${flag} | ${f.source}${quoted} | ${f.read} |`;
  });
  return ['| figure | value | what | source | read |', '|---|---|---|---|---|', ...rows].join('\n');
}
