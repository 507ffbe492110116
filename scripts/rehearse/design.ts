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
  /** Customer managed key of the connections table, when one is set. */
  tableKeyArn?: string;
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
  switch (fn) {
    case 'authorizer':
      return { logs };
    case 'connect':
      return {
        logs,
        permissions: [
          { Sid: 'StoreConnection', Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: [ctx.tableArn] },
          ...key(true),
        ],
      };
    case 'disconnect':
      return {
        logs,
        permissions: [
          { Sid: 'RemoveConnection', Effect: 'Allow', Action: ['dynamodb:DeleteItem'], Resource: [ctx.tableArn] },
          ...key(false),
        ],
      };
    case 'default':
      return {
        logs,
        permissions: [
          {
            Sid: 'ReadAndExpireConnection',
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:DeleteItem'],
            Resource: [ctx.tableArn],
          },
          {
            Sid: 'ReplyAndDisconnect',
            Effect: 'Allow',
            Action: ['execute-api:ManageConnections'],
            Resource: manage('POST', 'DELETE'),
          },
          ...key(false),
        ],
      };
    default:
      return undefined;
  }
}

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
