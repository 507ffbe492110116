// What the Terraform is designed to create, independent of what it did create: which function each route
// reaches, and the exact IAM statements of each function's role (terraform/README.md, "Security properties").
// The wiring checks compare what moto holds after the apply against this.

/** Route key → function role (the key of the `function_names` output). */
export const ROUTE_FUNCTIONS: Readonly<Record<string, string>> = {
  $connect: 'connect',
  $disconnect: 'disconnect',
  $default: 'default',
  refresh: 'refresh',
};

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

export interface DesignContext {
  tableArn: string;
  /** `arn:aws:execute-api:<region>:<account>:<api id>/<stage>` */
  stageArn: string;
  /** `arn:aws:logs:<region>:<account>:log-group:<name>` of the function's own log group */
  logGroupArn: string;
  /** Customer managed key of both tables, when one is set. */
  tableKeyArn?: string;
  /** The revocations table, when revocation is on. */
  revocationsTableArn?: string;
  /** X-Ray active tracing on the functions (tracing_enabled). */
  tracing?: boolean;
}

/** The role's inline policies by name, or undefined for a function this design does not know. */
export function designedPolicies(fn: string, ctx: DesignContext): Record<string, PolicyStatement[]> | undefined {
  const logs: PolicyStatement[] = [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [`${ctx.logGroupArn}:*`],
    },
    // X-Ray takes no resource-level permissions: "*" is the only resource these actions accept.
    ...(ctx.tracing === true
      ? [
          {
            Sid: 'WriteTraces',
            Effect: 'Allow',
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            Resource: ['*'],
          },
        ]
      : []),
  ];
  // DynamoDB uses a customer table key as the calling role: readers decrypt, writers also generate data keys.
  const key = (write: boolean): PolicyStatement[] =>
    ctx.tableKeyArn === undefined
      ? []
      : [
          {
            Sid: 'UseTableKey',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:DescribeKey', ...(write ? ['kms:GenerateDataKey'] : [])],
            Resource: [ctx.tableKeyArn],
          },
        ];
  const manage = (...methods: string[]): string[] => methods.map((m) => `${ctx.stageArn}/${m}/@connections/*`);
  const allow = (Sid: string, Action: string[], Resource: string[]): PolicyStatement => ({
    Sid,
    Effect: 'Allow',
    Action,
    Resource,
  });
  const subIndex = `${ctx.tableArn}/index/sub-index`;
  const revocations = ctx.revocationsTableArn;
  const readRevocation =
    revocations === undefined ? [] : [allow('ReadRevocation', ['dynamodb:GetItem'], [revocations])];
  const withPermissions = (statements: PolicyStatement[]): Record<string, PolicyStatement[]> =>
    statements.length === 0 ? { logs } : { logs, permissions: statements };
  switch (fn) {
    case 'authorizer':
      // One GetItem on the revocations table per handshake, when revocation is on; nothing else.
      return withPermissions(revocations === undefined ? [] : [...readRevocation, ...key(false)]);
    case 'connect':
      return withPermissions([
        allow('StoreConnection', ['dynamodb:PutItem', 'dynamodb:DeleteItem'], [ctx.tableArn]),
        allow('CountUserConnections', ['dynamodb:Query'], [subIndex]),
        allow('CheckConnection', ['execute-api:ManageConnections'], manage('GET')),
        ...readRevocation,
        ...key(true),
      ]);
    case 'disconnect':
      return withPermissions([allow('RemoveConnection', ['dynamodb:DeleteItem'], [ctx.tableArn]), ...key(false)]);
    case 'default':
      return withPermissions([
        allow('ReadAndExpireConnection', ['dynamodb:GetItem', 'dynamodb:DeleteItem'], [ctx.tableArn]),
        allow('ReplyAndDisconnect', ['execute-api:ManageConnections'], manage('POST', 'DELETE')),
        ...key(false),
      ]);
    case 'refresh':
      return withPermissions([
        allow('ReadAndExtendConnection', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [ctx.tableArn]),
        allow('ReplyAndClose', ['execute-api:ManageConnections'], manage('POST', 'DELETE')),
        ...readRevocation,
        ...key(true),
      ]);
    case 'control':
      return withPermissions([
        allow('FindUserConnections', ['dynamodb:Query'], [subIndex]),
        allow('ReadAndRemoveConnections', ['dynamodb:GetItem', 'dynamodb:DeleteItem'], [ctx.tableArn]),
        allow('PushAndDisconnect', ['execute-api:ManageConnections'], manage('POST', 'DELETE')),
        ...(revocations === undefined ? [] : [allow('RecordRevocation', ['dynamodb:PutItem'], [revocations])]),
        ...key(revocations !== undefined),
      ]);
    default:
      return undefined;
  }
}

/** Functions that post to the management API: their environment names the stage's endpoint. */
export const MANAGEMENT_USERS: readonly string[] = ['connect', 'default', 'refresh', 'control'];
/** Functions that read the revocations table when revocation is on. */
export const REVOCATION_READERS: readonly string[] = ['authorizer', 'connect', 'refresh', 'control'];
/** Functions that verify tokens with the authorizer's verifier configuration. */
export const TOKEN_VERIFIERS: readonly string[] = ['authorizer', 'refresh'];

/** A policy document's statements in one comparable form: arrays sorted, single strings as arrays. */
export function normalizeStatements(document: unknown): PolicyStatement[] {
  const doc = document as { Statement?: unknown };
  const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(text) : v === undefined ? [] : [text(v)]).sort();
  return raw
    .map((s: Record<string, unknown>) => {
      const statement: PolicyStatement = {
        Effect: text(s.Effect),
        Action: list(s.Action),
        Resource: list(s.Resource),
      };
      if (s.Sid !== undefined) statement.Sid = text(s.Sid);
      for (const key of Object.keys(s)) {
        // Anything beyond these (Condition, NotAction, Principal...) is part of the comparison too.
        if (!['Sid', 'Effect', 'Action', 'Resource'].includes(key))
          (statement as unknown as Record<string, unknown>)[key] = s[key];
      }
      return statement;
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
