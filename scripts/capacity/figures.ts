// Every AWS figure the capacity model uses: value, unit, where it was read and when. The CLI prints this table
// with --sources and docs/scale.md quotes it; a figure marked `assumption` was not found in a published page
// and must be checked against the account (every one can be overridden by a flag).

export interface Figure {
  value: number;
  unit: string;
  what: string;
  /** The page the value was read from. */
  source: string;
  /** ISO date the page was read. */
  read: string;
  /** Not found in a published page: a stated assumption. */
  assumption?: boolean;
  /**
   * AWS pricing pages render their rate tables client-side, so the rate was not in the page text read; this is
   * where the same rate was found quoted from that page.
   */
  quotedBy?: string;
  note?: string;
}

const READ = '2026-11-29';
const APIGW_PRICING = 'https://aws.amazon.com/api-gateway/pricing/';
const APIGW_WS_QUOTAS =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html';
const APIGW_QUOTAS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html';
const LAMBDA_PRICING = 'https://aws.amazon.com/lambda/pricing/';
const LAMBDA_QUOTAS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const LAMBDA_SCALING = 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html';
const DDB_PRICING = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const DDB_ON_DEMAND = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html';
const CW_PRICING = 'https://aws.amazon.com/cloudwatch/pricing/';
const COGNITO_QUOTAS = 'https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html';

