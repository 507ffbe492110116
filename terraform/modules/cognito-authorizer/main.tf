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

  # The names and formats the authorizer's config.ts reads (docs/architecture.md).
  environment = merge(
    {
      USER_POOL_ID      = var.user_pool_id
      CLIENT_IDS        = join(",", var.client_ids)
      TOKEN_USE         = var.token_use
      TOKEN_SOURCES     = join(",", var.token_sources)
      TOKEN_HEADER      = var.token_header
      TOKEN_QUERY_PARAM = var.token_query_param
      REQUIRED_SCOPES   = join(" ", var.required_scopes)
      ALLOWED_GROUPS    = join(",", var.allowed_groups)
    },
    var.log_level == null ? {} : { LOG_LEVEL = var.log_level },
  )
}

# The authorizer verifies tokens against the pool's public JWKS over HTTPS: its role needs nothing but its logs.
module "function" {
  source = "../lambda-function"

  name                     = var.name
  description              = "Cognito token authorizer for WebSocket API ${var.api_id}"
  zip_path                 = var.zip_path
  runtime                  = var.runtime
  architecture             = var.architecture
  memory_size              = var.memory_size
  timeout                  = var.timeout
  environment_variables    = local.environment
  policy_statements        = []
  log_retention_days       = var.log_retention_days
  log_kms_key_arn          = var.log_kms_key_arn
  permissions_boundary_arn = var.permissions_boundary_arn
  tags                     = var.tags
}

# WebSocket APIs take neither result caching nor payload format / simple responses (HTTP-API-only arguments).
resource "aws_apigatewayv2_authorizer" "this" {
  api_id           = var.api_id
  name             = var.name
  authorizer_type  = "REQUEST"
  authorizer_uri   = module.function.invoke_arn
  identity_sources = local.identity_sources
}

resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowApiGatewayAuthorizer"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${data.aws_apigatewayv2_api.this.execution_arn}/authorizers/${aws_apigatewayv2_authorizer.this.id}"
}
