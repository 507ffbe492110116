mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      id            = "abc123"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"
      api_endpoint  = "wss://abc123.execute-api.eu-west-1.amazonaws.com"
    }
  }
  mock_resource "aws_apigatewayv2_stage" {
    defaults = {
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/ws-test/prod"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/ws-test-apigateway-cloudwatch"
    }
  }
}

variables {
  name                  = "ws-test"
  connect_authorizer_id = "auth42"
  connect_function = {
    function_name = "ws-test-connect"
    invoke_arn    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:ws-test-connect/invocations"
  }
  disconnect_function = {
    function_name = "ws-test-disconnect"
    invoke_arn    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:ws-test-disconnect/invocations"
  }
  default_function = {
    function_name = "ws-test-default"
    invoke_arn    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:ws-test-default/invocations"
  }
}

run "api_is_websocket_with_action_route_selection" {
  assert {
    condition     = aws_apigatewayv2_api.this.protocol_type == "WEBSOCKET" && aws_apigatewayv2_api.this.route_selection_expression == "$request.body.action"
    error_message = "API is not WEBSOCKET with route selection $request.body.action"
  }
}

run "connect_uses_custom_authorizer_and_others_none" {
  assert {
    condition     = aws_apigatewayv2_route.route["$connect"].authorization_type == "CUSTOM" && aws_apigatewayv2_route.route["$connect"].authorizer_id == "auth42"
    error_message = "$connect is not CUSTOM with the given authorizer"
  }
  assert {
    condition = alltrue([for k in ["$disconnect", "$default"] :
    aws_apigatewayv2_route.route[k].authorization_type == "NONE" && aws_apigatewayv2_route.route[k].authorizer_id == null])
    error_message = "$disconnect or $default carries authorization, which API Gateway refuses"
  }
  assert {
    condition     = keys(aws_apigatewayv2_route.route) == ["$connect", "$default", "$disconnect"]
    error_message = "routes are not exactly $connect, $default and $disconnect"
  }
}

run "integrations_are_aws_proxy_post_to_each_function" {
  assert {
    condition = alltrue([for k, i in aws_apigatewayv2_integration.route :
    i.integration_type == "AWS_PROXY" && i.integration_method == "POST"])
    error_message = "an integration is not AWS_PROXY with POST"
  }
  assert {
    condition     = aws_apigatewayv2_integration.route["$disconnect"].integration_uri == var.disconnect_function.invoke_arn
    error_message = "$disconnect does not invoke the disconnect function"
  }
  assert {
    condition     = aws_apigatewayv2_route.route["$default"].target == "integrations/${aws_apigatewayv2_integration.route["$default"].id}"
    error_message = "$default route does not target its own integration"
  }
}

run "every_lambda_permission_has_its_route_source_arn" {
  assert {
    condition = { for k, p in aws_lambda_permission.route : k => p.source_arn } == {
      "$connect"    = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$connect"
      "$disconnect" = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$disconnect"
      "$default"    = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$default"
    }
    error_message = "a Lambda permission lacks the exact source ARN of its route and stage"
  }
  assert {
    condition = alltrue([for k, p in aws_lambda_permission.route :
    p.principal == "apigateway.amazonaws.com" && p.action == "lambda:InvokeFunction"])
    error_message = "a permission grants something other than lambda:InvokeFunction to API Gateway"
  }
  assert {
    condition     = aws_lambda_permission.route["$connect"].function_name == "ws-test-connect"
    error_message = "$connect permission is on the wrong function"
  }
}

run "stage_throttles_logs_and_measures" {
  variables {
    throttling_burst_limit = 20
    throttling_rate_limit  = 10
  }
  assert {
    condition = (aws_apigatewayv2_stage.this.default_route_settings[0].throttling_burst_limit == 20 &&
    aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit == 10)
    error_message = "stage throttling limits are not the ones given"
  }
  assert {
    condition     = aws_apigatewayv2_stage.this.default_route_settings[0].detailed_metrics_enabled && !aws_apigatewayv2_stage.this.default_route_settings[0].data_trace_enabled
    error_message = "detailed metrics are off or full data tracing (which logs tokens) is on"
  }
  assert {
    condition     = aws_apigatewayv2_stage.this.auto_deploy
    error_message = "stage does not auto-deploy route changes"
  }
  assert {
    condition     = aws_apigatewayv2_stage.this.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.access[0].arn
    error_message = "access logs do not go to the module's log group"
  }
  assert {
    condition     = jsondecode(aws_apigatewayv2_stage.this.access_log_settings[0].format).routeKey == "$context.routeKey"
    error_message = "access log format is not JSON with the route key"
  }
  assert {
    condition     = aws_cloudwatch_log_group.access[0].retention_in_days == 30
    error_message = "access log group has no 30-day default retention"
  }
}

run "access_log_format_uses_only_websocket_variables" {
  assert {
    # The WebSocket list of the API Gateway developer guide; CreateStage refuses anything else.
    condition = alltrue([for m in regexall("\\$context\\.([A-Za-z0-9_.]+)", output.access_log_format) : contains([
      "apiId", "authorize.error", "authorize.latency", "authorize.status", "authorizer.error",
      "authorizer.integrationLatency", "authorizer.integrationStatus", "authorizer.latency", "authorizer.requestId",
      "authorizer.status", "authorizer.principalId", "authenticate.error", "authenticate.latency", "authenticate.status",
      "connectedAt", "connectionId", "domainName", "error.message", "error.messageString", "error.responseType",
      "error.validationErrorString", "eventType", "extendedRequestId", "identity.sourceIp", "identity.userAgent",
      "integration.error", "integration.integrationStatus", "integration.latency", "integration.requestId",
      "integration.status", "integrationLatency", "messageId", "requestId", "requestTime", "requestTimeEpoch",
      "routeKey", "stage", "status",
    ], m[0])])
    error_message = "the access log format uses a variable outside the WebSocket list: ${output.access_log_format}"
  }
  assert {
    condition     = length(aws_cloudwatch_log_group.execution) == 0
    error_message = "an execution log group exists although logging_level is OFF"
  }
}

