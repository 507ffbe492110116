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
  mock_resource "aws_cloudwatch_event_bus" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:event-bus/ws-auth-control"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/ws-auth-control/ws-auth-control"
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

# Both tables are aws_dynamodb_table: the revocations table gets its own ARN.
override_resource {
  target = aws_dynamodb_table.revocations
  values = {
    arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-revocations"
  }
}

variables {
  lambda_zip_dir = "tests/fixtures"
}

# Runs are few and assert much: each run plans and applies the whole stack, and CI time counts.

run "default_stack_wiring" {
  assert {
    condition     = module.websocket_api.routes["$connect"].authorization_type == "CUSTOM" && module.websocket_api.routes["$connect"].authorizer_id == "auth42" && output.authorizer_id == "auth42"
    error_message = "$connect is not CUSTOM-authorized by the stack's authorizer"
  }
  assert {
    condition     = alltrue([for k in ["$default", "$disconnect", "refresh"] : module.websocket_api.routes[k].authorization_type == "NONE"])
    error_message = "a route other than $connect carries authorization, which API Gateway refuses"
  }
  assert {
    condition     = keys(module.websocket_api.routes) == ["$connect", "$default", "$disconnect", "refresh"]
    error_message = "routes are not exactly $connect, $default, $disconnect and refresh"
  }
  assert {
    condition = (module.authorizer.environment["USER_POOL_ID"] == "eu-west-1_AbCdEf123" &&
      module.authorizer.environment["CLIENT_IDS"] == "webclient123" &&
      module.authorizer.environment["TOKEN_SOURCES"] == "header,query,protocol" &&
      module.authorizer.environment["TOKEN_USE"] == "access" &&
      module.authorizer.environment["REQUIRED_SCOPES"] == "" &&
      module.authorizer.environment["ALLOWED_GROUPS"] == "" &&
      module.authorizer.environment["REVOCATIONS_TABLE"] == "ws-auth-revocations" &&
      module.authorizer.environment["COGNITO_REVOCATION_CHECK"] == "off" &&
    module.authorizer.environment["METRICS_NAMESPACE"] == "WebSocketAuth")
    error_message = "authorizer environment does not name the created pool, client, revocations table and default settings"
  }
  assert {
    condition     = length(output.identity_sources) == 0
    error_message = "identity sources set while several token sources are allowed: API Gateway would require all of them"
  }
  assert {
    condition = module.websocket_api.lambda_permission_source_arns == {
      "$connect"    = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$connect"
      "$disconnect" = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$disconnect"
      "$default"    = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$default"
      "refresh"     = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/refresh"
    }
    error_message = "a route permission is missing or not scoped to its route and stage"
  }
  assert {
    condition     = module.authorizer.permission_source_arn == "arn:aws:execute-api:eu-west-1:123456789012:abc123/authorizers/auth42"
    error_message = "authorizer permission is not scoped to authorizers/<id>"
  }
  assert {
    condition     = module.connections_table.point_in_time_recovery_enabled && module.connections_table.server_side_encryption.enabled && module.connections_table.ttl_enabled && module.connections_table.deletion_protection_enabled
    error_message = "connections table lacks point-in-time recovery, KMS encryption, TTL on ttl or default deletion protection"
  }
  assert {
    condition = (aws_dynamodb_table.revocations[0].name == "ws-auth-revocations" && aws_dynamodb_table.revocations[0].hash_key == "sub" &&
      one(aws_dynamodb_table.revocations[0].attribute).name == "sub" && one(aws_dynamodb_table.revocations[0].attribute).type == "S" &&
      aws_dynamodb_table.revocations[0].ttl[0].attribute_name == "ttl" && aws_dynamodb_table.revocations[0].ttl[0].enabled &&
      aws_dynamodb_table.revocations[0].point_in_time_recovery[0].enabled && aws_dynamodb_table.revocations[0].server_side_encryption[0].enabled &&
    aws_dynamodb_table.revocations[0].deletion_protection_enabled && aws_dynamodb_table.revocations[0].billing_mode == "PAY_PER_REQUEST")
    error_message = "revocations table is not <name>-revocations keyed by sub (S) with TTL on ttl, PITR, KMS and deletion protection"
  }
  assert {
    condition     = module.websocket_api.throttling.burst_limit == 500 && module.websocket_api.throttling.rate_limit == 1000
    error_message = "stage throttling is not the positive defaults (an unset limit is 0, which rejects everything)"
  }
}

