data "aws_region" "current" {}

locals {
  routes = merge(
    {
      "$connect"    = var.connect_function
      "$disconnect" = var.disconnect_function
      "$default"    = var.default_function
    },
    var.extra_routes,
  )

  # Statement ids allow only letters, digits, '-' and '_'; a hash keeps extra routes such as "a.b" and "ab" apart.
  statement_ids = { for k, _ in local.routes : k => (startswith(k, "$")
    ? "AllowApiGateway-${trimprefix(k, "$")}"
    : "AllowApiGateway-route-${substr(replace(k, "/[^A-Za-z0-9_-]/", ""), 0, 60)}-${substr(sha1(k), 0, 8)}"
  ) }

  # The partition of the API's ARN, so the optional role also works in aws-cn and aws-us-gov.
  partition = split(":", aws_apigatewayv2_api.this.execution_arn)[1]

  # No query string, headers or body: the token travels there. principalId is the user's sub.
  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    connectionId       = "$context.connectionId"
    eventType          = "$context.eventType"
    routeKey           = "$context.routeKey"
    status             = "$context.status"
    requestTimeEpoch   = "$context.requestTimeEpoch"
    sourceIp           = "$context.identity.sourceIp"
    principalId        = "$context.authorizer.principalId"
    authorizerError    = "$context.authorizer.error"
    error              = "$context.error.message"
    errorType          = "$context.error.responseType"
    integrationError   = "$context.integration.error"
    integrationLatency = "$context.integrationLatency"
  })

  # The variables API Gateway accepts in a WebSocket access-log format (docs/architecture.md). CreateStage refuses
  # any other one ("The following context variables are not supported"), e.g. the HTTP/REST-only
  # $context.integrationErrorMessage. $context.authorizer.<key> names any key of the authorizer's context.
  websocket_log_variables = [
    "apiId", "authorize.error", "authorize.latency", "authorize.status", "authorizer.error",
    "authorizer.integrationLatency", "authorizer.integrationStatus", "authorizer.latency", "authorizer.requestId",
    "authorizer.status", "authorizer.principalId", "authenticate.error", "authenticate.latency",
    "authenticate.status", "connectedAt", "connectionId", "domainName", "error.message", "error.messageString",
    "error.responseType", "error.validationErrorString", "eventType", "extendedRequestId", "identity.accountId",
    "identity.apiKey", "identity.apiKeyId", "identity.caller", "identity.cognitoAuthenticationProvider",
    "identity.sourceIp", "identity.user", "identity.userAgent", "identity.userArn", "integration.error",
    "integration.integrationStatus", "integration.latency", "integration.requestId", "integration.status",
    "integrationLatency", "messageId", "requestId", "requestTime", "requestTimeEpoch", "routeKey", "stage", "status",
    "waf.error", "waf.latency", "waf.status",
  ]
  access_log_variables = [for m in regexall("\\$context\\.([A-Za-z0-9_.]+)", local.access_log_format) : m[0]]
  unsupported_access_log_variables = [for v in local.access_log_variables : v
    if !contains(local.websocket_log_variables, v) && !(startswith(v, "authorizer.") && length(split(".", v)) == 2)
  ]

  # IAM role names are global to the account: the region keeps a second regional deployment from colliding.
  cloudwatch_role_name = coalesce(var.cloudwatch_role_name, "${var.name}-apigw-cloudwatch-${data.aws_region.current.name}")

  # With ERROR or INFO, API Gateway writes execution logs to this group, and would create it itself with no
  # retention, outliving the stack. Created here first, it has the stack's retention and is deleted with it.
  execution_log_group_name = "API-Gateway-Execution-Logs_${aws_apigatewayv2_api.this.id}/${var.stage_name}"
}

resource "aws_apigatewayv2_api" "this" {
  name                       = var.name
  description                = var.description
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
  tags                       = var.tags
}

resource "aws_apigatewayv2_integration" "route" {
  for_each = local.routes

  api_id               = aws_apigatewayv2_api.this.id
  integration_type     = "AWS_PROXY"
  integration_method   = "POST"
  integration_uri      = each.value.invoke_arn
  timeout_milliseconds = var.integration_timeout_ms
}

resource "aws_apigatewayv2_route" "route" {
  for_each = local.routes

  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.route[each.key].id}"
  # API Gateway accepts authorization on $connect only.
  authorization_type = each.key == "$connect" ? var.connect_authorization_type : "NONE"
  authorizer_id      = each.key == "$connect" && var.connect_authorization_type == "CUSTOM" ? var.connect_authorizer_id : null
}

# One permission per route, each limited to that route of this stage.
resource "aws_lambda_permission" "route" {
  for_each = local.routes

  statement_id  = local.statement_ids[each.key]
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/${var.stage_name}/${each.key}"
}

resource "aws_cloudwatch_log_group" "access" {
  count = var.access_logs_enabled ? 1 : 0

  name              = "/aws/apigateway/${var.name}/${var.stage_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_cloudwatch_log_group" "execution" {
  count = var.logging_level == "OFF" ? 0 : 1

  name              = local.execution_log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = var.stage_name
  auto_deploy = true

  dynamic "access_log_settings" {
    for_each = var.access_logs_enabled ? [1] : []
    content {
      destination_arn = aws_cloudwatch_log_group.access[0].arn
      format          = local.access_log_format
    }
  }

  # Both limits explicitly: an unset one is 0, which answers every request with 429.
  default_route_settings {
    throttling_burst_limit   = var.throttling_burst_limit
    throttling_rate_limit    = var.throttling_rate_limit
    detailed_metrics_enabled = var.detailed_metrics_enabled
    logging_level            = var.logging_level
    # Full request/response logging would write tokens and messages to CloudWatch.
    data_trace_enabled = false
  }

  tags = var.tags

  depends_on = [aws_api_gateway_account.this, aws_cloudwatch_log_group.execution]

  lifecycle {
    precondition {
      condition     = length(local.unsupported_access_log_variables) == 0
      error_message = "The access log format uses variables a WebSocket API does not support: ${join(", ", local.unsupported_access_log_variables)}."
    }
  }
}

resource "aws_iam_role" "cloudwatch" {
  count = var.create_account_cloudwatch_role ? 1 : 0

  name = local.cloudwatch_role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(local.cloudwatch_role_name) <= 64
      error_message = "The CloudWatch role name ${local.cloudwatch_role_name} is longer than IAM's 64 characters: shorten name or set cloudwatch_role_name."
    }
  }
}

resource "aws_iam_role_policy_attachment" "cloudwatch" {
  count = var.create_account_cloudwatch_role ? 1 : 0

  role       = aws_iam_role.cloudwatch[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count = var.create_account_cloudwatch_role ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.cloudwatch[0].arn
  # On destroy, clear the account setting instead of leaving it pointing at the deleted role.
  reset_on_delete = var.reset_account_on_destroy
  depends_on      = [aws_iam_role_policy_attachment.cloudwatch]
}
