// The model's inputs: the workload presets, the per-function profiles measured in this repository, and the
// AWS figures (overridable). Pure data and one builder; the CLI maps flags onto it.
import { FIGURES, type FigureName } from './figures.ts';

export const FUNCTION_NAMES = ['authorizer', 'connect', 'default', 'disconnect', 'refresh', 'control'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface FunctionProfile {
  /** Warm invocation time in ms (billed rounded up to the next ms). */
  warmMs: number;
  /** Cold-start time in ms: runtime start, bundle load and, for the authorizer and refresh, the JWKS fetch. */
  initMs: number;
  /** Application log bytes per invocation (the per-decision line with its EMF block). */
  logBytes: number;
}

export interface Workload {
  name: string;
  description: string;
  connectionsPerUser: number;
  /** Mean length of a user's session in minutes; a session longer than the 2-hour maximum reconnects. */
  sessionMinutes: number;
  sessionDistribution: 'exponential' | 'fixed';
  /** Frames the client sends to $default per connection-minute (chat lines, keep-alive pings). */
  messagesPerConnectionMinute: number;
  messageBytes: number;
  /** Backend pushes (control `send`) started per connection-minute. */
  pushesPerConnectionMinute: number;
  /** Connections each push reaches. */
  pushFanout: number;
  pushBytes: number;
}

export const WORKLOADS: Record<'chat' | 'notifications', Workload> = {
  chat: {
    name: 'chat',
    description:
      'a chat app in the foreground: 1.5 connections per user (tabs, devices), sessions of 30 min on average ' +
      '(exponential), one 300-byte message every 2 minutes per connection, echoed by $default, and each message ' +
      'pushed to 5 connections (the room) through control',
    connectionsPerUser: 1.5,
    sessionMinutes: 30,
    sessionDistribution: 'exponential',
    messagesPerConnectionMinute: 0.5,
    messageBytes: 300,
    pushesPerConnectionMinute: 0.5,
    pushFanout: 5,
    pushBytes: 400,
  },
  notifications: {
    name: 'notifications',
    description:
      'an always-on notification channel: 2 connections per user (phone, laptop), sessions of 8 h (fixed, so ' +
      'every connection is cut at 2 h and reconnects), a keep-alive ping every 5 min against the 10-min idle ' +
      'timeout, and one 1 KB notification per user every 10 min, pushed to both connections',
    connectionsPerUser: 2,
    sessionMinutes: 480,
    sessionDistribution: 'fixed',
    messagesPerConnectionMinute: 0.2,
    messageBytes: 40,
    pushesPerConnectionMinute: 0.05,
    pushFanout: 2,
    pushBytes: 1024,
  },
};

/**
 * Per-function profiles. The authorizer's warm time is `make bench` (39 µs per verification, Node 20) billed at
 * the 1 ms minimum; load times are `make bench`'s bundle loads; the rest are assumptions (single-digit-ms
 * DynamoDB and management API calls, a 120 ms runtime start, an 80 ms JWKS fetch), all overridable.
 */
export const MEASURED = {
  authorizerVerifyUs: 39.0,
  bundleLoadMs: { authorizer: 38.5, connect: 57.6, default: 52.9, disconnect: 60.3 },
  runtimeStartMs: 120,
  jwksFetchMs: 80,
  localStackConnectionsPerSecond: 265.1,
} as const;

const init = (loadMs: number, jwks: boolean): number =>
  MEASURED.runtimeStartMs + loadMs + (jwks ? MEASURED.jwksFetchMs : 0);

export const DEFAULT_FUNCTIONS: Record<FunctionName, FunctionProfile> = {
  authorizer: {
    warmMs: MEASURED.authorizerVerifyUs / 1000,
    initMs: init(MEASURED.bundleLoadMs.authorizer, true),
    logBytes: 450,
  },
  connect: { warmMs: 12, initMs: init(MEASURED.bundleLoadMs.connect, false), logBytes: 450 },
  default: { warmMs: 20, initMs: init(MEASURED.bundleLoadMs.default, false), logBytes: 400 },
  disconnect: { warmMs: 8, initMs: init(MEASURED.bundleLoadMs.disconnect, false), logBytes: 400 },
  refresh: { warmMs: 25, initMs: init(MEASURED.bundleLoadMs.connect, true), logBytes: 450 },
  control: { warmMs: 20, initMs: init(MEASURED.bundleLoadMs.default, false), logBytes: 450 },
};

export interface Inputs {
  users: number;
  workload: Workload;
  memoryMb: number;
  architecture: 'arm64' | 'x86_64';
  functions: Record<FunctionName, FunctionProfile>;
  /** Extra ms a control push spends per recipient (PostToConnection calls). */
  controlPerRecipientMs: number;
  /** Share of invocations that start cold. */
  coldStartShare: number;
  /** Bytes of one connection item (with claims and stored headers). */
  itemBytes: number;
  /** Bytes the echo adds around the message (the connection item and the envelope). */
  echoOverheadBytes: number;
  pushOverheadBytes: number;
  /** MAX_CONNECTIONS_PER_USER > 0 makes $connect count the user's connections on sub-index. */
  perUserLimit: boolean;
  revocationTable: boolean;
  /** COGNITO_REVOCATION_CHECK=on: GetUser at $connect and at refresh. */
  revocationCheck: boolean;
  getUserCacheHitRate: number;
  /** Refresh in place (issue 8): a refresh every this many minutes while connected. 0 = off. */
  refreshEveryMinutes: number;
  platformLogBytes: number;
  accessLogBytes: number;
  accessLogs: boolean;
  emfMetrics: number;
  /** Peak over mean traffic, for the quota headroom. */
  peakFactor: number;
  /** The stage's route throttling (Terraform throttling_rate_limit default). */
  stageRateLimit: number;
  figures: Record<FigureName, number>;
}

export function figureValues(): Record<FigureName, number> {
  return Object.fromEntries(Object.entries(FIGURES).map(([k, f]) => [k, f.value])) as Record<FigureName, number>;
}

export function defaultInputs(users: number, workload: Workload): Inputs {
  return {
    users,
    workload,
    memoryMb: 256,
    architecture: 'arm64',
    functions: structuredClone(DEFAULT_FUNCTIONS),
    controlPerRecipientMs: 3,
    coldStartShare: 0.005,
    itemBytes: 700,
    echoOverheadBytes: 900,
    pushOverheadBytes: 60,
    perUserLimit: true,
    revocationTable: true,
    revocationCheck: false,
    getUserCacheHitRate: 0,
    refreshEveryMinutes: 55,
    platformLogBytes: 600,
    accessLogBytes: 350,
    accessLogs: true,
    emfMetrics: 40,
    peakFactor: 2,
    stageRateLimit: 1000,
    figures: figureValues(),
  };
}
