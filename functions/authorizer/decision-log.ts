// The authorizer's per-decision record: one line per handshake, in the team's record format, that is also the
// CloudWatch EMF record counting the decision (Allow, Deny, Unauthorized by reason), so metrics cost no extra
// line. It is on the hot path (it used to cost as much as the RSA check): every constant part is built once
// here, each call adds only the timestamp, the ids, the reason and a few short fields, and writes once.
// Metric records are never dropped by a log level; their `level` is raised to the filter level in front of them
// (ours and Lambda's) so Lambda's application log filter keeps them too.
import type { LogFields, LogLevel, RecordLevel } from '../shared/log.ts';

export type Decision = 'allow' | 'deny' | 'unauthorized';

export interface DecisionFields {
  /** Lambda's `context.awsRequestId`. */
  readonly requestId?: string | undefined;
  /** API Gateway's `requestContext.requestId`. */
  readonly apiRequestId?: string | undefined;
  readonly source?: string | undefined;
  readonly sub?: string | undefined;
  /** Extra safe details of a refusal (claim name, kid, error text), never the token. */
  readonly detail?: LogFields | undefined;
}

export type DecisionLog = (decision: Decision, reason: string, fields: DecisionFields) => void;

export interface DecisionLogOptions {
  readonly fn?: string;
  readonly namespace: string;
  /** Our level (LOG_LEVEL, else Lambda's). */
  readonly level: LogLevel;
  /** Lambda's application log level (AWS_LAMBDA_LOG_LEVEL), when set. */
  readonly platformLevel?: RecordLevel | undefined;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Receives the whole line including its newline; one call per record. */
  readonly write: (line: string) => void;
}

const RANK: Readonly<Record<RecordLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };
const METRIC: Readonly<Record<Decision, string>> = { allow: 'Allow', deny: 'Deny', unauthorized: 'Unauthorized' };
// A reason becomes a dimension value only when it is a reason code, so the dimension stays bounded.
const REASON_CODE = /^[a-z0-9_]{1,64}$/;
const MAX_ID = 128;
const MAX_SUB = 256;

/** JSON string literal; the common case (no quote, backslash or control character) skips JSON.stringify. */
function str(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /["\\\u0000-\u001f\u2028\u2029]/.test(value) ? JSON.stringify(value) : `"${value}"`;
}

export function createDecisionLog(options: DecisionLogOptions): DecisionLog {
  const fn = options.fn ?? 'authorizer';
  const { now, write } = options;
  const floor: RecordLevel =
    options.platformLevel !== undefined && RANK[options.platformLevel] > RANK[options.level]
      ? options.platformLevel
      : options.level;
  const levelOf = (wanted: RecordLevel): RecordLevel => (RANK[wanted] < RANK[floor] ? floor : wanted);
  const head = (level: RecordLevel): string => `","level":"${level}","fn":${JSON.stringify(fn)},"reason":`;
  const heads: Readonly<Record<Decision, string>> = {
    allow: head(levelOf('info')),
    deny: head(levelOf('info')),
    unauthorized: head(levelOf('info')),
  };
  const ns = JSON.stringify(options.namespace);
  const emf = (decision: Decision, byReason: boolean): string =>
    `,"_aws":{"Timestamp":` +
    `\u0000` +
    `,"CloudWatchMetrics":[{"Namespace":${ns},"Dimensions":${byReason ? '[["Function"],["Function","Reason"]]' : '[["Function"]]'},"Metrics":[{"Name":"${METRIC[decision]}","Unit":"Count"}]}]},"Function":${JSON.stringify(fn)}`;
  // Split at the timestamp placeholder: [before, after].
  const split = (s: string): readonly [string, string] => {
    const i = s.indexOf('\u0000');
    return [s.slice(0, i), s.slice(i + 1)];
  };
  const tails: Readonly<Record<Decision, readonly [string, string]>> = {
    allow: split(emf('allow', false)),
    deny: split(emf('deny', false)),
    unauthorized: split(emf('unauthorized', true)),
  };

  return (decision, reason, fields) => {
    const ms = now();
    let line = `{"timestamp":"${new Date(ms).toISOString()}${heads[decision]}${str(reason)}`;
    if (fields.requestId !== undefined) line += `,"requestId":${str(fields.requestId.slice(0, MAX_ID))}`;
    if (fields.apiRequestId !== undefined) line += `,"apiRequestId":${str(fields.apiRequestId.slice(0, MAX_ID))}`;
    line += `,"decision":"${decision}"`;
    if (fields.source !== undefined) line += `,"source":${str(fields.source)}`;
    if (fields.sub !== undefined) line += `,"sub":${str(fields.sub.slice(0, MAX_SUB))}`;
    const detail = fields.detail;
    if (detail !== undefined) {
      for (const key of Object.keys(detail)) {
        const value = detail[key];
        if (value === undefined || !/^[a-zA-Z]{1,32}$/.test(key) || key === 'decision' || key === 'reason') continue;
        line += `,"${key}":${typeof value === 'string' ? str(value.slice(0, 300)) : JSON.stringify(value)}`;
      }
    }
    const [before, after] = tails[decision];
    line += before + String(ms) + after;
    if (decision === 'unauthorized') line += `,"Reason":"${REASON_CODE.test(reason) ? reason : 'other'}"`;
    line += `,"${METRIC[decision]}":1}\n`;
    write(line);
  };
}
