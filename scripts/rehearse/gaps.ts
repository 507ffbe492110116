// Plan differences that moto causes and AWS would not: after an apply, the second plan may show these and
// nothing else. Each entry is explained in docs/emulator-gaps.md (a unit test keeps the two in step).
export interface EmulatorGap {
  /** Stable id, the heading of its section in docs/emulator-gaps.md. */
  id: string;
  resourceType: string;
  /** Top-level attribute of the resource that the second plan shows as changed. */
  attribute: string;
  /** What moto does that causes it. */
  moto: string;
}

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    id: 'lambda-logging-config',
    resourceType: 'aws_lambda_function',
    attribute: 'logging_config',
    moto: 'CreateFunction and UpdateFunctionConfiguration ignore LoggingConfig; GetFunction returns none',
  },
  {
    id: 'cognito-domain-managed-login-version',
    resourceType: 'aws_cognito_user_pool_domain',
    attribute: 'managed_login_version',
    moto: 'CreateUserPoolDomain ignores ManagedLoginVersion; DescribeUserPoolDomain returns none (read as 0)',
  },
];

/** Resources moto cannot destroy: removed from the state before the destroy, and counted as destroyed. */
export interface DestroyGap {
  id: string;
  resourceType: string;
  moto: string;
}

export const DESTROY_GAPS: readonly DestroyGap[] = [
  {
    id: 'api-gateway-account-reset',
    resourceType: 'aws_api_gateway_account',
    moto: 'UpdateAccount answers 500 to the patch without a value that resets cloudwatchRoleArn, and the provider retries it until its timeout',
  },
];
