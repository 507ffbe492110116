mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  mock_data "aws_apigatewayv2_api" {
    defaults = {
      protocol_type = "WEBSOCKET"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"
    }
  }
  mock_resource "aws_apigatewayv2_authorizer" {
    defaults = {
      id = "auth42"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/ws-test-authorizer"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/ws-test-authorizer"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:ws-test-authorizer"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:ws-test-authorizer/invocations"
    }
  }
}

variables {
  name         = "ws-test-authorizer"
  api_id       = "abc123"
  user_pool_id = "eu-west-1_AbCdEf123"
  client_ids   = ["clientone", "clienttwo"]
  zip_path     = "../../tests/fixtures/authorizer.zip"
}

run "authorizer_is_a_request_lambda_authorizer_on_the_api" {
  assert {
    condition     = one(values(aws_apigatewayv2_authorizer.this)).authorizer_type == "REQUEST" && one(values(aws_apigatewayv2_authorizer.this)).api_id == "abc123"
    error_message = "authorizer is not a REQUEST authorizer on the given API"
  }
  assert {
    condition     = one(values(aws_apigatewayv2_authorizer.this)).authorizer_uri == "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:ws-test-authorizer/invocations"
    error_message = "authorizer does not invoke the authorizer Lambda"
  }
  assert {
    # HTTP-API-only arguments fail at apply on a WebSocket API.
    condition     = one(values(aws_apigatewayv2_authorizer.this)).authorizer_result_ttl_in_seconds == null || one(values(aws_apigatewayv2_authorizer.this)).authorizer_result_ttl_in_seconds == 0
    error_message = "authorizer sets result caching, which WebSocket APIs reject"
  }
}

run "permission_is_scoped_to_this_authorizer" {
  assert {
    condition     = one(values(aws_lambda_permission.authorizer)).source_arn == "arn:aws:execute-api:eu-west-1:123456789012:abc123/authorizers/auth42"
    error_message = "invoke permission is not scoped to <execution arn>/authorizers/<id>"
  }
  assert {
    condition     = one(values(aws_lambda_permission.authorizer)).principal == "apigateway.amazonaws.com" && one(values(aws_lambda_permission.authorizer)).action == "lambda:InvokeFunction"
    error_message = "permission grants something other than lambda:InvokeFunction to API Gateway"
  }
}

run "several_token_sources_configure_no_identity_source" {
  assert {
    condition     = length(one(values(aws_apigatewayv2_authorizer.this)).identity_sources) == 0
    error_message = "identity sources set with several token sources: API Gateway would demand all of them"
  }
}

run "header_source_alone_requires_the_header" {
  variables {
    token_sources = ["header"]
    token_header  = "X-Auth-Token"
  }
  assert {
    condition     = one(values(aws_apigatewayv2_authorizer.this)).identity_sources == toset(["route.request.header.X-Auth-Token"])
    error_message = "header-only source does not make API Gateway require the token header"
  }
}

run "query_source_alone_requires_the_parameter" {
  variables {
    token_sources     = ["query"]
    token_query_param = "access_token"
  }
  assert {
    condition     = one(values(aws_apigatewayv2_authorizer.this)).identity_sources == toset(["route.request.querystring.access_token"])
    error_message = "query-only source does not make API Gateway require the query parameter"
  }
}

run "protocol_source_alone_requires_sec_websocket_protocol" {
  variables {
    token_sources = ["protocol"]
  }
  assert {
    condition     = one(values(aws_apigatewayv2_authorizer.this)).identity_sources == toset(["route.request.header.Sec-WebSocket-Protocol"])
    error_message = "protocol-only source does not make API Gateway require Sec-WebSocket-Protocol"
  }
}

run "lambda_environment_follows_inputs" {
  variables {
    token_sources   = ["query", "protocol"]
    required_scopes = ["openid", "chat/write"]
    allowed_groups  = ["admins", "chat users"]
  }
  assert {
    condition = output.environment == tomap({
      USER_POOL_ID      = "eu-west-1_AbCdEf123"
      CLIENT_IDS        = "clientone,clienttwo"
      TOKEN_USE         = "access"
      TOKEN_SOURCES     = "query,protocol"
      TOKEN_HEADER      = "Authorization"
      TOKEN_QUERY_PARAM = "token"
      REQUIRED_SCOPES   = "openid chat/write"
      ALLOWED_GROUPS    = "admins,chat users"
      # The defaults of the lifetime-authorization and metrics inputs.
      COGNITO_REVOCATION_CHECK = "off"
      METRICS_NAMESPACE        = "WebSocketAuth"
    })
    error_message = "authorizer environment does not carry the pool, clients, sources, scopes (space-separated) and groups (comma-separated)"
  }
}