run "throttling_defaults_are_positive" {
  assert {
    condition = (aws_apigatewayv2_stage.this.default_route_settings[0].throttling_burst_limit > 0 &&
    aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit > 0)
    error_message = "a default throttling limit is zero, which rejects every request"
  }
}

run "outputs_give_urls_and_manage_connections_arns" {
  assert {
    condition     = output.websocket_url == "wss://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    error_message = "websocket_url is not wss://<api>.execute-api.<region>.amazonaws.com/<stage>"
  }
  assert {
    condition     = output.management_endpoint == "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    error_message = "management_endpoint is not https://<api>.execute-api.<region>.amazonaws.com/<stage>"
  }
  assert {
    condition     = output.manage_connections_arns["POST"] == "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/@connections/*"
    error_message = "ManageConnections ARN for POST is wrong"
  }
}

run "extra_routes_get_integration_route_and_permission" {
  variables {
    extra_routes = {
      sendMessage = var.default_function
      "send.msg"  = var.default_function
      sendmsg     = var.default_function
    }
  }
  assert {
    condition     = aws_apigatewayv2_route.route["sendMessage"].authorization_type == "NONE"
    error_message = "extra route was not created without authorization"
  }
  assert {
    condition     = aws_lambda_permission.route["sendMessage"].source_arn == "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/sendMessage"
    error_message = "extra route permission lacks its exact source ARN"
  }
  assert {
    condition     = length(distinct([for p in aws_lambda_permission.route : p.statement_id])) == 6
    error_message = "two routes share a permission statement id"
  }
}

run "account_cloudwatch_role_only_when_asked" {
  assert {
    condition     = length(aws_api_gateway_account.this) == 0 && length(aws_iam_role.cloudwatch) == 0
    error_message = "the account-level CloudWatch role was created without being asked for"
  }
}

run "account_cloudwatch_role_when_asked" {
  variables {
    create_account_cloudwatch_role = true
    logging_level                  = "ERROR"
  }
  assert {
    # IAM role names are global to the account: a second region must not collide.
    condition     = aws_iam_role.cloudwatch[0].name == "ws-test-apigw-cloudwatch-eu-west-1"
    error_message = "the CloudWatch role name does not include the region: ${aws_iam_role.cloudwatch[0].name}"
  }
  assert {
    condition     = aws_api_gateway_account.this[0].reset_on_delete == true
    error_message = "destroying the stack would leave the account pointing at a deleted CloudWatch role"
  }
  assert {
    condition     = aws_cloudwatch_log_group.execution[0].name == "API-Gateway-Execution-Logs_abc123/prod" && aws_cloudwatch_log_group.execution[0].retention_in_days == 30
    error_message = "ERROR execution logging does not get its log group with the retention (API Gateway would create one without)"
  }
  assert {
    condition     = aws_api_gateway_account.this[0].cloudwatch_role_arn == aws_iam_role.cloudwatch[0].arn
    error_message = "account setting does not use the created role"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.cloudwatch[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    error_message = "CloudWatch role lacks the API Gateway push-to-logs managed policy"
  }
}

run "tags_reach_api_stage_and_log_group" {
  variables {
    tags = { Team = "platform" }
  }
  assert {
    condition = alltrue([
      aws_apigatewayv2_api.this.tags["Team"] == "platform",
      aws_apigatewayv2_stage.this.tags["Team"] == "platform",
      aws_cloudwatch_log_group.access[0].tags["Team"] == "platform",
    ])
    error_message = "tags missing on the API, the stage or the log group"
  }
}

run "access_logs_can_be_turned_off_for_accounts_without_the_role" {
  variables {
    access_logs_enabled = false
  }
  assert {
    condition     = length(aws_apigatewayv2_stage.this.access_log_settings) == 0 && length(aws_cloudwatch_log_group.access) == 0
    error_message = "access logs or their log group remain although access_logs_enabled is false"
  }
}

run "zero_burst_throttling_is_refused" {
  command = plan
  variables {
    throttling_burst_limit = 0
  }
  expect_failures = [var.throttling_burst_limit]
}

run "zero_rate_throttling_is_refused" {
  command = plan
  variables {
    throttling_rate_limit = 0
  }
  expect_failures = [var.throttling_rate_limit]
}

run "custom_without_authorizer_is_refused" {
  command = plan
  variables {
    connect_authorizer_id = null
  }
  expect_failures = [var.connect_authorizer_id]
}

run "dollar_extra_route_is_refused" {
  command = plan
  variables {
    extra_routes = { "$connect" = var.default_function }
  }
  expect_failures = [var.extra_routes]
}

run "cloudwatch_role_name_over_64_characters_is_refused" {
  command = plan
  variables {
    name                           = "a-websocket-api-name-that-is-long-enough-to-overflow"
    create_account_cloudwatch_role = true
  }
  expect_failures = [aws_iam_role.cloudwatch]
}
