locals {
  tags = merge({ Application = var.name, ManagedBy = "terraform" }, var.tags)

  zip_dir          = coalesce(var.lambda_zip_dir, "${path.module}/../dist")
  create_user_pool = var.existing_user_pool_id == null

  user_pool_id = local.create_user_pool ? module.user_pool[0].user_pool_id : var.existing_user_pool_id
  client_ids   = local.create_user_pool ? [module.user_pool[0].client_id] : var.existing_client_ids

  # The connection Lambdas read the same configuration (functions/shared/connection-config.ts).
  connection_environment = {
    CONNECTIONS_TABLE      = module.connections_table.name
    CONNECTION_TTL_SECONDS = tostring(var.connection_ttl_seconds)
    STORED_HEADERS         = join(",", var.stored_headers)
    TOKEN_QUERY_PARAM      = var.token_query_param
    # The authorizer's token header: the connection functions refuse it in STORED_HEADERS at cold start.
    TOKEN_HEADER      = var.token_header
    METRICS_NAMESPACE = var.metrics_namespace
  }

  # Every function that calls the management API posts to the stage's execute-api endpoint, never to the event's
  # domainName (a custom domain there would not serve @connections for this stage).
  management_environment = {
    AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI = module.websocket_api.management_endpoint
  }
  context_claims_environment = length(var.context_claims) == 0 ? {} : { CONTEXT_CLAIMS = join(",", var.context_claims) }

  revocations_table_name = one(aws_dynamodb_table.revocations[*].name)
  revocations_table_arn  = one(aws_dynamodb_table.revocations[*].arn)
  revocation_environment = var.revocation_enabled ? { REVOCATIONS_TABLE = local.revocations_table_name } : {}
  # The one read of the revocations table ($connect's re-read, refresh's check); none when revocation is off.
  revocation_read_statements = var.revocation_enabled ? [{
    sid       = "ReadRevocation"
    actions   = ["dynamodb:GetItem"]
    resources = [local.revocations_table_arn]
  }] : []

  # The pool domain's userInfo endpoint, for the optional Cognito revocation check.
  hosted_ui_url     = local.create_user_pool ? module.user_pool[0].hosted_ui_url : var.existing_hosted_ui_url
  userinfo_endpoint = var.cognito_revocation_check == "on" ? "${local.hosted_ui_url}/oauth2/userInfo" : null

  # DynamoDB uses a customer managed table key as the calling role: readers need Decrypt and DescribeKey, writers
  # GenerateDataKey as well. Nothing when the AWS managed key is used.
  # One key encrypts both tables, so one statement covers both.
  table_key_read = var.table_kms_key_arn == null ? [] : [{
    sid       = "UseTableKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [var.table_kms_key_arn]
  }]
  table_key_write = var.table_kms_key_arn == null ? [] : [{
    sid       = "UseTableKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
    resources = [var.table_kms_key_arn]
  }]

  # Lambda filters the functions' JSON records below this level and hands it to them as AWS_LAMBDA_LOG_LEVEL.
  application_log_level = var.log_level == null ? null : upper(var.log_level)

  lambda_defaults = {
    runtime            = var.lambda_runtime
    architecture       = var.lambda_architecture
    memory_size        = var.lambda_memory_size
    timeout            = var.lambda_timeout
    log_retention_days = var.log_retention_days
  }
}

module "user_pool" {
  source = "./modules/cognito-user-pool"
  count  = local.create_user_pool ? 1 : 0

  name                   = var.name
  deletion_protection    = var.deletion_protection
  mfa_configuration      = var.mfa_configuration
  allow_self_signup      = var.allow_self_signup
  domain_prefix          = var.domain_prefix
  callback_urls          = var.callback_urls
  logout_urls            = var.logout_urls
  oauth_scopes           = var.oauth_scopes
  advanced_security_mode = var.advanced_security_mode
  explicit_auth_flows = concat(
    ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
    var.allow_password_auth ? ["ALLOW_USER_PASSWORD_AUTH"] : [],
  )
  tags = local.tags
}

module "connections_table" {
  source = "./modules/connections-table"

  name                = "${var.name}-connections"
  deletion_protection = var.deletion_protection
  kms_key_arn         = var.table_kms_key_arn
  tags                = local.tags
}

# Least privilege, one role per function: exactly the calls each handler makes, on exactly this table and stage.
module "connect_function" {
  source = "./modules/lambda-function"

  name        = "${var.name}-connect"
  description = "$connect: stores the authorized connection, within the per-user limit"
  zip_path    = "${local.zip_dir}/connect.zip"
  # REVOCATIONS_TABLE: after storing its item, $connect re-reads the user's revocation record (closes the race
  # with control's revoke).
  environment_variables = merge(local.connection_environment, local.management_environment, local.context_claims_environment, {
    MAX_CONNECTIONS_PER_USER = tostring(var.max_connections_per_user)
  }, local.revocation_environment)
  policy_statements = concat([
    {
      # PutItem stores the connection; DeleteItem removes a user's stale items found at the limit (and its own
      # item when the session was revoked meanwhile).
      sid       = "StoreConnection"
      actions   = ["dynamodb:PutItem", "dynamodb:DeleteItem"]
      resources = [module.connections_table.arn]
    },
    {
      sid       = "CountUserConnections"
      actions   = ["dynamodb:Query"]
      resources = [module.connections_table.sub_index_arn]
    },
    {
      # GetConnection tells a live connection from one whose $disconnect was lost.
      sid       = "CheckConnection"
      actions   = ["execute-api:ManageConnections"]
      resources = [module.websocket_api.manage_connections_arns["GET"]]
    },
  ], local.revocation_read_statements, local.table_key_write)
  runtime                        = local.lambda_defaults.runtime
  architecture                   = local.lambda_defaults.architecture
  memory_size                    = local.lambda_defaults.memory_size
  timeout                        = local.lambda_defaults.timeout
  log_retention_days             = local.lambda_defaults.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  tracing_enabled                = var.tracing_enabled
  application_log_level          = local.application_log_level
  reserved_concurrent_executions = coalesce(var.reserved_concurrency.connect, -1)
  tags                           = local.tags
}

