// Runs the system as it was applied: the local gateway is configured from the API moto holds (routes, route
// selection, authorizer identity sources, stage), each route runs the zip Terraform uploaded with the
// environment Lambda holds, and only what Lambda's runtime or the network would supply differently is replaced
// (region, credentials, endpoints: DynamoDB -> moto, the management API -> the gateway, JWKS -> moto's pool).
// Tokens come from moto's Cognito. Then real WebSocket traffic, and the applied table must end empty.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetApiCommand,
  GetAuthorizerCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { FunctionPool } from '../../local/lambda-runner/pool.ts';
import { startGateway, type RunningGateway } from '../../local/gateway/server.ts';
import { generateCredentials } from '../../local/aws-auth/index.ts';
import { openClient, type TestClient } from '../../test/integration/helpers/ws-client.ts';
import type { Checks } from './checks.ts';
import { managedResources } from './state.ts';
import { readZip } from './unzip.ts';
import { functionNameOfUri, type AwsClients } from './wiring.ts';

export interface TrafficOptions {
  label: string;
  moto: string;
  clients: AwsClients;
  outputs: Record<string, unknown>;
  state: unknown;
  checks: Checks;
  say: (line: string) => void;
  /** Sign in with InitiateAuth USER_PASSWORD_AUTH (the client allows it) instead of AdminInitiateAuth. */
  password?: boolean;
}

interface AppliedFunction {
  name: string;
  env: Record<string, string>;
  /** Lambda's `file.export` handler. */
  handler: string;
  dir: string;
}

/** Lambda handler `index.handler` → module file and export name, refusing paths outside the bundle. */
export function splitHandler(
  handler: string,
): { ok: true; file: string; exportName: string } | { ok: false; reason: string } {
  const match = /^([A-Za-z0-9_./-]+)\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!match || (match[1] ?? '').split('/').includes('..') || (match[1] ?? '').startsWith('/')) {
    return { ok: false, reason: `unsupported handler "${handler}"` };
  }
  return { ok: true, file: `${match[1]}.js`, exportName: match[2] as string };
}

/** Writes the zip's entries under dir; an entry that would land outside dir is refused. */
function extract(zipFile: string, dir: string): void {
  for (const entry of readZip(readFileSync(zipFile))) {
    const target = path.resolve(dir, entry.name);
    if (!target.startsWith(path.resolve(dir) + path.sep)) throw new Error(`zip entry ${entry.name} leaves the bundle`);
    if (entry.name.endsWith('/')) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, entry.data);
  }
}

