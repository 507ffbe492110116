# The whole stack against a mocked AWS provider (apply mode: every computed value is a known mock, nothing
# leaves the machine). Zips come from tests/fixtures, so `make build` is not needed.
mock_provider "aws" {
  mock_resource "aws_cognito_user_pool" {
    defaults = {
      id       = "eu-west-1_AbCdEf123"
      arn      = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123"
      endpoint = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
    }
  }
  mock_resource "aws_cognito_user_pool_client" {
    defaults = {
      id = "webclient123"
    }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/ws-auth-fn"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:ws-auth"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:ws-auth-fn"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:ws-auth-fn/invocations"
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
  mock_resource "aws_apigatewayv2_authorizer" {
    defaults = {
      id = "auth42"
    }
  }
  mock_data "aws_apigatewayv2_api" {
    defaults = {
      protocol_type = "WEBSOCKET"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
}

variables {
  lambda_zip_dir = "tests/fixtures"
}

run "connect_route_uses_the_cognito_authorizer" {
  assert {
    condition     = module.websocket_api.routes["$connect"].authorization_type == "CUSTOM"
    error_message = "$connect is not CUSTOM-authorized"
  }
  assert {
    condition     = module.websocket_api.routes["$connect"].authorizer_id == module.authorizer.authorizer_id && output.authorizer_id == "auth42"
    error_message = "$connect does not use the stack's authorizer"
  }
  assert {
    condition     = module.websocket_api.routes["$default"].authorization_type == "NONE" && module.websocket_api.routes["$disconnect"].authorization_type == "NONE"
    error_message = "$default or $disconnect carries authorization"
  }
}

run "authorizer_trusts_the_created_pool_and_client" {
  assert {
    condition = (module.authorizer.environment["USER_POOL_ID"] == "eu-west-1_AbCdEf123" &&
      module.authorizer.environment["CLIENT_IDS"] == "webclient123" &&
      module.authorizer.environment["TOKEN_SOURCES"] == "header,query,protocol" &&
      module.authorizer.environment["TOKEN_USE"] == "access" &&
      module.authorizer.environment["REQUIRED_SCOPES"] == "" &&
    module.authorizer.environment["ALLOWED_GROUPS"] == "")
    error_message = "authorizer environment does not name the created pool, client and default token settings"
  }
}

run "several_token_sources_set_no_identity_source" {
  assert {
    condition     = length(output.identity_sources) == 0
    error_message = "identity sources set while several token sources are allowed: API Gateway would require all of them"
  }
}

run "query_token_source_alone_becomes_the_identity_source" {
  variables {
    token_sources     = ["query"]
    token_query_param = "access_token"
  }
  assert {
    condition     = output.identity_sources == tolist(["route.request.querystring.access_token"])
    error_message = "a single query token source is not API Gateway's identity source"
  }
  assert {
    condition     = module.connect_function.environment_variables["TOKEN_QUERY_PARAM"] == "access_token"
    error_message = "connection functions do not know which query parameter to leave out of the stored item"
  }
}

run "protocol_token_source_alone_requires_sec_websocket_protocol" {
  variables {
    token_sources = ["protocol"]
  }
  assert {
    condition     = output.identity_sources == tolist(["route.request.header.Sec-WebSocket-Protocol"])
    error_message = "protocol-only token source does not require Sec-WebSocket-Protocol"
  }
}

run "every_lambda_permission_has_an_exact_source_arn" {
  assert {
    condition = module.websocket_api.lambda_permission_source_arns == {
      "$connect"    = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$connect"
      "$disconnect" = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$disconnect"
      "$default"    = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$default"
    }
    error_message = "a route permission is missing or not scoped to its route and stage"
  }
  assert {
    condition     = module.authorizer.permission_source_arn == "arn:aws:execute-api:eu-west-1:123456789012:abc123/authorizers/auth42"
    error_message = "authorizer permission is not scoped to authorizers/<id>"
  }
}

run "connect_may_only_put_items_in_the_table" {
  assert {
    condition = jsondecode(module.connect_function.policy_json).Statement == [{
      Sid      = "StoreConnection"
      Effect   = "Allow"
      Action   = ["dynamodb:PutItem"]
      Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections"]
    }]
    error_message = "connect's policy is not exactly dynamodb:PutItem on the table"
  }
}

run "disconnect_may_only_delete_items_in_the_table" {
  assert {
    condition = jsondecode(module.disconnect_function.policy_json).Statement == [{
      Sid      = "RemoveConnection"
      Effect   = "Allow"
      Action   = ["dynamodb:DeleteItem"]
      Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections"]
    }]
    error_message = "disconnect's policy is not exactly dynamodb:DeleteItem on the table"
  }
}

run "default_may_get_delete_items_and_post_delete_connections_of_this_stage" {
  assert {
    condition = jsondecode(module.default_function.policy_json).Statement == [
      {
        Sid      = "ReadAndExpireConnection"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:DeleteItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections"]
      },
      {
        Sid    = "ReplyAndDisconnect"
        Effect = "Allow"
        Action = ["execute-api:ManageConnections"]
        Resource = [
          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/@connections/*",
          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/DELETE/@connections/*",
        ]
      },
    ]
    error_message = "default's policy is not exactly Get/DeleteItem on the table and ManageConnections POST/DELETE on this stage"
  }
}

run "authorizer_has_no_aws_permissions_beyond_logs" {
  assert {
    condition     = module.authorizer.role_policy_json == null
    error_message = "authorizer role has permissions beyond its logs"
  }
}

run "no_policy_grants_a_wildcard_action" {
  assert {
    condition = alltrue(flatten([
      for p in [module.connect_function.policy_json, module.disconnect_function.policy_json, module.default_function.policy_json,
        module.connect_function.logs_policy_json, module.disconnect_function.logs_policy_json, module.default_function.logs_policy_json] : [
        for s in jsondecode(p).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]
      ]
    ]))
    error_message = "an IAM policy grants a wildcard action"
  }
  assert {
    condition = alltrue(flatten([
      for p in [module.connect_function.policy_json, module.disconnect_function.policy_json, module.default_function.policy_json] : [
        for s in jsondecode(p).Statement : [for r in flatten([s.Resource]) : r != "*"]
      ]
    ]))
    error_message = "an IAM policy applies to every resource"
  }
}

run "connection_functions_get_the_contract_environment" {
  variables {
    connection_ttl_seconds = 3600
    stored_headers         = ["User-Agent", "X-Forwarded-For"]
  }
  assert {
    condition = alltrue([for env in [
      module.connect_function.environment_variables,
      module.default_function.environment_variables,
      module.disconnect_function.environment_variables,
      ] : env == tomap({
        CONNECTIONS_TABLE      = module.connections_table.name
        CONNECTION_TTL_SECONDS = "3600"
        STORED_HEADERS         = "User-Agent,X-Forwarded-For"
        TOKEN_QUERY_PARAM      = "token"
    })])
    error_message = "a connection function lacks CONNECTIONS_TABLE, CONNECTION_TTL_SECONDS, STORED_HEADERS or TOKEN_QUERY_PARAM"
  }
}

run "table_has_pitr_encryption_and_ttl" {
  assert {
    condition     = module.connections_table.point_in_time_recovery_enabled
    error_message = "connections table has no point-in-time recovery"
  }
  assert {
    condition     = module.connections_table.server_side_encryption.enabled
    error_message = "connections table is not KMS-encrypted"
  }
  assert {
    condition     = module.connections_table.ttl_enabled
    error_message = "connections table has no TTL on `ttl`"
  }
  assert {
    condition     = module.connections_table.deletion_protection_enabled
    error_message = "connections table is not deletion-protected by default"
  }
}

run "every_log_group_has_the_retention" {
  variables {
    log_retention_days = 90
  }
  assert {
    condition = [
      module.authorizer.log_retention_days,
      module.connect_function.log_retention_days,
      module.default_function.log_retention_days,
      module.disconnect_function.log_retention_days,
      module.websocket_api.access_log_retention_days,
    ] == [90, 90, 90, 90, 90]
    error_message = "a log group does not have the configured retention"
  }
}

run "stage_throttling_is_set_and_positive" {
  assert {
    condition     = module.websocket_api.throttling.burst_limit > 0 && module.websocket_api.throttling.rate_limit > 0
    error_message = "a stage throttling limit is zero or unset, which rejects every request with 429"
  }
  assert {
    condition     = module.websocket_api.throttling.burst_limit == var.throttling_burst_limit && module.websocket_api.throttling.rate_limit == var.throttling_rate_limit
    error_message = "stage throttling differs from the inputs"
  }
}

run "access_logs_can_be_switched_off" {
  variables {
    api_access_logs_enabled = false
  }
  assert {
    condition     = output.log_groups.api_access == null && module.websocket_api.access_log_retention_days == null
    error_message = "the access log group remains although api_access_logs_enabled is false"
  }
}

run "outputs_give_the_web_app_what_it_needs" {
  assert {
    condition     = output.websocket_url == "wss://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    error_message = "websocket_url is not the wss:// stage URL"
  }
  assert {
    condition     = output.management_endpoint == "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    error_message = "management_endpoint is not the https:// stage URL"
  }
  assert {
    condition     = can(regex("^https://ws-auth-[0-9a-f]{10}\\.auth\\.eu-west-1\\.amazoncognito\\.com$", output.hosted_ui_url))
    error_message = "hosted_ui_url is not https://<prefix>.auth.<region>.amazoncognito.com: ${output.hosted_ui_url}"
  }
  assert {
    condition     = output.client_id == "webclient123" && output.user_pool_id == "eu-west-1_AbCdEf123"
    error_message = "client_id or user_pool_id output is wrong"
  }
  assert {
    condition     = output.redirect_uri == "http://localhost:3000/" && output.logout_uri == "http://localhost:3000/"
    error_message = "redirect_uri / logout_uri do not default to http://localhost:3000/"
  }
  assert {
    condition     = output.scopes == tolist(["openid", "email", "profile"])
    error_message = "scopes output is not the client's scopes"
  }
  assert {
    condition     = output.issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
    error_message = "issuer output is wrong"
  }
  assert {
    condition     = output.function_names == { authorizer = "ws-auth-authorizer", connect = "ws-auth-connect", default = "ws-auth-default", disconnect = "ws-auth-disconnect" }
    error_message = "function names are not <name>-<role>"
  }
  assert {
    condition     = output.table_name == "ws-auth-connections" && output.region == "eu-west-1"
    error_message = "table_name or region output is wrong"
  }
}

run "existing_user_pool_creates_no_pool" {
  variables {
    existing_user_pool_id  = "us-east-1_Existing1"
    existing_client_ids    = ["clienta", "clientb"]
    existing_hosted_ui_url = "https://login.example.com"
  }
  assert {
    condition     = length(module.user_pool) == 0
    error_message = "a user pool was created although an existing one was given"
  }
  assert {
    condition     = module.authorizer.environment["USER_POOL_ID"] == "us-east-1_Existing1" && module.authorizer.environment["CLIENT_IDS"] == "clienta,clientb"
    error_message = "authorizer does not trust the existing pool and its clients"
  }
  assert {
    condition     = output.client_id == "clienta" && output.hosted_ui_url == "https://login.example.com" && output.issuer == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Existing1"
    error_message = "outputs do not describe the existing pool"
  }
}

run "bad_domain_prefix_is_refused" {
  command = plan
  variables {
    domain_prefix = "aws-login"
  }
  expect_failures = [var.domain_prefix]
}

run "unknown_token_source_is_refused" {
  command = plan
  variables {
    token_sources = ["header", "cookie"]
  }
  expect_failures = [var.token_sources]
}

run "zero_throttling_is_refused" {
  command = plan
  variables {
    throttling_burst_limit = 0
    throttling_rate_limit  = 0
  }
  expect_failures = [var.throttling_burst_limit, var.throttling_rate_limit]
}

run "bad_runtime_is_refused" {
  command = plan
  variables {
    lambda_runtime = "nodejs18.x"
  }
  expect_failures = [var.lambda_runtime]
}

run "required_scope_the_client_cannot_request_is_refused" {
  command = plan
  variables {
    required_scopes = ["chat/write"]
  }
  expect_failures = [var.required_scopes]
}

run "existing_pool_without_clients_is_refused" {
  command = plan
  variables {
    existing_user_pool_id = "us-east-1_Existing1"
  }
  expect_failures = [var.existing_client_ids]
}

run "plain_http_callback_is_refused" {
  command = plan
  variables {
    callback_urls = ["http://app.example.com/"]
  }
  expect_failures = [var.callback_urls]
}

run "customer_table_key_is_granted_to_every_role_touching_the_table" {
  variables {
    table_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  assert {
    condition = [for st in jsondecode(module.connect_function.policy_json).Statement : st if st.Sid == "UseTableKey"] == [{
      Sid      = "UseTableKey"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
      Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    }]
    error_message = "connect (a writer) lacks Decrypt, DescribeKey and GenerateDataKey on the table key"
  }
  assert {
    condition = alltrue([for p in [module.default_function.policy_json, module.disconnect_function.policy_json] :
      [for st in jsondecode(p).Statement : st if st.Sid == "UseTableKey"] == [{
        Sid      = "UseTableKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:DescribeKey"]
        Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    }]])
    error_message = "default or disconnect lacks exactly Decrypt and DescribeKey on the table key"
  }
}

run "role_names_carry_the_region_and_execution_logs_get_a_group" {
  variables {
    api_logging_level = "ERROR"
  }
  assert {
    condition = [module.connect_function.role_name, module.default_function.role_name, module.disconnect_function.role_name] == [
    "ws-auth-connect-eu-west-1", "ws-auth-default-eu-west-1", "ws-auth-disconnect-eu-west-1"]
    error_message = "role names do not carry the region: a second region would collide (IAM names are global)"
  }
  assert {
    condition     = output.log_groups.api_execution == "API-Gateway-Execution-Logs_abc123/prod" && module.websocket_api.execution_log_retention_days == 30
    error_message = "execution logging has no log group of the stack's with its retention"
  }
  assert {
    condition     = jsondecode(module.websocket_api.access_log_format).integrationError == "$context.integration.error"
    error_message = "the access log uses the HTTP/REST variable $context.integrationErrorMessage, which a WebSocket stage refuses"
  }
}

run "name_too_long_for_the_region_is_refused" {
  command = plan
  variables {
    name   = "a-forty-character-stack-name-for-testing"
    region = "ap-southeast-2"
  }
  expect_failures = [var.name]
}

run "custom_scope_on_the_created_pool_is_refused" {
  command = plan
  variables {
    oauth_scopes = ["openid", "chat/write"]
  }
  expect_failures = [var.oauth_scopes]
}

run "limits_aws_checks_and_moto_does_not_are_refused" {
  command = plan
  variables {
    token_header      = "X~Token"
    token_query_param = "t~k"
    callback_urls     = ["https://app.example.com/${format("%01100d", 0)}"]
    table_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [var.token_header, var.token_query_param, var.callback_urls, var.table_kms_key_arn]
}

run "groups_overflowing_the_lambda_environment_are_refused" {
  command = plan
  variables {
    # 32 groups of 128 characters: more than Lambda's 4 KB environment.
    allowed_groups = [for i in range(32) : format("g%0127d", i)]
  }
  expect_failures = [var.allowed_groups]
}
