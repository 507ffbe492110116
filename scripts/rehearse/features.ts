// The variables of each rehearsal apply. The optional-feature apply turns on every feature moto supports that
// the root stack declares, so a feature is rehearsed as soon as its variable lands in terraform/variables.tf.

/** Names of the variables a configuration declares (`variable "x" {`). */
export function declaredVariables(variablesTf: string): Set<string> {
  const names = new Set<string>();
  for (const match of variablesTf.matchAll(/^\s*variable\s+"([A-Za-z0-9_-]+)"/gm)) names.add(match[1] as string);
  return names;
}

export interface FeatureInputs {
  zipDir: string;
  /** Customer managed key made in moto before the apply. */
  kmsKeyArn: string;
  /** A principal allowed to invoke the control function. */
  invokerArn: string;
  /** Alarm action target. */
  topicArn: string;
}

/** The group every user of the optional-feature apply must be in. */
export const FULL_GROUP = 'rehearsal';
/** The only source in the optional-feature apply, so API Gateway's identity source is rehearsed too. */
export const FULL_TOKEN_SOURCES = ['header'];

/** The control operations the optional-feature apply lets through EventBridge. */
export const FULL_CONTROL_EVENT_OPS = ['send', 'disconnect'];

/** The first apply: defaults, except what a rehearsal must change to be able to destroy. */
export function defaultVars(zipDir: string): Record<string, unknown> {
  return { name: 'rh-default', deletion_protection: false, lambda_zip_dir: zipDir };
}

/**
 * Every optional feature moto supports, limited to the variables the stack declares. Returns the variables and
 * the features left out because the stack does not declare them yet.
 */
export function fullVars(
  declared: Set<string>,
  inputs: FeatureInputs,
): { vars: Record<string, unknown>; absent: string[] } {
  const wanted: Record<string, unknown> = {
    name: 'rh-full',
    deletion_protection: false,
    lambda_zip_dir: inputs.zipDir,
    domain_prefix: 'rehearsal-full-stack',
    create_api_gateway_cloudwatch_role: true,
    api_logging_level: 'INFO',
    api_access_logs_enabled: true,
    allow_password_auth: true,
    token_sources: FULL_TOKEN_SOURCES,
    oauth_scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    required_scopes: ['aws.cognito.signin.user.admin'],
    allowed_groups: [FULL_GROUP],
    table_kms_key_arn: inputs.kmsKeyArn,
    stored_headers: ['user-agent', 'origin'],
    // Wave 2 (issues 8, 9, 10, 14): used as soon as the stack declares them.
    revocation_enabled: true,
    cognito_revocation_check: 'on',
    max_connections_per_user: 3,
    context_claims: ['jti'],
    metrics_namespace: 'WebSocketAuthRehearsal',
    control_invoker_arns: [inputs.invokerArn],
    control_events_enabled: true,
    control_event_sources: [inputs.invokerArn],
    control_event_ops: FULL_CONTROL_EVENT_OPS,
    log_level: 'debug',
    tracing_enabled: true,
    alarms_enabled: true,
    alarm_actions: [inputs.topicArn],
    dashboard_enabled: true,
    log_kms_key_arn: inputs.kmsKeyArn,
    reserved_concurrency: { authorizer: 5, connect: 5, default: 5, disconnect: 5, refresh: 5, control: 2 },
    advanced_security_mode: 'AUDIT',
    // moto answers 500 to the UpdateAccount patch that clears the role (docs/emulator-gaps.md).
    reset_api_gateway_account_on_destroy: false,
  };
  const vars: Record<string, unknown> = {};
  const absent: string[] = [];
  for (const [name, value] of Object.entries(wanted)) {
    if (declared.has(name)) vars[name] = value;
    else absent.push(name);
  }
  return { vars, absent };
}
