# Used alone, this module attaches to an API created elsewhere; the lookup also checks the API is a WebSocket one.
data "aws_apigatewayv2_api" "this" {
  api_id = var.api_id

  lifecycle {
    postcondition {
      condition     = self.protocol_type == "WEBSOCKET"
      error_message = "API ${var.api_id} is not a WebSocket API: this module attaches a WebSocket REQUEST authorizer."
    }
  }
}

locals {
  # API Gateway requires every identity source to be present, so only a single token source can be enforced there.
  identity_source_of = {
    header   = "route.request.header.${var.token_header}"
    query    = "route.request.querystring.${var.token_query_param}"
    protocol = "route.request.header.Sec-WebSocket-Protocol"
  }
  identity_sources = length(var.token_sources) == 1 ? [local.identity_source_of[var.token_sources[0]]] : []

  # Whether UpdateAuthorizer clears identity sources when they go from one to none is not documented (the
  # provider sends an empty list). Each enforced source therefore gets its own authorizer instance, keyed here, so
  # switching token_sources creates the new authorizer, moves $connect to it, then deletes the old one. Names
  # differ per key because API Gateway refuses two authorizers of one name on an API.
  identity_mode   = length(var.token_sources) == 1 ? var.token_sources[0] : "any"
  authorizer_name = local.identity_mode == "any" ? var.name : "${var.name}-${local.identity_mode}"
  authorizer      = aws_apigatewayv2_authorizer.this[local.identity_mode]

  # The names and formats the authorizer's config.ts reads (docs/architecture.md).
  # The verifier's configuration (functions/shared/token), which the refresh function reads too.
  environment = merge(
    {
      USER_POOL_ID             = var.user_pool_id
      CLIENT_IDS               = join(",", var.client_ids)
      TOKEN_USE                = var.token_use
      TOKEN_SOURCES            = join(",", var.token_sources)
      TOKEN_HEADER             = var.token_header
      TOKEN_QUERY_PARAM        = var.token_query_param
      REQUIRED_SCOPES          = join(" ", var.required_scopes)
      ALLOWED_GROUPS           = join(",", var.allowed_groups)
      COGNITO_REVOCATION_CHECK = var.cognito_revocation_check
      METRICS_NAMESPACE        = var.metrics_namespace
    },
    var.log_level == null ? {} : { LOG_LEVEL = var.log_level },
    length(var.context_claims) == 0 ? {} : { CONTEXT_CLAIMS = join(",", var.context_claims) },
    var.revocations_table_name == null ? {} : { REVOCATIONS_TABLE = var.revocations_table_name },
    var.cognito_revocation_check == "off" ? {} : {
      COGNITO_REVOCATION_UNCHECKABLE = var.cognito_revocation_uncheckable
      COGNITO_REVOCATION_ON_ERROR    = var.cognito_revocation_on_error
      USERINFO_ENDPOINT              = var.userinfo_endpoint
    },
  )

  # Exactly the calls the authorizer makes: one GetItem on the revocations table per handshake (when enabled).
  # Cognito's GetUser and userInfo are authorized by the token itself, not by IAM.
  # Decided on the name, known at plan (the ARN of a table being created is not).
  policy_statements = var.revocations_table_name == null ? [] : concat(
    [{
      sid       = "ReadRevocation"
      actions   = ["dynamodb:GetItem"]
      resources = [var.revocations_table_arn]
    }],
    var.table_kms_key_arn == null ? [] : [{
      sid       = "UseTableKey"
      actions   = ["kms:Decrypt", "kms:DescribeKey"]
      resources = [var.table_kms_key_arn]
    }],
  )
}

# The authorizer verifies tokens against the pool's public JWKS over HTTPS: its role needs nothing but its logs.
module "function" {
  source = "../lambda-function"

  name                  = var.name
  description           = "Cognito token authorizer for WebSocket API ${var.api_id}"
  zip_path              = var.zip_path
  runtime               = var.runtime
  architecture          = var.architecture
  memory_size           = var.memory_size
  timeout               = var.timeout
  environment_variables = local.environment
  policy_statements     = local.policy_statements
  application_log_level = var.application_log_level
  tracing_enabled       = var.tracing_enabled
  role_name             = var.role_name

  reserved_concurrent_executions = var.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  permissions_boundary_arn       = var.permissions_boundary_arn
  tags                           = var.tags
}

# WebSocket APIs take neither result caching nor payload format / simple responses (HTTP-API-only arguments).
resource "aws_apigatewayv2_authorizer" "this" {
  for_each = toset([local.identity_mode])

  api_id           = var.api_id
  name             = local.authorizer_name
  authorizer_type  = "REQUEST"
  authorizer_uri   = module.function.invoke_arn
  identity_sources = local.identity_sources

  # The provider retries DeleteAuthorizer's ConflictException (a route still uses it) until this timeout: fail
  # soon with the message instead of after the default 30 minutes.
  timeouts {
    delete = var.delete_timeout
  }

  # The old instance must outlive the update of whatever uses it ($connect): without this, Terraform deletes it
  # first, which AWS refuses (ConflictException) while the route still references it.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lambda_permission" "authorizer" {
  for_each = aws_apigatewayv2_authorizer.this

  statement_id  = each.key == "any" ? "AllowApiGatewayAuthorizer" : "AllowApiGatewayAuthorizer-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${data.aws_apigatewayv2_api.this.execution_arn}/authorizers/${each.value.id}"

  # The old authorizer keeps its permission until $connect has moved to the new one.
  lifecycle {
    create_before_destroy = true
  }
}

moved {
  from = aws_apigatewayv2_authorizer.this
  to   = aws_apigatewayv2_authorizer.this["any"]
}

moved {
  from = aws_lambda_permission.authorizer
  to   = aws_lambda_permission.authorizer["any"]
}