run "revocation_check_and_claims_reach_the_environment_and_role" {
  variables {
    context_claims           = ["custom:tenant", "email"]
    revocations_table_name   = "ws-test-revocations"
    revocations_table_arn    = "arn:aws:dynamodb:eu-west-1:123456789012:table/ws-test-revocations"
    cognito_revocation_check = "on"
    userinfo_endpoint        = "https://login.example.com/oauth2/userInfo"
  }
  assert {
    condition = (output.environment["CONTEXT_CLAIMS"] == "custom:tenant,email" &&
      output.environment["REVOCATIONS_TABLE"] == "ws-test-revocations" &&
      output.environment["COGNITO_REVOCATION_CHECK"] == "on" &&
      output.environment["COGNITO_REVOCATION_UNCHECKABLE"] == "deny" &&
      output.environment["COGNITO_REVOCATION_ON_ERROR"] == "deny" &&
    output.environment["USERINFO_ENDPOINT"] == "https://login.example.com/oauth2/userInfo")
    error_message = "claims, revocation table or the Cognito check settings do not reach the authorizer"
  }
  assert {
    condition = jsondecode(output.role_policy_json).Statement == [{
      Sid      = "ReadRevocation"
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem"]
      Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-test-revocations"]
    }]
    error_message = "the authorizer may do more (or less) than GetItem on the revocations table"
  }
}

run "refused_claim_configurations" {
  command = plan
  variables {
    context_claims = ["custom:tenant", "custom_tenant", "cognito:groups"]
  }
  expect_failures = [var.context_claims]
}

run "revocation_check_with_id_tokens_is_refused" {
  command = plan
  variables {
    token_use                = "id"
    cognito_revocation_check = "on"
    userinfo_endpoint        = "https://login.example.com/oauth2/userInfo"
  }
  expect_failures = [var.cognito_revocation_check]
}

run "revocation_check_without_userinfo_is_refused" {
  command = plan
  variables {
    cognito_revocation_check = "on"
  }
  expect_failures = [var.userinfo_endpoint]
}

run "authorizer_role_has_only_its_logs" {
  assert {
    condition     = output.role_policy_json == null
    error_message = "authorizer role has AWS permissions beyond writing its logs"
  }
  assert {
    condition     = output.log_retention_days == 30
    error_message = "authorizer log group has no retention"
  }
}

run "non_websocket_api_is_refused" {
  command = plan
  override_data {
    target = data.aws_apigatewayv2_api.this
    values = {
      protocol_type = "HTTP"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"
    }
  }
  expect_failures = [data.aws_apigatewayv2_api.this]
}

run "unknown_token_source_is_refused" {
  command = plan
  variables {
    token_sources = ["cookie"]
  }
  expect_failures = [var.token_sources]
}

run "bad_user_pool_id_is_refused" {
  command = plan
  variables {
    user_pool_id = "AbCdEf123"
  }
  expect_failures = [var.user_pool_id]
}

run "scopes_with_id_tokens_are_refused" {
  command = plan
  variables {
    token_use       = "id"
    required_scopes = ["openid"]
  }
  expect_failures = [var.required_scopes]
}

run "sec_websocket_protocol_as_token_header_is_refused" {
  command = plan
  variables {
    token_header = "Sec-WebSocket-Protocol"
  }
  expect_failures = [var.token_header]
}

run "bad_runtime_is_refused" {
  command = plan
  variables {
    runtime = "python3.12"
  }
  expect_failures = [var.runtime]
}

run "each_enforced_source_has_its_own_authorizer_instance" {
  variables {
    token_sources = ["header"]
  }
  assert {
    # Switching to or from one enforced source replaces the authorizer (create, move $connect, delete) instead of
    # an UpdateAuthorizer from one identity source to none, whose effect is not documented.
    condition     = keys(aws_apigatewayv2_authorizer.this) == ["header"] && output.authorizer_name == "ws-test-authorizer-header"
    error_message = "a single header source does not get its own authorizer instance and name"
  }
  assert {
    condition     = keys(aws_lambda_permission.authorizer) == ["header"] && aws_lambda_permission.authorizer["header"].statement_id == "AllowApiGatewayAuthorizer-header"
    error_message = "the authorizer instance has no permission of its own"
  }
}

run "several_sources_keep_the_plain_name_and_a_short_delete_timeout" {
  assert {
    condition     = keys(aws_apigatewayv2_authorizer.this) == ["any"] && output.authorizer_name == "ws-test-authorizer"
    error_message = "several token sources do not use the 'any' instance named after the module"
  }
  assert {
    condition     = aws_apigatewayv2_authorizer.this["any"].timeouts.delete == "5m"
    error_message = "destroy would retry a ConflictException for the provider's default 30 minutes"
  }
  assert {
    condition     = module.function.role_name == "ws-test-authorizer-eu-west-1"
    error_message = "the authorizer role name does not include the region (IAM names are global to the account)"
  }
}

run "identity_source_name_outside_api_gateway_characters_is_refused" {
  command = plan
  variables {
    token_header      = "X-Token~v1"
    token_query_param = "tok~en"
  }
  expect_failures = [var.token_header, var.token_query_param]
}
