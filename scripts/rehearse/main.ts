// `make tf-rehearse`: applies the Terraform to moto (the root stack with defaults, the root stack with every
// optional feature moto supports, and examples/authorizer-only), checks the wiring through the AWS SDK, runs
// the applied system through the local gateway, plans again (only known emulator gaps may differ), destroys.
// The last line printed is the summary the README quotes.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  DeleteApiCommand,
  GetRouteCommand,
  UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Checks } from './checks.ts';
import { DESTROY_GAPS, EMULATOR_GAPS } from './gaps.ts';
import { declaredVariables, defaultVars, fullVars, FULL_CONTROL_EVENT_OPS } from './features.ts';
import { findOnPath, missingMotoOutcome, startMoto, type RunningMoto } from './moto.ts';
import { createKmsKey, createTopic } from './moto-resources.ts';
import { describeDifference, judgePlan, planDifferences } from './plan-diff.ts';
import { managedResources, stateOutputs } from './state.ts';
import { cliConfig, copyConfiguration, Terraform, writeOverride } from './terraform.ts';
import { checkExampleWiring, checkRootWiring, type AwsClients, type RootExpectations } from './wiring.ts';
import { runTraffic } from './traffic.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const REGION = 'eu-west-1';
// REHEARSAL_TERRAFORM_DIR: rehearse another copy of terraform/ (trying a fix before it lands); default the repo's.
const terraformDir = path.resolve(process.env.REHEARSAL_TERRAFORM_DIR ?? path.join(root, 'terraform'));

interface Totals {
  applied: number;
  destroyed: number;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function elapsed(start: number): string {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}

function clientsFor(endpoint: string): Omit<AwsClients, 'accountId'> & { sts: STSClient } {
  const config = {
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'rehearsal', secretAccessKey: 'rehearsal' },
    maxAttempts: 2,
  };
  return {
    region: REGION,
    apigw: new ApiGatewayV2Client(config),
    lambda: new LambdaClient(config),
    iam: new IAMClient(config),
    dynamodb: new DynamoDBClient(config),
    cognito: new CognitoIdentityProviderClient(config),
    events: new EventBridgeClient(config),
    sts: new STSClient(config),
  };
}

class Rehearsal {
  readonly wiring = new Checks();
  readonly traffic = new Checks();
  readonly problems: string[] = [];
  readonly totals: Totals = { applied: 0, destroyed: 0 };
  private readonly template = readFileSync(path.join(here, 'provider_override.tf.txt'), 'utf8');

  constructor(
    private readonly moto: RunningMoto,
    private readonly clients: AwsClients,
    private readonly work: string,
    private readonly tfEnv: NodeJS.ProcessEnv,
  ) {}

  /** A fresh copy of terraform/ with the override, initialised in `sub` (the root or an example). */
  private async workspace(label: string, sub: string, vars: Record<string, unknown>): Promise<Terraform> {
    const copy = path.join(this.work, label, 'terraform');
    copyConfiguration(terraformDir, copy);
    const dir = path.join(copy, sub);
    writeOverride(dir, this.template, this.moto.endpoint);
    const tf = new Terraform(dir, this.tfEnv);
    tf.writeVars(vars);
    await tf.init();
    return tf;
  }