function tamper(token: string): string {
  // Flip one character of the signature: still well formed, no longer valid.
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.slice(-1)}`;
}

function claimsOf(token: string): { sub?: unknown; exp?: unknown } {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
}

function subOf(token: string): string {
  return String(claimsOf(token).sub);
}

function expOf(token: string): unknown {
  return claimsOf(token).exp;
}

export async function runTraffic(o: TrafficOptions): Promise<void> {
  const { clients: c, checks, label } = o;
  const apiId = String(o.outputs.api_id);
  const tableName = String(o.outputs.table_name);
  const poolId = String(o.outputs.user_pool_id);
  const clientId = String(o.outputs.client_id);
  const work = mkdtempSync(path.join(tmpdir(), 'rehearsal-traffic-'));
  const pools: FunctionPool[] = [];
  const logs: string[] = [];
  let gateway: RunningGateway | undefined;
  const open: TestClient[] = [];
  try {
    // The API as applied.
    const api = await c.apigw.send(new GetApiCommand({ ApiId: apiId }));
    checks.equal(
      `${label}: traffic: route selection the gateway implements`,
      api.RouteSelectionExpression,
      '$request.body.action',
    );
    const stage = String(o.outputs.stage_name);
    await c.apigw.send(new GetStageCommand({ ApiId: apiId, StageName: stage }));
    const routes = (await c.apigw.send(new GetRoutesCommand({ ApiId: apiId }))).Items ?? [];
    const integrations = (await c.apigw.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items ?? [];
    const connectRoute = routes.find((r) => r.RouteKey === '$connect');
    const authorizer = await c.apigw.send(
      new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: connectRoute?.AuthorizerId ?? '' }),
    );

    // Each function from the zip Terraform uploaded (the one whose hash Lambda holds), with Lambda's environment.
    const zips = new Map<string, string>();
    for (const r of managedResources(o.state)) {
      if (r.type === 'aws_lambda_function') zips.set(String(r.attributes.function_name), String(r.attributes.filename));
    }
    const load = async (functionName: string): Promise<AppliedFunction> => {
      const conf = await c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      const zip = zips.get(functionName);
      if (zip === undefined) throw new Error(`${label}: no zip in the state for ${functionName}`);
      const hash = createHash('sha256').update(readFileSync(zip)).digest('base64');
      checks.equal(`${label}: traffic: ${functionName} runs the applied zip`, hash, conf.CodeSha256);
      const dir = path.join(work, functionName);
      extract(zip, dir);
      return { name: functionName, env: conf.Environment?.Variables ?? {}, handler: conf.Handler ?? '', dir };
    };
    // The local management API verifies SigV4 like AWS: the functions sign with this run's keys (moto takes any).
    const credentials = generateCredentials();
    const runtimeEnv = {
      AWS_REGION: c.region,
      AWS_DEFAULT_REGION: c.region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: o.moto,
    };
    const pool = (fn: AppliedFunction, env: Record<string, string>): FunctionPool => {
      const handler = splitHandler(fn.handler);
      if (!handler.ok) throw new Error(`${label}: ${fn.name}: ${handler.reason}`);
      const p = new FunctionPool(
        {
          name: fn.name,
          bundlePath: path.join(fn.dir, handler.file),
          handler: handler.exportName,
          env,
          timeoutMs: 10_000,
          maxConcurrency: 2,
        },
        (name, _stream, line) => logs.push(`${name}: ${line}`),
      );
      pools.push(p);
      return p;
    };
    const authorizerFn = await load(functionNameOfUri(authorizer.AuthorizerUri) ?? '');
    // What differs off Lambda: region, keys, endpoints. Token verifiers (authorizer, refresh) fetch moto's pool
    // keys, and ask moto's Cognito when the online revocation check is on.
    const environment = (fn: AppliedFunction, extra: Record<string, string> = {}): Record<string, string> => ({
      ...fn.env,
      ...runtimeEnv,
      ...(fn.env.USER_POOL_ID === undefined
        ? {}
        : { JWKS_URI: `${o.moto}/${fn.env.USER_POOL_ID}/.well-known/jwks.json` }),
      ...(fn.env.COGNITO_REVOCATION_CHECK === 'on' ? { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: o.moto } : {}),
      ...extra,
    });
    const authorizerPool = pool(authorizerFn, environment(authorizerFn));
    const routePools = new Map<string, { pool: FunctionPool; fn: AppliedFunction }>();
    for (const route of routes) {
      const integrationId = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
      const uri = integrations.find((i) => i.IntegrationId === integrationId)?.IntegrationUri;
      const fn = await load(functionNameOfUri(uri) ?? '');
      routePools.set(route.RouteKey ?? '', { pool: pool(fn, environment(fn)), fn });
    }
    const controlName = (o.outputs.function_names as Record<string, unknown> | undefined)?.control;
    const controlFn = typeof controlName === 'string' ? await load(controlName) : undefined;
    const control = controlFn === undefined ? undefined : pool(controlFn, environment(controlFn));
    const invokeOf = (key: string) => routePools.get(key)?.pool.invoke;
    const custom = Object.fromEntries(
      [...routePools.entries()].filter(([k]) => !k.startsWith('$')).map(([k, v]) => [k, v.pool.invoke]),
    );
    gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      stage,
      region: c.region,
      apiId,
      accountId: c.accountId,
      functions: {
        authorizer: authorizerPool.invoke,
        ...(invokeOf('$connect') ? { connect: invokeOf('$connect') } : {}),
        ...(invokeOf('$disconnect') ? { disconnect: invokeOf('$disconnect') } : {}),
        ...(invokeOf('$default') ? { default: invokeOf('$default') } : {}),
        routes: custom,
      },
      identitySources: authorizer.IdentitySource ?? [],
      credentials,
      log: (level, reason, fields) => logs.push(`gateway ${level} ${reason} ${JSON.stringify(fields ?? {})}`),
    });
    // Workers start lazily: the management endpoint is known only now, before the first invocation.
    for (const { pool: p, fn } of [
      ...routePools.values(),
      ...(control && controlFn ? [{ pool: control, fn: controlFn }] : []),
    ]) {
      p.setEnvironment(environment(fn, { AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: gateway.managementEndpoint }));
    }

    // Users of moto's pool, created with the admin APIs (the created pool signs in by email) and signed in by
    // moto: one in the allowed group when there is one, one outside it.
    const groups = (authorizerFn.env.ALLOWED_GROUPS ?? '').split(',').filter((g) => g !== '');
    for (const group of groups.slice(0, 1))
      await c.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
    const signIn = async (
      who: string,
      group: string | undefined,
    ): Promise<{ token: string; again: () => Promise<string> }> => {
      const username = `rehearsal-${who}-${label.replace(/[^a-z]/g, '')}@example.com`;
      const password = 'Rehearsal-passw0rd!';
      await c.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          TemporaryPassword: 'Temporary-passw0rd!',
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: username },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      await c.cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: username,
          Password: password,
          Permanent: true,
        }),
      );
      if (group !== undefined) {
        await c.cognito.send(
          new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }),
        );
      }
      const parameters = { USERNAME: username, PASSWORD: password };
      const authenticate = async (): Promise<string> => {
        const auth = o.password
          ? await c.cognito.send(
              new InitiateAuthCommand({
                ClientId: clientId,
                AuthFlow: 'USER_PASSWORD_AUTH',
                AuthParameters: parameters,
              }),
            )
          : await c.cognito.send(
              new AdminInitiateAuthCommand({
                UserPoolId: poolId,
                ClientId: clientId,
                AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
                AuthParameters: parameters,
              }),
            );
        return (
          (authorizerFn.env.TOKEN_USE === 'id'
            ? auth.AuthenticationResult?.IdToken
            : auth.AuthenticationResult?.AccessToken) ?? ''
        );
      };
      return { token: await authenticate(), again: authenticate };
    };
    const member = await signIn('member', groups[0]);
    const token = member.token;
    checks.check(`${label}: traffic: moto signed the user in`, token.split('.').length === 3, 'no token');
    const sub = subOf(token);

    const sources = (authorizerFn.env.TOKEN_SOURCES ?? 'header,query,protocol').split(',');
    const header = authorizerFn.env.TOKEN_HEADER ?? 'Authorization';
    const query = authorizerFn.env.TOKEN_QUERY_PARAM ?? 'token';
    const connectWith = (source: string, t: string) => {
      if (source === 'header') return openClient(gateway?.websocketUrl ?? '', { headers: { [header]: `Bearer ${t}` } });
      if (source === 'query') return openClient(`${gateway?.websocketUrl ?? ''}?${query}=${encodeURIComponent(t)}`);
      return openClient(gateway?.websocketUrl ?? '', { protocols: ['bearer', t] });
    };

    // Connect with each token source; each connection is stored in the applied table and echoes.
    for (const source of sources) {
      const result = await connectWith(source, token);
      if (
        !checks.check(
          `${label}: traffic: connect with the ${source} token`,
          result.ok,
          result.ok ? '' : `status ${result.status} ${result.body}`,
        )
      )
        continue;
      if (!result.ok) continue;
      open.push(result.client);
      result.client.send(JSON.stringify({ action: 'rehearsal-echo', text: `hello over ${source}` }));
      const echo: { type?: string; message?: unknown } = await result.client
        .nextJson<{ type?: string; message?: unknown }>(10_000)
        .catch(() => ({}));
      checks.check(
        `${label}: traffic: echo over the ${source} connection`,
        echo.type === 'echo' && JSON.stringify(echo.message).includes(`hello over ${source}`),
        JSON.stringify(echo),
      );
    }
    const items = (await c.dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    checks.equal(
      `${label}: traffic: applied table holds each open connection of the user`,
      items.map((i) => i.sub?.S).sort(),
      open.map(() => sub),
    );

    // Refresh on the open connection with a fresh sign-in's token (moto stamps auth_time anew on refresh-token
    // grants, so a fresh sign-in is what Cognito would give too): token_refreshed with the new expiry.
    const first = open[0];
    if (routePools.has('refresh') && first !== undefined) {
      // Refresh needs an exp strictly later than the stored one, and moto's exp is iat + lifetime in whole
      // seconds: a sign-in within the same second as the connecting one is (rightly) refused as not_newer.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const fresh = await member.again();
      first.send(JSON.stringify({ action: 'refresh', token: fresh }));
      const frame: { type?: string; exp?: unknown; detail?: unknown } = await first
        .nextJson<{ type?: string; exp?: unknown }>(10_000)
        .catch(() => ({}));
      checks.equal(
        `${label}: traffic: refresh answered token_refreshed with the new expiry`,
        [frame.type, frame.exp],
        ['token_refreshed', expOf(fresh)],
      );
      first.send(JSON.stringify({ action: 'refresh', token: tamper(fresh) }));
      const rejected: { type?: string; reason?: unknown } = await first
        .nextJson<{ type?: string }>(10_000)
        .catch(() => ({}));
      checks.equal(
        `${label}: traffic: refresh with a bad token rejected`,
        [rejected.type, rejected.reason],
        ['error', 'refresh_rejected'],
      );
    }

    // Push through the applied control function (Lambda Invoke stands in for the backend's call).
    if (control !== undefined && open.length > 0) {
      const message = { hello: 'from the rehearsal' };
      const sent = await control.invoke({ op: 'send', sub, message });
      const answer = sent.ok ? (sent.value as { delivered?: unknown }) : {};
      checks.equal(`${label}: traffic: control send delivered to every connection`, answer.delivered, open.length);
      for (const client of open) {
        const frame: { type?: string; message?: unknown } = await client
          .nextJson<{ type?: string }>(10_000)
          .catch(() => ({}));
        checks.equal(`${label}: traffic: push frame received`, [frame.type, frame.message], ['push', message]);
      }
      const listed = await control.invoke({ op: 'list', sub });
      const connections = listed.ok ? (listed.value as { connections?: unknown[] }).connections : undefined;
      checks.equal(`${label}: traffic: control list`, connections?.length, open.length);
    }

    // A token whose signature does not verify, and no token at all, are refused with 401.
    const bad = await connectWith(sources[0] ?? 'header', tamper(token));
    checks.equal(`${label}: traffic: tampered token refused`, bad.ok ? 'open' : bad.status, 401);
    if (bad.ok) await bad.client.close();
    const none = await openClient(gateway.websocketUrl);
    checks.equal(`${label}: traffic: no token refused`, none.ok ? 'open' : none.status, 401);
    if (none.ok) await none.client.close();

    // A valid token of a user outside the allowed groups gets 403.
    if (groups.length > 0) {
      const outsider = await connectWith(sources[0] ?? 'header', (await signIn('outsider', undefined)).token);
      checks.equal(
        `${label}: traffic: user outside allowed_groups refused`,
        outsider.ok ? 'open' : outsider.status,
        403,
      );
      if (outsider.ok) await outsider.client.close();
    }

    // Revocation (when on): control's revoke closes the user's connections, and the revoked session's token is
    // refused afterwards. Otherwise the client disconnects. Either way $disconnect removes every item.
    if (control !== undefined && controlFn?.env.REVOCATIONS_TABLE !== undefined && open.length > 0) {
      const revoked = await control.invoke({ op: 'revoke', sub });
      const answer = revoked.ok ? (revoked.value as { closed?: unknown }) : {};
      checks.equal(`${label}: traffic: control revoke closed every connection`, answer.closed, open.length);
      for (const client of open.splice(0)) await client.closed;
      const again = await connectWith(sources[0] ?? 'header', token);
      checks.check(
        `${label}: traffic: revoked session refused`,
        !again.ok && (again.status === 401 || again.status === 403),
        again.ok ? 'connected' : `status ${again.status}`,
      );
      if (again.ok) await again.client.close();
    }
    for (const client of open.splice(0)) await client.close();
    await gateway.idle();
    const after = await c.dynamodb.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, Select: 'COUNT' }),
    );
    checks.equal(`${label}: traffic: applied table empty after disconnect`, after.Count, 0);
  } catch (err) {
    checks.check(`${label}: traffic`, false, err instanceof Error ? err.message : String(err));
  } finally {
    if (checks.failures.length > 0) for (const line of logs.slice(-30)) o.say(`rehearsal: ${label}: log: ${line}`);
    for (const client of open) await client.close().catch(() => undefined);
    await gateway?.close();
    await Promise.all(pools.map((p) => p.close()));
    rmSync(work, { recursive: true, force: true });
  }
}
