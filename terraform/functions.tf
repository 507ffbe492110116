# The functions added for the whole life of a connection (refresh, revocation) and for backend push (control).
# Least privilege as for the others: exactly the calls each handler makes, on exactly this table and stage.

module "refresh_function" {
  source = "./modules/lambda-function"

  name        = "${var.name}-refresh"
  description = "refresh route: verifies a new token on the open connection and extends it"
  zip_path    = "${local.zip_dir}/refresh.zip"
  # The authorizer's verifier configuration, so a refreshed token passes exactly the checks of a handshake.
  environment_variables = merge(module.authorizer.verifier_environment, local.connection_environment, local.management_environment)
  policy_statements = concat(
    [
      {
        # UpdateItem is conditional in the handler (the item must exist and belong to the token's sub).
        sid       = "ReadAndExtendConnection"
        actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
        resources = [module.connections_table.arn]
      },
      {
        # POST answers token_refreshed or refresh_rejected; DELETE closes a connection whose refresh came too late.
        sid     = "ReplyAndClose"
        actions = ["execute-api:ManageConnections"]
        resources = [
          module.websocket_api.manage_connections_arns["POST"],
          module.websocket_api.manage_connections_arns["DELETE"],
        ]
      },
    ],
    local.revocation_read_statements,
    local.table_key_write,
  )
  runtime                        = local.lambda_defaults.runtime
  architecture                   = local.lambda_defaults.architecture
  memory_size                    = local.lambda_defaults.memory_size
  timeout                        = local.lambda_defaults.timeout
  log_retention_days             = local.lambda_defaults.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  tracing_enabled                = var.tracing_enabled
  application_log_level          = local.application_log_level
  reserved_concurrent_executions = coalesce(var.reserved_concurrency.refresh, -1)
  tags                           = local.tags
}

module "control_function" {
  source = "./modules/lambda-function"

  name        = "${var.name}-control"
  description = "Backend control: send, disconnect, list and revoke users' connections (Lambda Invoke)"
  zip_path    = "${local.zip_dir}/control.zip"
  environment_variables = merge(
    {
      CONNECTIONS_TABLE      = module.connections_table.name
      CONNECTION_TTL_SECONDS = tostring(var.connection_ttl_seconds)
      METRICS_NAMESPACE      = var.metrics_namespace
    },
    local.management_environment,
    local.revocation_environment,
  )
  policy_statements = concat(
    [
      {
        sid       = "FindUserConnections"
        actions   = ["dynamodb:Query"]
        resources = [module.connections_table.sub_index_arn]
      },
      {
        # GetItem reads one connection's expiry; DeleteItem removes gone, expired and revoked connections.
        sid       = "ReadAndRemoveConnections"
        actions   = ["dynamodb:GetItem", "dynamodb:DeleteItem"]
        resources = [module.connections_table.arn]
      },
      {
        sid     = "PushAndDisconnect"
        actions = ["execute-api:ManageConnections"]
        resources = [
          module.websocket_api.manage_connections_arns["POST"],
          module.websocket_api.manage_connections_arns["DELETE"],
        ]
      },
    ],
    var.revocation_enabled ? [{
      sid       = "RecordRevocation"
      actions   = ["dynamodb:PutItem"]
      resources = [local.revocations_table_arn]
    }] : [],
    var.revocation_enabled ? local.table_key_write : local.table_key_read,
  )
  runtime                        = local.lambda_defaults.runtime
  architecture                   = local.lambda_defaults.architecture
  memory_size                    = local.lambda_defaults.memory_size
  timeout                        = local.lambda_defaults.timeout
  log_retention_days             = local.lambda_defaults.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  tracing_enabled                = var.tracing_enabled
  application_log_level          = local.application_log_level
  reserved_concurrent_executions = coalesce(var.reserved_concurrency.control, -1)
  tags                           = local.tags
}

# Resource-policy grants for the application's backends. Identities of the same account can be allowed by their
# own identity policies instead (lambda:InvokeFunction on control_function_arn); this is for the others.
resource "aws_lambda_permission" "control_invoke" {
  for_each = toset(var.control_invoker_arns)

  statement_id  = "AllowInvoke-${substr(sha1(each.key), 0, 12)}"
  action        = "lambda:InvokeFunction"
  function_name = module.control_function.function_name
  principal     = each.key
}

# Revocation records: one item per user (sub), kept a little longer than any token may live.
resource "aws_dynamodb_table" "revocations" {
  count = var.revocation_enabled ? 1 : 0

  name                        = "${var.name}-revocations"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "sub"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "sub"
    type = "S"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.table_kms_key_arn
  }

  tags = local.tags
}