  /** Plan again: anything but a known emulator gap is a failure. */
  private async planAgain(label: string, tf: Terraform): Promise<void> {
    const verdict = judgePlan(planDifferences(await tf.plan()), EMULATOR_GAPS);
    const counts = new Map<string, number>();
    for (const e of verdict.explained) for (const id of e.gapIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    if (counts.size > 0) {
      const list = [...counts].map(([id, n]) => `${id} x${n}`).join(', ');
      say(`rehearsal: ${label}: second plan: known emulator gaps (${list}; docs/emulator-gaps.md)`);
    } else if (verdict.unexplained.length === 0) {
      say(`rehearsal: ${label}: second plan: no changes`);
    }
    for (const d of verdict.unexplained) this.problems.push(`${label}: second plan differs: ${describeDifference(d)}`);
  }

  /** apply → count → checks → plan → destroy (in every case), totals updated. */
  private async cycle(
    label: string,
    tf: Terraform,
    body: () => Promise<void>,
    beforeDestroy?: () => Promise<void>,
    forgetBeforeDestroy = false,
  ): Promise<void> {
    const start = Date.now();
    try {
      await tf.apply();
      const applied = managedResources(tf.state()).length;
      this.totals.applied += applied;
      say(`rehearsal: ${label}: ${applied} resources applied (${elapsed(start)})`);
      await body();
      await this.planAgain(label, tf);
    } catch (err) {
      this.problems.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      try {
        if (beforeDestroy) await beforeDestroy();
        const forgotten = forgetBeforeDestroy
          ? managedResources(tf.state()).filter((r) => DESTROY_GAPS.some((g) => g.resourceType === r.type))
          : [];
        for (const r of forgotten) {
          const gap = DESTROY_GAPS.find((g) => g.resourceType === r.type);
          say(`rehearsal: ${label}: known gap ${gap?.id ?? ''}: ${r.address} removed from the state, not destroyed`);
        }
        await tf.forget(forgotten.map((r) => r.address));
        const destroyed = (await tf.destroy()) + forgotten.length;
        this.totals.destroyed += destroyed;
        say(`rehearsal: ${label}: ${destroyed} destroyed (${elapsed(start)} in all)`);
      } catch (err) {
        this.problems.push(`${label}: destroy: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Wiring checks of an applied root stack, then traffic through the system as applied. */
  private async checkAndRun(label: string, tf: Terraform, expect: RootExpectations, password: boolean): Promise<void> {
    const outputs = stateOutputs(tf.state());
    const wiring = this.scoped('wiring');
    try {
      await checkRootWiring(this.clients, outputs, expect, wiring);
    } finally {
      this.wiring.merge(wiring);
      say(`rehearsal: ${label}: wiring checks ${wiring.passed} passed`);
    }
    const traffic = this.scoped('traffic');
    try {
      const state = tf.state();
      await runTraffic({
        label,
        moto: this.moto.endpoint,
        clients: this.clients,
        outputs,
        state,
        checks: traffic,
        say,
        password,
      });
    } finally {
      this.traffic.merge(traffic);
      say(`rehearsal: ${label}: traffic checks ${traffic.passed} passed`);
    }
  }

  /** A check counter for one configuration's phase, merged into the run's totals when it ends. */
  private scoped(kind: 'wiring' | 'traffic'): Checks {
    return new Checks((line) => say(`rehearsal: ${kind} check failed: ${line}`));
  }

  async rootDefaults(): Promise<void> {
    const tf = await this.workspace('default', '.', defaultVars(path.join(root, 'dist')));
    await this.cycle('root (defaults)', tf, async () => {
      await this.checkAndRun('root (defaults)', tf, { deletionProtection: false }, false);
    });
  }

  async rootFull(): Promise<void> {
    const declared = declaredVariables(readFileSync(path.join(terraformDir, 'variables.tf'), 'utf8'));
    const kmsKeyArn = await createKmsKey(this.moto.endpoint, REGION);
    const topicArn = await createTopic(this.moto.endpoint, REGION, 'rehearsal-alarms');
    const invoker = await this.clients.iam.send(
      new CreateRoleCommand({
        RoleName: 'rehearsal-control-invoker',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    const invokerArn = invoker.Role?.Arn ?? '';
    const { vars, absent } = fullVars(declared, {
      zipDir: path.join(root, 'dist'),
      kmsKeyArn,
      topicArn,
      invokerArn,
    });
    if (absent.length > 0) say(`rehearsal: root (all features): not declared yet, left out: ${absent.join(', ')}`);
    // Applied with deletion protection on, then destroyed the README's way: lift it with an apply, then destroy.
    const tf = await this.workspace('full', '.', { ...vars, deletion_protection: true });
    await this.cycle(
      'root (all features)',
      tf,
      async () => {
        await this.checkAndRun(
          'root (all features)',
          tf,
          {
            deletionProtection: true,
            ...(vars.table_kms_key_arn === undefined ? {} : { kmsKeyArn }),
            ...(vars.control_invoker_arns === undefined ? {} : { controlInvokers: [invokerArn] }),
            ...(vars.control_event_ops === undefined ? {} : { controlEventOps: FULL_CONTROL_EVENT_OPS }),
            tracing: vars.tracing_enabled === true,
            ...(vars.reserved_concurrency === undefined
              ? {}
              : { reservedConcurrency: vars.reserved_concurrency as Record<string, number> }),
          },
          true,
        );
      },
      async () => {
        tf.writeVars({ ...vars, deletion_protection: false });
        await tf.apply();
      },
      // A stack that cannot skip the account reset yet: forget the resource instead of waiting on moto.
      !declared.has('reset_api_gateway_account_on_destroy'),
    );
  }

  async example(): Promise<void> {
    const c = this.clients;
    const api = await c.apigw.send(
      new CreateApiCommand({
        Name: 'rehearsal-existing',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    );
    const apiId = api.ApiId ?? '';
    const route = await c.apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect' }));
    const routeId = route.RouteId ?? '';
    const pool = await c.cognito.send(new CreateUserPoolCommand({ PoolName: 'rehearsal-existing' }));
    const poolId = pool.UserPool?.Id ?? '';
    const client = await c.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'rehearsal-existing' }),
    );
    const clientIds = [client.UserPoolClient?.ClientId ?? ''];
    const tokenSources = ['query'];
    try {
      const tf = await this.workspace('example', 'examples/authorizer-only', {
        region: REGION,
        api_id: apiId,
        user_pool_id: poolId,
        client_ids: clientIds,
        token_sources: tokenSources,
        zip_path: path.join(root, 'dist', 'authorizer.zip'),
      });
      // The example's README: apply, attach to $connect (attach_command), and before destroy detach
      // (detach_command), since AWS refuses to delete an authorizer a route uses. Done here with the SDK calls
      // those commands make.
      const setConnect = (authorizerId: string | undefined) =>
        c.apigw.send(
          new UpdateRouteCommand({
            ApiId: apiId,
            RouteId: routeId,
            AuthorizationType: authorizerId === undefined ? 'NONE' : 'CUSTOM',
            ...(authorizerId === undefined ? {} : { AuthorizerId: authorizerId }),
          }),
        );
      await this.cycle(
        'examples/authorizer-only',
        tf,
        async () => {
          const outputs = stateOutputs(tf.state());
          const wiring = this.scoped('wiring');
          await checkExampleWiring(c, outputs, { apiId, poolId, clientIds, tokenSources }, wiring);
          await setConnect(String(outputs.authorizer_id));
          const attached = await c.apigw.send(new GetRouteCommand({ ApiId: apiId, RouteId: routeId }));
          wiring.equal(
            'example: $connect attached',
            [attached.AuthorizationType, attached.AuthorizerId],
            ['CUSTOM', outputs.authorizer_id],
          );
          this.wiring.merge(wiring);
          say(`rehearsal: examples/authorizer-only: wiring checks ${wiring.passed} passed`);
        },
        async () => {
          await setConnect(undefined);
        },
      );
    } finally {
      await c.apigw.send(new DeleteApiCommand({ ApiId: apiId }));
      await c.cognito.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    }
  }
}

async function main(): Promise<number> {
  const start = Date.now();
  const executable = findOnPath('moto_server');
  if (executable === undefined) {
    const outcome = missingMotoOutcome(process.env);
    say(outcome.message);
    return outcome.fail ? 1 : 0;
  }
  // Every function folder is bundled by `make build` (scripts/build.mjs).
  const functionNames = readdirSync(path.join(root, 'functions'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(root, 'functions', e.name, 'index.ts')))
    .map((e) => e.name);
  for (const name of functionNames) {
    if (!existsSync(path.join(root, 'dist', `${name}.zip`))) {
      say(`rehearsal: dist/${name}.zip is missing: run \`make build\` first`);
      return 1;
    }
  }
  const work = mkdtempSync(path.join(process.env.TMPDIR ?? tmpdir(), 'tf-rehearse-'));
  const cli = cliConfig(
    process.env,
    (dir) => existsSync(path.join(dir, 'registry.terraform.io')),
    path.join(work, 'plugin-cache'),
  );
  if (!cli.ok) {
    say(`rehearsal: ${cli.reason}`);
    return 1;
  }
  writeFileSync(path.join(work, 'cli.tfrc'), cli.text);
  const tfEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: path.join(work, 'cli.tfrc'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    // Nothing of the caller's AWS configuration may reach the provider.
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: path.join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-aws-credentials'),
  };
  let moto: RunningMoto | undefined;
  let rehearsal: Rehearsal | undefined;
  // Ctrl-C or a CI cancel: moto runs in its own process group, so stop it here rather than leave it behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`rehearsal: ${signal}: stopping moto_server`);
    void Promise.resolve(moto?.stop()).finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    moto = await startMoto({ executable });
    say(`rehearsal: moto_server on ${moto.endpoint}, ${cli.note}`);
    const clients = clientsFor(moto.endpoint);
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    rehearsal = new Rehearsal(moto, { ...clients, accountId: identity.Account ?? '' }, work, tfEnv);
    const r = rehearsal;
    // The three configurations are independent (different names): run them side by side.
    // REHEARSAL_ONLY=default,full,example runs a subset (while working on one of them); the closing line says so.
    const only = (process.env.REHEARSAL_ONLY ?? '').split(',').filter((x) => x !== '');
    const parts = { default: () => r.rootDefaults(), full: () => r.rootFull(), example: () => r.example() };
    const chosen = Object.entries(parts).filter(([k]) => only.length === 0 || only.includes(k));
    if (only.length > 0)
      say(`rehearsal: REHEARSAL_ONLY=${only.join(',')}: running ${chosen.map(([k]) => k).join(', ')} only`);
    const results = await Promise.allSettled(chosen.map(([, run]) => run()));
    for (const result of results) {
      if (result.status === 'rejected')
        r.problems.push(result.reason instanceof Error ? result.reason.message : String(result.reason));
    }
  } catch (err) {
    say(`rehearsal: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await moto?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const r = rehearsal;
  for (const problem of r.problems) say(`rehearsal: FAILED: ${problem}`);
  const failed = r.problems.length + r.wiring.failures.length + r.traffic.failures.length;
  if (failed > 0) say(`rehearsal: ${failed} failures (${elapsed(start)})`);
  else say(`rehearsal: done in ${elapsed(start)}`);
  say(
    `rehearsal: ${r.totals.applied} resources applied, wiring checks ${r.wiring.passed} passed, traffic checks ${r.traffic.passed} passed, destroyed ${r.totals.destroyed}`,
  );
  return failed > 0 || r.totals.applied !== r.totals.destroyed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`rehearsal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
