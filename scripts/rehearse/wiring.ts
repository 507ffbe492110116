// After an apply, reads what moto holds through the AWS SDK and compares it with the design: routes reach the
// right functions, the authorizer is a REQUEST authorizer on the right function with the right identity sources,
// every function's environment names the created pool, client and table, the table has its keys, index and TTL,
// IAM is exactly the designed policies, and every Lambda permission is limited by a source ARN.
import {
  ApiGatewayV2Client,
  GetApiCommand,
  GetAuthorizerCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { Checks } from './checks.ts';
import {
  MANAGEMENT_USERS,
  REVOCATION_READERS,
  ROUTE_FUNCTIONS,
  TOKEN_VERIFIERS,
  designedPolicies,
  normalizeStatements,
  type DesignContext,
} from './design.ts';

export interface AwsClients {
  region: string;
  accountId: string;
  apigw: ApiGatewayV2Client;
  lambda: LambdaClient;
  iam: IAMClient;
  dynamodb: DynamoDBClient;
  cognito: CognitoIdentityProviderClient;
  events: EventBridgeClient;
}

const IDENTITY_SOURCE_OF: Record<string, (o: { header: string; query: string }) => string> = {
  header: (o) => `route.request.header.${o.header}`,
  query: (o) => `route.request.querystring.${o.query}`,
  protocol: () => 'route.request.header.Sec-WebSocket-Protocol',
};

/** API Gateway can only require a token source when there is exactly one (terraform/README.md). */
export function designedIdentitySources(tokenSources: string[], header: string, query: string): string[] {
  if (tokenSources.length !== 1) return [];
  const of = IDENTITY_SOURCE_OF[tokenSources[0] ?? ''];
  return of ? [of({ header, query })] : [];
}

export function lambdaInvokeUri(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

/** The function name inside an integration or authorizer URI, or undefined. */
export function functionNameOfUri(uri: string | undefined): string | undefined {
  return /:function:([^/:]+)(?::[^/]+)?\/invocations$/.exec(uri ?? '')?.[1];
}

function str(outputs: Record<string, unknown>, key: string): string {
  const v = outputs[key];
  if (typeof v !== 'string') throw new Error(`terraform output ${key} is missing or not a string`);
  return v;
}

function strList(outputs: Record<string, unknown>, key: string): string[] {
  const v = outputs[key];
  if (!Array.isArray(v)) throw new Error(`terraform output ${key} is missing or not a list`);
  return v.map(String);
}

function strMap(outputs: Record<string, unknown>, key: string): Record<string, string> {
  const v = outputs[key];
  if (typeof v !== 'object' || v === null) throw new Error(`terraform output ${key} is missing or not a map`);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

function functionArn(c: AwsClients, name: string): string {
  return `arn:aws:lambda:${c.region}:${c.accountId}:function:${name}`;
}

export function executionArn(c: { region: string; accountId: string }, apiId: string): string {
  return `arn:aws:execute-api:${c.region}:${c.accountId}:${apiId}`;
}

/** The role's inline policies against the design, and no managed policy attached. */
async function checkRolePolicies(
  c: AwsClients,
  checks: Checks,
  fn: string,
  functionName: string,
  roleArn: string,
  context: Omit<DesignContext, 'logGroupArn'>,
): Promise<void> {
  const roleName = roleArn.split('/').pop() ?? '';
  const design = designedPolicies(fn, {
    ...context,
    logGroupArn: `arn:aws:logs:${c.region}:${c.accountId}:log-group:/aws/lambda/${functionName}`,
  });
  if (!checks.check(`${fn}: IAM design known`, design !== undefined, 'no designed policy for this function')) return;
  const names = (await c.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  checks.equal(`${fn}: role ${roleName} inline policy names`, [...names].sort(), Object.keys(design ?? {}).sort());
  for (const name of names) {
    const got = await c.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    const document = JSON.parse(decodeURIComponent(got.PolicyDocument ?? '{}')) as unknown;
    checks.equal(
      `${fn}: role ${roleName} policy ${name}`,
      normalizeStatements(document),
      normalizeStatements({ Statement: design?.[name] ?? [] }),
    );
  }
  const attached =
    (await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
  checks.equal(
    `${fn}: role ${roleName} has no managed policies`,
    attached.map((p) => p.PolicyArn),
    [],
  );
}

/** One expected statement of a function's resource policy: who may invoke it, limited to which source. */
export interface ExpectedGrant {
  principal: string;
  sourceArn?: string;
}

/** A resource-policy statement as a grant: `Service` or `AWS` principal, and the `AWS:SourceArn` condition. */
export function grantOf(statement: Record<string, unknown>): ExpectedGrant & { action: unknown } {
  const p = statement.Principal as { Service?: unknown; AWS?: unknown } | string | undefined;
  const named = typeof p === 'string' ? p : (p?.Service ?? p?.AWS);
  const principal = typeof named === 'string' ? named : JSON.stringify(named ?? '');
  const source = (statement.Condition as { ArnLike?: Record<string, unknown> } | undefined)?.ArnLike?.['AWS:SourceArn'];
  return { principal, ...(typeof source === 'string' ? { sourceArn: source } : {}), action: statement.Action };
}

/**
 * The function's resource policy holds exactly the expected grants: every service grant (API Gateway,
 * EventBridge) limited by a source ARN, IAM principals (control invokers) as given.
 */
async function checkPermissions(
  c: AwsClients,
  checks: Checks,
  fn: string,
  functionName: string,
  expected: ExpectedGrant[],
): Promise<void> {
  const policy = await c.lambda.send(new GetPolicyCommand({ FunctionName: functionName }));
  const doc = JSON.parse(policy.Policy ?? '{}') as { Statement?: Array<Record<string, unknown>> };
  const grants = (doc.Statement ?? []).map(grantOf);
  for (const g of grants) {
    checks.equal(`${fn}: permission for ${g.principal} action`, g.action, 'lambda:InvokeFunction');
    if (g.principal.endsWith('.amazonaws.com')) {
      checks.check(
        `${fn}: permission for ${g.principal} has a source ARN`,
        (g.sourceArn ?? '') !== '',
        'no AWS:SourceArn condition',
      );
    }
  }
  const key = (g: ExpectedGrant): string => `${g.principal} ${g.sourceArn ?? '(no source)'}`;
  checks.equal(`${fn}: permissions`, grants.map(key).sort(), expected.map(key).sort());
}

async function hasNoPolicy(c: AwsClients, functionName: string): Promise<boolean> {
  try {
    const policy = await c.lambda.send(new GetPolicyCommand({ FunctionName: functionName }));
    return ((JSON.parse(policy.Policy ?? '{}') as { Statement?: unknown[] }).Statement ?? []).length === 0;
  } catch (err) {
    return (err as { name?: string }).name === 'ResourceNotFoundException';
  }
}

async function environmentOf(
  c: AwsClients,
  functionName: string,
): Promise<{ env: Record<string, string>; role: string }> {
  const conf = await c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return { env: conf.Environment?.Variables ?? {}, role: conf.Role ?? '' };
}

/** The REQUEST authorizer: type, identity sources, URI of the authorizer function. Answers its function name. */
async function checkAuthorizer(
  c: AwsClients,
  checks: Checks,
  apiId: string,
  authorizerId: string,
  identitySources: string[],
  authorizerFunction: string | undefined,
): Promise<string | undefined> {
  const authorizer = await c.apigw.send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: authorizerId }));
  checks.equal('authorizer type', authorizer.AuthorizerType, 'REQUEST');
  checks.equal('authorizer identity sources', authorizer.IdentitySource ?? [], identitySources);
  const name = functionNameOfUri(authorizer.AuthorizerUri);
  if (authorizerFunction !== undefined) {
    checks.equal(
      'authorizer URI',
      authorizer.AuthorizerUri,
      lambdaInvokeUri(c.region, functionArn(c, authorizerFunction)),
    );
  } else {
    checks.check('authorizer URI names a Lambda function', name !== undefined, String(authorizer.AuthorizerUri));
  }
  return name;
}

/** The authorizer function's environment names the pool and clients. */
function checkAuthorizerEnv(
  checks: Checks,
  fn: string,
  env: Record<string, string>,
  poolId: string,
  clientIds: string[],
  tokenSources: string[],
): void {
  checks.equal(`${fn}: USER_POOL_ID`, env.USER_POOL_ID, poolId);
  checks.equal(`${fn}: CLIENT_IDS`, env.CLIENT_IDS, clientIds.join(','));
  checks.equal(`${fn}: TOKEN_SOURCES`, env.TOKEN_SOURCES, tokenSources.join(','));
}

export interface RootExpectations {
  deletionProtection: boolean;
  kmsKeyArn?: string;
  controlInvokers?: string[];
  controlEventOps?: string[];
  tracing?: boolean;
  /** Reserved concurrency by function role, when set. */
  reservedConcurrency?: Record<string, number>;
}

/** Every wiring check of the root stack. */
export async function checkRootWiring(
  c: AwsClients,
  outputs: Record<string, unknown>,
  expect: RootExpectations,
  checks: Checks,
): Promise<void> {
  const apiId = str(outputs, 'api_id');
  const stage = str(outputs, 'stage_name');
  const functions = strMap(outputs, 'function_names');
  const tableName = str(outputs, 'table_name');
  const poolId = str(outputs, 'user_pool_id');
  const clientIds = strList(outputs, 'client_ids');
  const tokenSources = strList(outputs, 'token_sources');
  const execArn = executionArn(c, apiId);
  const stageArn = `${execArn}/${stage}`;

  const api = await c.apigw.send(new GetApiCommand({ ApiId: apiId }));
  checks.equal('api protocol', api.ProtocolType, 'WEBSOCKET');
  checks.equal('api route selection', api.RouteSelectionExpression, '$request.body.action');

  // Routes and integrations.
  const routes = (await c.apigw.send(new GetRoutesCommand({ ApiId: apiId }))).Items ?? [];
  const integrations = (await c.apigw.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items ?? [];
  const routeKeysByFunction: Record<string, string[]> = {};
  const expectedKeys = Object.entries(ROUTE_FUNCTIONS)
    .filter(([, fn]) => functions[fn] !== undefined)
    .map(([k]) => k);
  checks.equal('route keys', routes.map((r) => r.RouteKey).sort(), [...expectedKeys].sort());
  for (const route of routes) {
    const key = route.RouteKey ?? '';
    const fn = ROUTE_FUNCTIONS[key];
    if (
      !checks.check(
        `route ${key}: designed`,
        fn !== undefined && functions[fn] !== undefined,
        'route not in the design',
      )
    )
      continue;
    (routeKeysByFunction[fn as string] ??= []).push(key);
    const integrationId = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
    const integration = integrations.find((i) => i.IntegrationId === integrationId);
    if (!checks.check(`route ${key}: target integration exists`, integration !== undefined, String(route.Target)))
      continue;
    checks.equal(`route ${key}: integration type`, integration?.IntegrationType, 'AWS_PROXY');
    checks.equal(`route ${key}: integration method`, integration?.IntegrationMethod, 'POST');
    checks.equal(
      `route ${key}: integration URI`,
      integration?.IntegrationUri,
      lambdaInvokeUri(c.region, functionArn(c, functions[fn as string] as string)),
    );
    if (key === '$connect') {
      checks.equal(
        'route $connect: authorization',
        [route.AuthorizationType, route.AuthorizerId],
        ['CUSTOM', str(outputs, 'authorizer_id')],
      );
    } else {
      checks.equal(`route ${key}: authorization`, route.AuthorizationType, 'NONE');
    }
  }

  // Authorizer.
  const identitySources = designedIdentitySources(
    tokenSources,
    str(outputs, 'token_header'),
    str(outputs, 'token_query_param'),
  );
  checks.equal('identity_sources output', strList(outputs, 'identity_sources'), identitySources);
  await checkAuthorizer(c, checks, apiId, str(outputs, 'authorizer_id'), identitySources, functions.authorizer);

  // Stage.
  const stageInfo = await c.apigw.send(new GetStageCommand({ ApiId: apiId, StageName: stage }));
  checks.equal('stage auto deploy', stageInfo.AutoDeploy, true);
  const throttling = stageInfo.DefaultRouteSettings;
  checks.check(
    'stage throttling set',
    (throttling?.ThrottlingBurstLimit ?? 0) > 0 && (throttling?.ThrottlingRateLimit ?? 0) > 0,
    JSON.stringify(throttling),
  );
  checks.equal('stage data trace off', throttling?.DataTraceEnabled ?? false, false);

  // Table.
  const table = (await c.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const tableArn = table?.TableArn ?? '';
  checks.equal('table key', table?.KeySchema, [{ AttributeName: 'connectionId', KeyType: 'HASH' }]);
  const subIndex = table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'sub-index');
  checks.equal('table sub-index keys', subIndex?.KeySchema, [
    { AttributeName: 'sub', KeyType: 'HASH' },
    { AttributeName: 'connectedAt', KeyType: 'RANGE' },
  ]);
  checks.equal('table sub-index projection', subIndex?.Projection?.ProjectionType, 'ALL');
  checks.equal('table billing', table?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
  checks.equal('table deletion protection', table?.DeletionProtectionEnabled ?? false, expect.deletionProtection);
  checks.equal('table encryption', table?.SSEDescription?.Status, 'ENABLED');
  if (expect.kmsKeyArn !== undefined)
    checks.equal('table customer key', table?.SSEDescription?.KMSMasterKeyArn, expect.kmsKeyArn);
  const ttl = (await c.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription;
  checks.equal('table TTL', [ttl?.TimeToLiveStatus, ttl?.AttributeName], ['ENABLED', 'ttl']);
  const backups = await c.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
  checks.equal(
    'table point-in-time recovery',
    backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
    'ENABLED',
  );

  // Revocations table (revocation_enabled): key sub, TTL, PITR, encryption, deletion protection like the other.
  const revocationsName =
    typeof outputs.revocations_table_name === 'string' ? outputs.revocations_table_name : undefined;
  let revocationsTableArn: string | undefined;
  if (revocationsName !== undefined) {
    const rt = (await c.dynamodb.send(new DescribeTableCommand({ TableName: revocationsName }))).Table;
    revocationsTableArn = rt?.TableArn;
    checks.equal('revocations table key', rt?.KeySchema, [{ AttributeName: 'sub', KeyType: 'HASH' }]);
    checks.equal(
      'revocations table deletion protection',
      rt?.DeletionProtectionEnabled ?? false,
      expect.deletionProtection,
    );
    checks.equal('revocations table encryption', rt?.SSEDescription?.Status, 'ENABLED');
    const rttl = (await c.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: revocationsName })))
      .TimeToLiveDescription;
    checks.equal('revocations table TTL', [rttl?.TimeToLiveStatus, rttl?.AttributeName], ['ENABLED', 'ttl']);
  }

  // Control: who may invoke it (resource policy), and the optional EventBridge rule.
  const busName = typeof outputs.control_event_bus_name === 'string' ? outputs.control_event_bus_name : undefined;
  const ruleArn =
    busName === undefined ? undefined : `arn:aws:events:${c.region}:${c.accountId}:rule/${busName}/${busName}`;
  if (busName !== undefined && functions.control !== undefined) {
    const rule = await c.events.send(new DescribeRuleCommand({ Name: busName, EventBusName: busName }));
    checks.equal('control rule ARN', rule.Arn, ruleArn);
    const pattern = JSON.parse(rule.EventPattern ?? '{}') as { detail?: { op?: unknown } };
    checks.equal(
      'control rule lets through only control_event_ops',
      pattern.detail?.op,
      expect.controlEventOps ?? ['send'],
    );
    const targets =
      (await c.events.send(new ListTargetsByRuleCommand({ Rule: busName, EventBusName: busName }))).Targets ?? [];
    checks.equal(
      'control rule target',
      targets.map((t) => [t.Arn, t.InputPath]),
      [[functionArn(c, functions.control), '$.detail']],
    );
  }

  // Functions: environment, role, IAM, permissions.
  const roles = new Set<string>();
  for (const [fn, functionName] of Object.entries(functions)) {
    const { env, role } = await environmentOf(c, functionName);
    checks.check(`${fn}: own role`, role !== '' && !roles.has(role), `role ${role} shared or missing`);
    roles.add(role);
    if (fn === 'authorizer') checkAuthorizerEnv(checks, fn, env, poolId, clientIds, tokenSources);
    else if (TOKEN_VERIFIERS.includes(fn)) {
      checks.equal(`${fn}: USER_POOL_ID`, env.USER_POOL_ID, poolId);
      checks.equal(`${fn}: CLIENT_IDS`, env.CLIENT_IDS, clientIds.join(','));
    }
    if (fn !== 'authorizer') checks.equal(`${fn}: CONNECTIONS_TABLE`, env.CONNECTIONS_TABLE, tableName);
    if (MANAGEMENT_USERS.includes(fn)) {
      checks.equal(
        `${fn}: AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI`,
        env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI,
        str(outputs, 'management_endpoint'),
      );
    }
    if (REVOCATION_READERS.includes(fn))
      checks.equal(`${fn}: REVOCATIONS_TABLE`, env.REVOCATIONS_TABLE, revocationsName);
    if (fn === 'connect' && outputs.max_connections_per_user !== undefined) {
      checks.equal(
        'connect: MAX_CONNECTIONS_PER_USER',
        env.MAX_CONNECTIONS_PER_USER,
        JSON.stringify(outputs.max_connections_per_user),
      );
    }
    const reserved = expect.reservedConcurrency?.[fn];
    if (reserved !== undefined) {
      const concurrency = await c.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
      checks.equal(`${fn}: reserved concurrency`, concurrency.ReservedConcurrentExecutions, reserved);
    }
    await checkRolePolicies(c, checks, fn, functionName, role, {
      tableArn,
      stageArn,
      ...(expect.kmsKeyArn === undefined ? {} : { tableKeyArn: expect.kmsKeyArn }),
      ...(revocationsTableArn === undefined ? {} : { revocationsTableArn }),
      tracing: expect.tracing === true,
    });
    const grants: ExpectedGrant[] =
      fn === 'authorizer'
        ? [
            {
              principal: 'apigateway.amazonaws.com',
              sourceArn: `${execArn}/authorizers/${str(outputs, 'authorizer_id')}`,
            },
          ]
        : (routeKeysByFunction[fn] ?? []).map((key) => ({
            principal: 'apigateway.amazonaws.com',
            sourceArn: `${stageArn}/${key}`,
          }));
    if (fn === 'control') {
      for (const invoker of expect.controlInvokers ?? []) grants.push({ principal: invoker });
      if (ruleArn !== undefined) grants.push({ principal: 'events.amazonaws.com', sourceArn: ruleArn });
    }
    if (grants.length > 0) await checkPermissions(c, checks, fn, functionName, grants);
    else checks.check(`${fn}: no resource policy`, await hasNoPolicy(c, functionName), 'a policy exists');
  }

  // The app client: public (no secret), code flow only.
  const client = (
    await c.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientIds[0] }))
  ).UserPoolClient;
  checks.equal('app client has no secret', client?.ClientSecret ?? null, null);
  checks.equal('app client OAuth flows', client?.AllowedOAuthFlows, ['code']);
}

/** Wiring of examples/authorizer-only on an API, pool and client made by the rehearsal. */
export async function checkExampleWiring(
  c: AwsClients,
  outputs: Record<string, unknown>,
  given: { apiId: string; poolId: string; clientIds: string[]; tokenSources: string[] },
  checks: Checks,
): Promise<void> {
  const authorizerId = str(outputs, 'authorizer_id');
  const identitySources = designedIdentitySources(given.tokenSources, 'Authorization', 'token');
  checks.equal('example identity_sources output', strList(outputs, 'identity_sources'), identitySources);
  const functionName = await checkAuthorizer(c, checks, given.apiId, authorizerId, identitySources, undefined);
  if (functionName === undefined) return;
  const { env, role } = await environmentOf(c, functionName);
  checkAuthorizerEnv(checks, 'example authorizer', env, given.poolId, given.clientIds, given.tokenSources);
  await checkRolePolicies(c, checks, 'authorizer', functionName, role, { tableArn: '', stageArn: '' });
  await checkPermissions(c, checks, 'example authorizer', functionName, [
    { principal: 'apigateway.amazonaws.com', sourceArn: `${executionArn(c, given.apiId)}/authorizers/${authorizerId}` },
  ]);
}