run "least_privilege_of_every_role" {
  assert {
    condition = jsondecode(module.connect_function.policy_json).Statement == [
      {
        Sid      = "StoreConnection"
        Effect   = "Allow"
        Action   = ["dynamodb:PutItem", "dynamodb:DeleteItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections"]
      },
      {
        Sid      = "CountUserConnections"
        Effect   = "Allow"
        Action   = ["dynamodb:Query"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections/index/sub-index"]
      },
      {
        Sid      = "CheckConnection"
        Effect   = "Allow"
        Action   = ["execute-api:ManageConnections"]
        Resource = ["arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/@connections/*"]
      },
      {
        Sid      = "ReadRevocation"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-revocations"]
      },
    ]
    error_message = "connect's policy is not exactly PutItem/DeleteItem on the table, Query on sub-index, GET @connections of this stage and GetItem on revocations"
  }
  assert {
    condition = jsondecode(module.disconnect_function.policy_json).Statement == [{
      Sid      = "RemoveConnection"
      Effect   = "Allow"
      Action   = ["dynamodb:DeleteItem"]
      Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections"]
    }]
    error_message = "disconnect's policy is not exactly dynamodb:DeleteItem on the table"
  }
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
  assert {
    condition = jsondecode(module.refresh_function.policy_json).Statement == [
      {
        Sid      = "ReadAndExtendConnection"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections"]
      },
      {
        Sid    = "ReplyAndClose"
        Effect = "Allow"
        Action = ["execute-api:ManageConnections"]
        Resource = [
          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/@connections/*",
          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/DELETE/@connections/*",
        ]
      },
      {
        Sid      = "ReadRevocation"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-revocations"]
      },
    ]
    error_message = "refresh's policy is not exactly Get/UpdateItem on connections, POST/DELETE on this stage and GetItem on revocations"
  }
  assert {
    condition = jsondecode(module.authorizer.role_policy_json).Statement == [{
      Sid      = "ReadRevocation"
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem"]
      Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-revocations"]
    }]
    error_message = "the authorizer may do more than GetItem on the revocations table"
  }
  assert {
    condition = jsondecode(module.control_function.policy_json).Statement == [
      {
        Sid      = "FindUserConnections"
        Effect   = "Allow"
        Action   = ["dynamodb:Query"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections/index/sub-index"]
      },
      {
        Sid      = "ReadAndRemoveConnections"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:DeleteItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-connections"]
      },
      {
        Sid    = "PushAndDisconnect"
        Effect = "Allow"
        Action = ["execute-api:ManageConnections"]
        Resource = [
          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/@connections/*",
          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/DELETE/@connections/*",
        ]
      },
      {
        Sid      = "RecordRevocation"
        Effect   = "Allow"
        Action   = ["dynamodb:PutItem"]
        Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/ws-auth-revocations"]
      },
    ]
    error_message = "control's policy is not exactly Query on sub-index, Get/DeleteItem on connections, POST/DELETE on this stage and PutItem on revocations"
  }
  assert {
    condition = alltrue(flatten([
      for m in [module.connect_function, module.disconnect_function, module.default_function, module.refresh_function, module.control_function] : [
        for p in [m.policy_json, m.logs_policy_json] : [
          for st in jsondecode(p).Statement : [for a in flatten([st.Action]) : !strcontains(a, "*")]
        ]
      ]
    ]))
    error_message = "an IAM policy grants a wildcard action"
  }
  assert {
    condition = alltrue(flatten([
      for m in [module.connect_function, module.disconnect_function, module.default_function, module.refresh_function, module.control_function] : [
        for st in jsondecode(m.policy_json).Statement : [for r in flatten([st.Resource]) : r != "*"]
      ]
    ]))
    error_message = "an IAM policy applies to every resource"
  }
  assert {
    condition     = length(aws_lambda_permission.control_invoke) == 0 && length(aws_cloudwatch_event_bus.control) == 0
    error_message = "the control function may be invoked by someone nobody named"
  }
}

run "functions_get_the_contract_environment" {
  variables {
    connection_ttl_seconds = 3600
    stored_headers         = ["User-Agent", "X-Forwarded-For"]
    context_claims         = ["custom:tenant"]
  }
  assert {
    condition = module.disconnect_function.environment_variables == tomap({
      CONNECTIONS_TABLE      = "ws-auth-connections"
      CONNECTION_TTL_SECONDS = "3600"
      STORED_HEADERS         = "User-Agent,X-Forwarded-For"
      TOKEN_QUERY_PARAM      = "token"
      TOKEN_HEADER           = "Authorization"
      METRICS_NAMESPACE      = "WebSocketAuth"
    })
    error_message = "disconnect's environment is not the connection settings"
  }
  assert {
    condition = module.connect_function.environment_variables == tomap({
      CONNECTIONS_TABLE                        = "ws-auth-connections"
      CONNECTION_TTL_SECONDS                   = "3600"
      STORED_HEADERS                           = "User-Agent,X-Forwarded-For"
      TOKEN_QUERY_PARAM                        = "token"
      TOKEN_HEADER                             = "Authorization"
      METRICS_NAMESPACE                        = "WebSocketAuth"
      MAX_CONNECTIONS_PER_USER                 = "10"
      CONTEXT_CLAIMS                           = "custom:tenant"
      REVOCATIONS_TABLE                        = "ws-auth-revocations"
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    })
    error_message = "connect lacks the per-user limit, the claims, the token header, the revocations table or the stage's management endpoint"
  }
  assert {
    condition     = module.default_function.environment_variables["AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI"] == "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    error_message = "default does not post to the stage's execute-api endpoint"
  }
  assert {
    # Exactly the authorizer's verifier configuration plus the connection settings and the management endpoint.
    condition = module.refresh_function.environment_variables == tomap(merge(module.authorizer.environment, module.disconnect_function.environment_variables, {
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    }))
    error_message = "refresh does not verify with the authorizer's configuration, or lacks the table or the management endpoint"
  }
  assert {
    condition = (module.authorizer.environment["CONTEXT_CLAIMS"] == "custom:tenant" &&
    module.refresh_function.environment_variables["CONTEXT_CLAIMS"] == "custom:tenant")
    error_message = "CONTEXT_CLAIMS does not reach the authorizer and refresh"
  }
  assert {
    condition = module.control_function.environment_variables == tomap({
      CONNECTIONS_TABLE                        = "ws-auth-connections"
      CONNECTION_TTL_SECONDS                   = "3600"
      METRICS_NAMESPACE                        = "WebSocketAuth"
      REVOCATIONS_TABLE                        = "ws-auth-revocations"
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    })
    error_message = "control lacks its tables or the management endpoint it cannot derive from an event"
  }
}

run "revocation_off_leaves_no_table_variable_or_grant" {
  variables {
    revocation_enabled = false
  }
  assert {
    condition     = length(aws_dynamodb_table.revocations) == 0 && output.revocations_table_name == null
    error_message = "a revocations table exists although revocation_enabled is false"
  }
  assert {
    condition = alltrue([for env in [module.authorizer.environment, module.connect_function.environment_variables, module.refresh_function.environment_variables, module.control_function.environment_variables] :
    !contains(keys(env), "REVOCATIONS_TABLE")])
    error_message = "REVOCATIONS_TABLE is set although revocation is off"
  }
  assert {
    condition     = module.authorizer.role_policy_json == null
    error_message = "the authorizer has permissions although revocation is off"
  }
  assert {
    condition = alltrue([for m in [module.connect_function, module.refresh_function, module.control_function] :
    alltrue([for st in jsondecode(m.policy_json).Statement : !contains(["ReadRevocation", "RecordRevocation"], st.Sid)])])
    error_message = "connect, refresh or control keeps a revocations grant although revocation is off"
  }
}

run "cognito_revocation_check_uses_the_pool_domain" {
  variables {
    cognito_revocation_check    = "on"
    cognito_revocation_on_error = "allow"
  }
  assert {
    condition = alltrue([for env in [module.authorizer.environment, module.refresh_function.environment_variables] :
      can(regex("^https://ws-auth-[0-9a-f]{10}\\.auth\\.eu-west-1\\.amazoncognito\\.com/oauth2/userInfo$", env["USERINFO_ENDPOINT"])) &&
    env["COGNITO_REVOCATION_CHECK"] == "on" && env["COGNITO_REVOCATION_UNCHECKABLE"] == "deny" && env["COGNITO_REVOCATION_ON_ERROR"] == "allow"])
    error_message = "the authorizer and refresh do not both get the check settings and the pool domain's userInfo endpoint"
  }
}

run "control_invokers_and_eventbridge_trigger" {
  variables {
    control_invoker_arns   = ["arn:aws:iam::210987654321:role/backend", "123456789012"]
    control_events_enabled = true
    control_event_sources  = ["arn:aws:iam::210987654321:role/backend"]
    control_event_pattern  = "{\"source\":[\"my.backend\"],\"detail\":{\"sub\":[{\"exists\":true}]}}"
    control_event_ops      = ["send", "disconnect"]
  }
  assert {
    condition     = sort([for p in aws_lambda_permission.control_invoke : p.principal]) == tolist(["123456789012", "arn:aws:iam::210987654321:role/backend"]) && alltrue([for p in aws_lambda_permission.control_invoke : p.function_name == "ws-auth-control" && p.action == "lambda:InvokeFunction"])
    error_message = "control_invoker_arns do not each get lambda:InvokeFunction on the control function"
  }
  assert {
    condition     = aws_cloudwatch_event_bus.control[0].name == "ws-auth-control" && output.control_event_bus_name == "ws-auth-control"
    error_message = "the control bus is not <name>-control"
  }
  assert {
    condition = jsondecode(aws_cloudwatch_event_bus_policy.control[0].policy).Statement == [{
      Sid       = "AllowedSources"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::210987654321:role/backend"] }
      Action    = "events:PutEvents"
      Resource  = "arn:aws:events:eu-west-1:123456789012:event-bus/ws-auth-control"
    }]
    error_message = "the bus policy does not allow exactly the named sources to put events"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.control[0].event_pattern) == { source = ["my.backend"], detail = { sub = [{ exists = true }], op = ["send", "disconnect"] } }
    error_message = "the rule does not restrict detail.op to control_event_ops on top of the given pattern"
  }
  assert {
    condition     = aws_cloudwatch_event_target.control[0].input_path == "$.detail" && aws_cloudwatch_event_target.control[0].arn == module.control_function.arn
    error_message = "the rule does not pass the event's detail to the control function"
  }
  assert {
    condition     = aws_lambda_permission.control_events[0].principal == "events.amazonaws.com" && aws_lambda_permission.control_events[0].source_arn == "arn:aws:events:eu-west-1:123456789012:rule/ws-auth-control/ws-auth-control"
    error_message = "EventBridge may invoke the control function from any rule"
  }
}

run "single_token_sources_become_identity_sources" {
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

run "every_log_group_has_the_retention" {
  variables {
    log_retention_days = 90
    api_logging_level  = "ERROR"
  }
  assert {
    condition = [
      module.authorizer.log_retention_days,
      module.connect_function.log_retention_days,
      module.default_function.log_retention_days,
      module.disconnect_function.log_retention_days,
      module.refresh_function.log_retention_days,
      module.control_function.log_retention_days,
      module.websocket_api.access_log_retention_days,
      module.websocket_api.execution_log_retention_days,
    ] == [90, 90, 90, 90, 90, 90, 90, 90]
    error_message = "a log group does not have the configured retention"
  }
  assert {
    condition     = output.log_groups.api_execution == "API-Gateway-Execution-Logs_abc123/prod"
    error_message = "execution logging has no log group owned by the stack (API Gateway would create one without retention)"
  }
  assert {
    condition = [module.connect_function.role_name, module.refresh_function.role_name, module.control_function.role_name, module.authorizer.role_name] == [
    "ws-auth-connect-eu-west-1", "ws-auth-refresh-eu-west-1", "ws-auth-control-eu-west-1", "ws-auth-authorizer-eu-west-1"]
    error_message = "role names do not carry the region: a second region would collide (IAM names are global)"
  }
  assert {
    condition     = jsondecode(module.websocket_api.access_log_format).integrationError == "$context.integration.error"
    error_message = "the access log uses the HTTP/REST variable $context.integrationErrorMessage, which a WebSocket stage refuses"
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

run "outputs_give_the_web_app_and_backends_what_they_need" {
  assert {
    condition     = output.websocket_url == "wss://abc123.execute-api.eu-west-1.amazonaws.com/prod" && output.management_endpoint == "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
    error_message = "websocket_url or management_endpoint is not the stage URL"
  }
  assert {
    condition     = can(regex("^https://ws-auth-[0-9a-f]{10}\\.auth\\.eu-west-1\\.amazoncognito\\.com$", output.hosted_ui_url))
    error_message = "hosted_ui_url is not https://<prefix>.auth.<region>.amazoncognito.com: ${output.hosted_ui_url}"
  }
  assert {
    condition     = output.client_id == "webclient123" && output.user_pool_id == "eu-west-1_AbCdEf123" && output.issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
    error_message = "client_id, user_pool_id or issuer output is wrong"
  }
  assert {
    condition     = output.redirect_uri == "http://localhost:3000/" && output.logout_uri == "http://localhost:3000/" && output.scopes == tolist(["openid", "email", "profile"])
    error_message = "redirect_uri / logout_uri / scopes do not default to the local web app's"
  }
  assert {
    condition = output.function_names == {
      authorizer = "ws-auth-authorizer", connect = "ws-auth-connect", default = "ws-auth-default",
      disconnect = "ws-auth-disconnect", refresh = "ws-auth-refresh", control = "ws-auth-control"
    }
    error_message = "function names are not <name>-<role>"
  }
  assert {
    condition     = output.control_function_name == "ws-auth-control" && output.control_function_arn == module.control_function.arn && output.revocations_table_name == "ws-auth-revocations"
    error_message = "control_function_name, control_function_arn or revocations_table_name output is wrong"
  }
  assert {
    condition     = output.table_name == "ws-auth-connections" && output.region == "eu-west-1" && output.max_connections_per_user == 10
    error_message = "table_name, region or max_connections_per_user output is wrong"
  }
}

run "existing_user_pool_creates_no_pool" {
  variables {
    existing_user_pool_id  = "us-east-1_Existing1"
    existing_client_ids    = ["clienta", "clientb"]
    existing_hosted_ui_url = "https://login.example.com"
    oauth_scopes           = ["openid", "chat/write"]
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

run "customer_table_key_is_granted_to_every_role_touching_a_table" {
  variables {
    table_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  assert {
    condition = alltrue([for p in [module.connect_function.policy_json, module.refresh_function.policy_json, module.control_function.policy_json] :
      [for st in jsondecode(p).Statement : st if st.Sid == "UseTableKey"] == [{
        Sid      = "UseTableKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
        Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    }]])
    error_message = "a writer (connect, refresh, control) lacks Decrypt, DescribeKey and GenerateDataKey on the table key"
  }
  assert {
    condition = alltrue([for p in [module.default_function.policy_json, module.disconnect_function.policy_json, module.authorizer.role_policy_json] :
      [for st in jsondecode(p).Statement : st if st.Sid == "UseTableKey"] == [{
        Sid      = "UseTableKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:DescribeKey"]
        Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    }]])
    error_message = "a reader (default, disconnect, authorizer) lacks exactly Decrypt and DescribeKey on the table key"
  }
  assert {
    condition     = aws_dynamodb_table.revocations[0].server_side_encryption[0].kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "the revocations table is not encrypted with the table key"
  }
}

run "operations_features" {
  variables {
    alarms_enabled               = true
    alarm_actions                = ["arn:aws:sns:eu-west-1:123456789012:ops"]
    unauthorized_alarm_threshold = 25
    dashboard_enabled            = true
    domain_name                  = "ws.example.com"
    certificate_arn              = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0a1b-2c3d-4e5f-0a1b2c3d4e5f"
    route53_zone_id              = "Z0123456789ABCDEFGHIJ"
    tracing_enabled              = true
    log_level                    = "warn"
    reserved_concurrency         = { authorizer = 50, control = 5 }
    log_kms_key_arn              = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    advanced_security_mode       = "AUDIT"
  }
  assert {
    condition = (length(aws_cloudwatch_metric_alarm.function) == 12 && alltrue([for k, a in aws_cloudwatch_metric_alarm.function :
      a.namespace == "AWS/Lambda" && contains(["Errors", "Throttles"], a.metric_name) && a.dimensions.FunctionName == output.function_names[split("-", k)[0]] &&
    a.threshold == 0 && a.comparison_operator == "GreaterThanThreshold"]))
    error_message = "not every function has its Errors and Throttles alarm"
  }
  assert {
    condition = (sort([for a in aws_cloudwatch_metric_alarm.api : a.metric_name]) == tolist(["ExecutionError", "IntegrationError"]) &&
    alltrue([for a in aws_cloudwatch_metric_alarm.api : a.namespace == "AWS/ApiGateway" && a.dimensions == tomap({ ApiId = "abc123", Stage = "prod" })]))
    error_message = "the API's IntegrationError and ExecutionError alarms are missing or not on ApiId + Stage"
  }
  assert {
    # Never TableName alone: DynamoDB publishes these per TableName and Operation.
    condition = (keys(aws_cloudwatch_metric_alarm.table) == ["connections-systemerrors", "connections-throttledrequests", "revocations-systemerrors", "revocations-throttledrequests"] &&
      alltrue(flatten([for a in aws_cloudwatch_metric_alarm.table : [for q in a.metric_query : q.expression != null && q.expression != "" ? startswith(q.expression, "SUM([m0") : (
      length(q.metric) == 1 && contains(keys(q.metric[0].dimensions), "Operation") && contains(keys(q.metric[0].dimensions), "TableName"))]])) &&
    sort([for q in aws_cloudwatch_metric_alarm.table["connections-throttledrequests"].metric_query : try(q.metric[0].dimensions.Operation, "")]) == tolist(["", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"]))
    error_message = "table alarms are not ThrottledRequests and SystemErrors summed over each operation the functions use"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.unauthorized[0].namespace == "WebSocketAuth" && aws_cloudwatch_metric_alarm.unauthorized[0].metric_name == "Unauthorized" &&
    aws_cloudwatch_metric_alarm.unauthorized[0].dimensions == tomap({ Function = "authorizer" }) && aws_cloudwatch_metric_alarm.unauthorized[0].threshold == 25)
    error_message = "the Unauthorized alarm does not watch the authorizer's EMF metric with the given threshold"
  }
  assert {
    condition     = alltrue([for n in output.alarm_names : startswith(n, "ws-auth-")]) && length(output.alarm_names) == 19 && alltrue([for a in concat(values(aws_cloudwatch_metric_alarm.function), values(aws_cloudwatch_metric_alarm.table)) : a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops"])])
    error_message = "alarms are not named <name>-... or do not notify alarm_actions"
  }
  assert {
    condition     = output.dashboard_name == "ws-auth" && strcontains(aws_cloudwatch_dashboard.this[0].dashboard_body, "\"Unauthorized\"") && strcontains(aws_cloudwatch_dashboard.this[0].dashboard_body, "ConnectCount")
    error_message = "the dashboard lacks connections or authorizer decisions"
  }
  assert {
    condition     = output.websocket_url == "wss://ws.example.com" && aws_apigatewayv2_api_mapping.this[0].stage == "prod" && aws_route53_record.domain[0].name == "ws.example.com"
    error_message = "the custom domain does not serve the stage at wss://<domain> with its alias record"
  }
  assert {
    condition     = alltrue([for m in [module.connect_function, module.default_function, module.refresh_function, module.control_function] : m.environment_variables["AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI"] == "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"])
    error_message = "with a custom domain, a function would post to the domain instead of the stage's execute-api endpoint"
  }
  assert {
    condition = alltrue([for st in [module.connect_function.settings, module.default_function.settings, module.disconnect_function.settings, module.refresh_function.settings, module.control_function.settings, module.authorizer.function_settings] :
      st.tracing_mode == "Active" && st.application_log_level == "WARN" && st.log_format == "JSON" &&
    st.log_kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"])
    error_message = "tracing, the log level or the log key does not reach every function"
  }
  assert {
    condition     = module.authorizer.function_settings.reserved_concurrent_executions == 50 && module.control_function.settings.reserved_concurrent_executions == 5 && module.connect_function.settings.reserved_concurrent_executions == -1
    error_message = "reserved_concurrency does not reach the named functions only"
  }
  assert {
    condition     = module.user_pool[0].user_pool_tier == "PLUS" && module.user_pool[0].advanced_security_mode == "AUDIT"
    error_message = "threat protection is not set together with the Plus tier"
  }
}

# Refused inputs. Inputs whose validations read no other input are refused together; the others alone, because a
# failing input hides the validations that read it.
run "independent_bad_inputs_are_refused" {
  command = plan
  variables {
    domain_prefix                = "aws-login"
    token_sources                = ["header", "cookie"]
    throttling_burst_limit       = 0
    throttling_rate_limit        = 0
    lambda_runtime               = "nodejs18.x"
    callback_urls                = ["http://app.example.com/"]
    logout_urls                  = ["https://app.example.com/${format("%01100d", 0)}"]
    token_header                 = "X~Token"
    token_query_param            = "t~k"
    max_connections_per_user     = -1
    context_claims               = ["custom:tenant", "custom_tenant", "exp"]
    metrics_namespace            = "AWS/Lambda"
    control_invoker_arns         = ["*"]
    control_event_ops            = ["list"]
    control_event_pattern        = "{\"detail\":{\"op\":[\"revoke\"]}}"
    log_level                    = "trace"
    reserved_concurrency         = { connect = -5 }
    alarm_actions                = ["arn:aws:sqs:eu-west-1:123456789012:ops"]
    unauthorized_alarm_threshold = 0
    domain_name                  = "WS.Example.com"
    advanced_security_mode       = "ON"
  }
  expect_failures = [
    var.domain_prefix, var.token_sources, var.throttling_burst_limit, var.throttling_rate_limit, var.lambda_runtime,
    var.callback_urls, var.logout_urls, var.token_header, var.token_query_param, var.max_connections_per_user,
    var.context_claims, var.metrics_namespace, var.control_invoker_arns, var.control_event_ops, var.control_event_pattern,
    var.log_level, var.reserved_concurrency, var.alarm_actions, var.unauthorized_alarm_threshold, var.domain_name,
    var.advanced_security_mode,
  ]
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

run "keys_and_certificates_of_another_region_are_refused" {
  command = plan
  variables {
    table_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    log_kms_key_arn   = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    domain_name       = "ws.example.com"
    certificate_arn   = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0a1b-2c3d-4e5f-0a1b2c3d4e5f"
    route53_zone_id   = "not-a-zone"
  }
  expect_failures = [var.table_kms_key_arn, var.log_kms_key_arn, var.certificate_arn, var.route53_zone_id]
}

run "groups_overflowing_the_lambda_environment_are_refused" {
  command = plan
  variables {
    # 32 groups of 128 characters: more than Lambda's 4 KB environment.
    allowed_groups = [for i in range(32) : format("g%0127d", i)]
  }
  expect_failures = [var.allowed_groups]
}

run "cognito_check_with_id_tokens_is_refused" {
  command = plan
  variables {
    token_use                = "id"
    cognito_revocation_check = "on"
  }
  expect_failures = [var.cognito_revocation_check]
}

run "token_header_reaches_the_connection_functions" {
  command = plan
  variables {
    token_header   = "X-Auth-Token"
    stored_headers = ["User-Agent"]
  }
  assert {
    condition = alltrue([for m in [module.connect_function, module.default_function, module.disconnect_function, module.refresh_function] :
    m.environment_variables["TOKEN_HEADER"] == "X-Auth-Token"])
    error_message = "a connection function does not know the token header it must never store"
  }
}

run "token_header_in_stored_headers_is_refused" {
  command = plan
  variables {
    # Case differs on purpose: header names are case-insensitive.
    token_header   = "X-Auth-Token"
    stored_headers = ["User-Agent", "x-auth-TOKEN"]
  }
  expect_failures = [var.stored_headers]
}
