// Single-line JSON log records and CloudWatch EMF metrics (docs/architecture.md, "Logs and metrics").
// Every record: {"timestamp","level","fn","reason","requestId","apiRequestId",...fields}, written with one
// `write` (never console.*: under Lambda's JSON log format the runtime would wrap it as the text of a record of
// its own). Callers pass only primitives they chose to log: never a token, never a raw event.
import { ConfigError, optionalString, type Env } from './env.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;
/** Receives one record without its newline. */
export type LogSink = (line: string) => void;

/** The plain logging call every module takes. */
export type Logger = (level: LogLevel, reason: string, fields?: LogFields) => void;

/** The bounded set of metric names (docs/architecture.md); a name outside it does not type-check. */
export type MetricName =
  | 'Allow'
  | 'Deny'
  | 'Unauthorized'
  | 'JwksFetchFailure'
  | 'Connect'
  | 'Disconnect'
  | 'Echo'
  | 'TokenExpired'
  | 'Refresh'
  | 'RefreshRejected'
  | 'Push'
  | 'GoneCleanup'
  | 'InternalError';

export type Metrics = Partial<Record<MetricName, number>>;

export interface MetricOptions {
  /** Adds the dimension set [Function, Reason] with the record's reason as `Reason` (e.g. `Unauthorized`). */
  readonly byReason?: boolean;
}

export interface RequestIds {
  /** Lambda's `context.awsRequestId`. */
  readonly requestId?: string | undefined;
  /** API Gateway's `requestContext.requestId`, the id a client can quote and the access log shows. */
  readonly apiRequestId?: string | undefined;
}

export interface FunctionLogger extends Logger {
  readonly fn: string;
  /** The lowest level written; lower records are skipped before any formatting. */
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  /** The same logger with both request ids (and optional `fields`) on every record. */
  forRequest(ids: RequestIds, fields?: LogFields): FunctionLogger;
  /**
   * One record that is also an EMF metric record: counts `metrics` with no extra line. Never dropped by a log
   * level: it is written whatever the level, and its `level` is raised to the function's and Lambda's filter
   * level when below them, so Lambda's application log filter keeps it too.
   */
  metric(level: LogLevel, reason: string, metrics: Metrics, fields?: LogFields, options?: MetricOptions): void;
}

export interface LoggerOptions {
  readonly sink?: LogSink;
  /** Default: LOG_LEVEL, else AWS_LAMBDA_LOG_LEVEL, else info (read leniently; see `loadLogConfig`). */
  readonly level?: LogLevel;
  /** Default: METRICS_NAMESPACE, else `WebSocketAuth`. */
  readonly namespace?: string;
  /** Lambda's own filter level (from AWS_LAMBDA_LOG_LEVEL), which metric records are raised to. */
  readonly platformLevel?: RecordLevel;
  /** Epoch milliseconds. */
  readonly now?: () => number;
}

export interface LogConfig {
  readonly level: LogLevel;
  readonly namespace: string;
  readonly platformLevel: RecordLevel | undefined;
}

/** Lambda also filters at `fatal`; only a metric record raised to Lambda's FATAL filter carries it. */
export type RecordLevel = LogLevel | 'fatal';

const RANK: Readonly<Record<RecordLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
// AWS_LAMBDA_LOG_LEVEL (application_log_level) values.
const LAMBDA_LEVELS: Readonly<Record<string, RecordLevel>> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
};

export const DEFAULT_NAMESPACE = 'WebSocketAuth';
// CloudWatch namespaces: 1 to 255 of these characters, and the AWS/ prefix is reserved for AWS services.
const NAMESPACE = /^[A-Za-z0-9.\-_/#: ]{1,255}$/;
// A reason becomes a dimension value only when it is a reason code; anything else is reported as `other`, so
// a bug can never turn the dimension into an unbounded one.
const REASON_CODE = /^[a-z0-9_]{1,64}$/;
// Keys a caller's fields may not overwrite.
const CORE_KEYS: ReadonlySet<string> = new Set(['timestamp', 'level', 'fn', 'reason', '_aws', 'Function', 'Reason']);
const MAX_ID_LENGTH = 128;

function lambdaLevel(env: Env): RecordLevel | undefined {
  const raw = optionalString(env, 'AWS_LAMBDA_LOG_LEVEL');
  return raw === undefined ? undefined : LAMBDA_LEVELS[raw.toUpperCase()];
}

/** Lambda's level as one of ours (TRACE reads as debug, FATAL as error). */
function fromLambda(level: RecordLevel | undefined): LogLevel | undefined {
  return level === 'fatal' ? 'error' : level;
}

/** LOG_LEVEL, else AWS_LAMBDA_LOG_LEVEL, else info; throws ConfigError naming a bad variable. */
export function loadLogConfig(env: Env): LogConfig {
  const raw = optionalString(env, 'LOG_LEVEL');
  let level: LogLevel | undefined;
  if (raw !== undefined) {
    level = LEVELS.find((l) => l === raw.toLowerCase());
    if (level === undefined) throw new ConfigError('LOG_LEVEL', `must be one of ${LEVELS.join(', ')}`);
  }
  const platformLevel = lambdaLevel(env);
  const namespace = optionalString(env, 'METRICS_NAMESPACE') ?? DEFAULT_NAMESPACE;
  if (!NAMESPACE.test(namespace) || namespace.toUpperCase().startsWith('AWS/')) {
    throw new ConfigError('METRICS_NAMESPACE', 'must be 1 to 255 of A-Z a-z 0-9 . - _ / # : and space, not AWS/...');
  }
  return { level: level ?? fromLambda(platformLevel) ?? 'info', namespace, platformLevel };
}

/** The same as `loadLogConfig`, falling back to defaults instead of throwing (a logger must always exist). */
function lenientLogConfig(env: Env): LogConfig {
  try {
    return loadLogConfig(env);
  } catch {
    return { level: 'info', namespace: DEFAULT_NAMESPACE, platformLevel: lambdaLevel(env) };
  }
}

const stdoutSink: LogSink = (line) => {
  process.stdout.write(line + '\n');
};

/** `,"key":value` for each field that is set and is not a core or bound key. */
function fieldsJson(fields: LogFields | undefined, taken: ReadonlySet<string>): string {
  if (fields === undefined) return '';
  let out = '';
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined || CORE_KEYS.has(key) || taken.has(key)) continue;
    out += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return out;
}