module "disconnect_function" {
  source = "./modules/lambda-function"

  name                  = "${var.name}-disconnect"
  description           = "$disconnect: removes the connection"
  zip_path              = "${local.zip_dir}/disconnect.zip"
  environment_variables = local.connection_environment
  policy_statements = concat([{
    sid       = "RemoveConnection"
    actions   = ["dynamodb:DeleteItem"]
    resources = [module.connections_table.arn]
  }], local.table_key_read)
  runtime                        = local.lambda_defaults.runtime
  architecture                   = local.lambda_defaults.architecture
  memory_size                    = local.lambda_defaults.memory_size
  timeout                        = local.lambda_defaults.timeout
  log_retention_days             = local.lambda_defaults.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  tracing_enabled                = var.tracing_enabled
  application_log_level          = local.application_log_level
  reserved_concurrent_executions = coalesce(var.reserved_concurrency.disconnect, -1)
  tags                           = local.tags
}

module "default_function" {
  source = "./modules/lambda-function"

  name                  = "${var.name}-default"
  description           = "$default: echoes messages, closes connections whose token expired"
  zip_path              = "${local.zip_dir}/default.zip"
  environment_variables = merge(local.connection_environment, local.management_environment)
  policy_statements = concat([
    {
      sid       = "ReadAndExpireConnection"
      actions   = ["dynamodb:GetItem", "dynamodb:DeleteItem"]
      resources = [module.connections_table.arn]
    },
    {
      # POST sends the echo, DELETE closes an expired connection; GET (GetConnection) is never called.
      sid     = "ReplyAndDisconnect"
      actions = ["execute-api:ManageConnections"]
      resources = [
        module.websocket_api.manage_connections_arns["POST"],
        module.websocket_api.manage_connections_arns["DELETE"],
      ]
    },
  ], local.table_key_read)
  runtime                        = local.lambda_defaults.runtime
  architecture                   = local.lambda_defaults.architecture
  memory_size                    = local.lambda_defaults.memory_size
  timeout                        = local.lambda_defaults.timeout
  log_retention_days             = local.lambda_defaults.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  tracing_enabled                = var.tracing_enabled
  application_log_level          = local.application_log_level
  reserved_concurrent_executions = coalesce(var.reserved_concurrency.default, -1)
  tags                           = local.tags
}

# No cycle: the authorizer needs the API id, the API's $connect route needs the authorizer id; Terraform orders
# API -> authorizer -> route because modules are not atomic in the graph.
module "authorizer" {
  source = "./modules/cognito-authorizer"

  name              = "${var.name}-authorizer"
  api_id            = module.websocket_api.api_id
  user_pool_id      = local.user_pool_id
  client_ids        = local.client_ids
  token_use         = var.token_use
  token_sources     = var.token_sources
  token_header      = var.token_header
  token_query_param = var.token_query_param
  required_scopes   = var.required_scopes
  allowed_groups    = var.allowed_groups
  zip_path          = "${local.zip_dir}/authorizer.zip"

  context_claims                 = var.context_claims
  revocations_table_name         = local.revocations_table_name
  revocations_table_arn          = local.revocations_table_arn
  table_kms_key_arn              = var.table_kms_key_arn
  cognito_revocation_check       = var.cognito_revocation_check
  cognito_revocation_uncheckable = var.cognito_revocation_uncheckable
  cognito_revocation_on_error    = var.cognito_revocation_on_error
  userinfo_endpoint              = local.userinfo_endpoint
  metrics_namespace              = var.metrics_namespace

  runtime                        = local.lambda_defaults.runtime
  architecture                   = local.lambda_defaults.architecture
  memory_size                    = local.lambda_defaults.memory_size
  timeout                        = local.lambda_defaults.timeout
  log_retention_days             = local.lambda_defaults.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  tracing_enabled                = var.tracing_enabled
  application_log_level          = local.application_log_level
  reserved_concurrent_executions = coalesce(var.reserved_concurrency.authorizer, -1)
  tags                           = local.tags
}

module "websocket_api" {
  source = "./modules/websocket-api"

  name                  = var.name
  stage_name            = var.stage_name
  connect_authorizer_id = module.authorizer.authorizer_id
  connect_function = {
    function_name = module.connect_function.function_name
    invoke_arn    = module.connect_function.invoke_arn
  }
  disconnect_function = {
    function_name = module.disconnect_function.function_name
    invoke_arn    = module.disconnect_function.invoke_arn
  }
  default_function = {
    function_name = module.default_function.function_name
    invoke_arn    = module.default_function.invoke_arn
  }
  # {"action":"refresh","token":"..."} on the open socket (route selection $request.body.action).
  extra_routes = {
    refresh = {
      function_name = module.refresh_function.function_name
      invoke_arn    = module.refresh_function.invoke_arn
    }
  }
  throttling_burst_limit         = var.throttling_burst_limit
  throttling_rate_limit          = var.throttling_rate_limit
  access_logs_enabled            = var.api_access_logs_enabled
  logging_level                  = var.api_logging_level
  create_account_cloudwatch_role = var.create_api_gateway_cloudwatch_role
  reset_account_on_destroy       = var.reset_api_gateway_account_on_destroy
  log_retention_days             = var.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  tags                           = local.tags
}