export const FIGURES = {
  apigwConnectionMinuteUsd: {
    value: 0.25 / 1e6,
    unit: 'USD per connection-minute',
    what: 'API Gateway WebSocket connection minutes ($0.25 per million, US East)',
    source: APIGW_PRICING,
    read: READ,
    quotedBy:
      'https://repost.aws/questions/QU7IqgooGeQmqudOsmzTw5YQ/how-to-interpret-websocket-api-connection-minutes-pricing',
  },
  apigwMessageUsd: {
    value: 1.0 / 1e6,
    unit: 'USD per message',
    what: 'API Gateway WebSocket messages sent and received ($1.00 per million for the first billion, US East)',
    source: APIGW_PRICING,
    read: READ,
    quotedBy: 'public design notes citing the page: $1.00/M messages sent and received, in 32 KB increments',
    note: 'the first tier; above 1 billion messages a month the rate is lower, so large totals are slightly overstated',
  },
  apigwMessageMeterBytes: {
    value: 32 * 1024,
    unit: 'bytes',
    what: 'WebSocket messages are metered in 32 KB increments (a 33 KB message counts as 2)',
    source: APIGW_PRICING,
    read: READ,
    quotedBy: 'Infracost usage docs for aws_apigatewayv2_api (message_size_kb)',
  },
  apigwNewConnectionsPerSecond: {
    value: 500,
    unit: 'connections/s',
    what: 'new WebSocket connections per second per account and Region (across all WebSocket APIs), soft',
    source: APIGW_WS_QUOTAS,
    read: READ,
  },
  apigwNewConnectionsBurst: {
    value: 500,
    unit: 'connections',
    what: 'burst (bucket size) of the new-connection quota',
    source: APIGW_WS_QUOTAS,
    read: READ,
    assumption: true,
    note: 'not published; taken as one second of the rate',
  },
  apigwAccountRps: {
    value: 10_000,
    unit: 'requests/s',
    what: 'account throttle across HTTP, REST, WebSocket APIs and WebSocket callback (@connections) APIs',
    source: APIGW_QUOTAS,
    read: READ,
  },
  apigwAccountBurst: {
    value: 5_000,
    unit: 'requests',
    what: 'account throttle bucket size',
    source: APIGW_QUOTAS,
    read: READ,
  },
  apigwFrameBytes: {
    value: 32 * 1024,
    unit: 'bytes',
    what: 'WebSocket frame size (larger frames close the connection with 1009)',
    source: APIGW_WS_QUOTAS,
    read: READ,
  },
  apigwMessageBytes: {
    value: 128 * 1024,
    unit: 'bytes',
    what: 'WebSocket message payload size',
    source: APIGW_WS_QUOTAS,
    read: READ,
  },
  apigwMaxConnectionSeconds: {
    value: 7200,
    unit: 's',
    what: 'maximum connection duration',
    source: APIGW_WS_QUOTAS,
    read: READ,
  },
  apigwIdleTimeoutSeconds: {
    value: 600,
    unit: 's',
    what: 'idle connection timeout',
    source: APIGW_WS_QUOTAS,
    read: READ,
  },
  lambdaRequestUsd: {
    value: 0.2 / 1e6,
    unit: 'USD per request',
    what: 'Lambda requests ($0.20 per million)',
    source: LAMBDA_PRICING,
    read: READ,
    quotedBy: 'https://cloudchipr.com/blog/aws-lambda-pricing',
  },
  lambdaArmGbSecondUsd: {
    value: 0.0000133334,
    unit: 'USD per GB-second',
    what: 'Lambda duration, arm64, first 7.5 billion GB-s a month (US East)',
    source: LAMBDA_PRICING,
    read: READ,
    quotedBy: 'https://cloudchipr.com/blog/aws-lambda-pricing',
  },
  lambdaX86GbSecondUsd: {
    value: 0.0000166667,
    unit: 'USD per GB-second',
    what: 'Lambda duration, x86_64, first 6 billion GB-s a month (US East)',
    source: LAMBDA_PRICING,
    read: READ,
    quotedBy: 'https://cloudchipr.com/blog/aws-lambda-pricing',
  },
  lambdaConcurrency: {
    value: 1000,
    unit: 'concurrent executions',
    what: 'account concurrency per Region (new accounts start lower)',
    source: LAMBDA_QUOTAS,
    read: READ,
  },
  lambdaScalingPer10s: {
    value: 1000,
    unit: 'environments per 10 s per function',
    what: 'concurrency scaling rate: 1,000 new execution environments every 10 s per function, refilled continuously',
    source: LAMBDA_SCALING,
    read: READ,
  },
  ddbWriteUnitUsd: {
    value: 0.625 / 1e6,
    unit: 'USD per write request unit',
    what: 'DynamoDB on-demand writes ($0.625 per million WRU, US East, since the November 2024 reduction)',
    source: DDB_PRICING,
    read: READ,
    quotedBy: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
  },
  ddbReadUnitUsd: {
    value: 0.125 / 1e6,
    unit: 'USD per read request unit',
    what: 'DynamoDB on-demand reads ($0.125 per million RRU, US East)',
    source: DDB_PRICING,
    read: READ,
    quotedBy: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
  },
  ddbWriteUnitBytes: {
    value: 1024,
    unit: 'bytes',
    what: 'one WRU writes an item of up to 1 KB',
    source: DDB_PRICING,
    read: READ,
  },
  ddbReadUnitBytes: {
    value: 4096,
    unit: 'bytes',
    what: 'one RRU is a strongly consistent read of up to 4 KB (eventually consistent: half)',
    source: DDB_PRICING,
    read: READ,
  },
  ddbNewTableWritesPerSecond: {
    value: 4000,
    unit: 'WRU/s',
    what: 'writes a new on-demand table sustains at once (it then doubles its previous peak)',
    source: DDB_ON_DEMAND,
    read: READ,
  },
  ddbTableWriteQuota: {
    value: 40_000,
    unit: 'WRU/s',
    what: 'default table-level write throughput quota (on-demand)',
    source: DDB_ON_DEMAND,
    read: READ,
  },
  cwLogsIngestGbUsd: {
    value: 0.5,
    unit: 'USD per GB',
    what: 'CloudWatch Logs standard ingestion (US East)',
    source: CW_PRICING,
    read: READ,
    assumption: true,
    note: 'the rate was not in the text read nor found quoted; the long-standing US East list price',
  },
  cwMetricMonthUsd: {
    value: 0.3,
    unit: 'USD per metric-month',
    what: 'CloudWatch custom metrics, first 10,000 (EMF-extracted metrics are custom metrics)',
    source: CW_PRICING,
    read: READ,
    assumption: true,
    note: 'the rate was not in the text read nor found quoted; the long-standing US East list price',
  },
  cognitoUserReadRps: {
    value: 120,
    unit: 'requests/s',
    what: 'Cognito user pools UserRead category (GetUser) per account and Region',
    source: COGNITO_QUOTAS,
    read: READ,
    assumption: true,
    note: "the page's category table was not in the text read; check Service Quotas for the account",
  },
} as const satisfies Record<string, Figure>;

export type FigureName = keyof typeof FIGURES;