function cap(id: string | undefined): string | undefined {
  return typeof id === 'string' && id !== '' ? id.slice(0, MAX_ID_LENGTH) : undefined;
}

/** Builds a logger for one function; `sink` is injectable so tests capture lines. */
export function createLogger(fn: string, sinkOrOptions?: LogSink | LoggerOptions): FunctionLogger {
  const options: LoggerOptions = typeof sinkOrOptions === 'function' ? { sink: sinkOrOptions } : (sinkOrOptions ?? {});
  const defaults =
    options.level === undefined || options.namespace === undefined ? lenientLogConfig(process.env) : undefined;
  const sink = options.sink ?? stdoutSink;
  const level = options.level ?? defaults?.level ?? 'info';
  const namespace = options.namespace ?? defaults?.namespace ?? DEFAULT_NAMESPACE;
  const platformLevel = 'platformLevel' in options ? options.platformLevel : defaults?.platformLevel;
  const now = options.now ?? Date.now;
  const floor = RANK[level];
  // The highest filter in front of a record: ours and Lambda's.
  const metricFloor: RecordLevel = platformLevel !== undefined && RANK[platformLevel] > floor ? platformLevel : level;
  const fnJson = JSON.stringify(fn);
  const namespaceJson = JSON.stringify(namespace);

  const build = (ids: RequestIds, bound?: LogFields): FunctionLogger => {
    const requestId = cap(ids.requestId);
    const apiRequestId = cap(ids.apiRequestId);
    const taken = new Set<string>();
    let idsJson = '';
    if (requestId !== undefined) {
      taken.add('requestId');
      idsJson += `,"requestId":${JSON.stringify(requestId)}`;
    }
    if (apiRequestId !== undefined) {
      taken.add('apiRequestId');
      idsJson += `,"apiRequestId":${JSON.stringify(apiRequestId)}`;
    }
    // Bound fields are serialised once, here, not on every record.
    idsJson += fieldsJson(bound, taken);
    for (const key of Object.keys(bound ?? {})) if (bound?.[key] !== undefined) taken.add(key);

    const head = (ms: number, recordLevel: RecordLevel, reason: string): string =>
      `{"timestamp":"${new Date(ms).toISOString()}","level":"${recordLevel}","fn":${fnJson},"reason":${JSON.stringify(reason)}${idsJson}`;

    const log = ((recordLevel: LogLevel, reason: string, fields?: LogFields): void => {
      if (RANK[recordLevel] < floor) return;
      sink(`${head(now(), recordLevel, reason)}${fieldsJson(fields, taken)}}`);
    }) as FunctionLogger;

    const metric: FunctionLogger['metric'] = (recordLevel, reason, metrics, fields, metricOptions) => {
      const ms = now();
      const written: RecordLevel = RANK[recordLevel] < RANK[metricFloor] ? metricFloor : recordLevel;
      const metricTaken = new Set(taken);
      let names = '';
      let values = '';
      for (const name of Object.keys(metrics) as MetricName[]) {
        const value = metrics[name];
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        metricTaken.add(name);
        names += `${names === '' ? '' : ','}{"Name":"${name}","Unit":"Count"}`;
        values += `,"${name}":${value}`;
      }
      const byReason = metricOptions?.byReason === true;
      const dimensions = byReason ? '[["Function"],["Function","Reason"]]' : '[["Function"]]';
      const reasonDimension = byReason ? `,"Reason":"${REASON_CODE.test(reason) ? reason : 'other'}"` : '';
      const emf =
        names === ''
          ? ''
          : `,"_aws":{"Timestamp":${ms},"CloudWatchMetrics":[{"Namespace":${namespaceJson},"Dimensions":${dimensions},"Metrics":[${names}]}]},"Function":${fnJson}${reasonDimension}${values}`;
      // A raised record says so, so an operator filtering by level can tell a count from a problem.
      const raised = written === recordLevel ? '' : `,"raisedFrom":"${recordLevel}"`;
      metricTaken.add('raisedFrom');
      sink(`${head(ms, written, reason)}${raised}${fieldsJson(fields, metricTaken)}${emf}}`);
    };

    return Object.assign(log, {
      fn,
      level,
      enabled: (l: LogLevel) => RANK[l] >= floor,
      forRequest: (next: RequestIds, fields?: LogFields) => build(next, fields),
      metric,
    });
  };

  return build({});
}

/** A short, safe description of a caught value: its class and message, capped. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}
