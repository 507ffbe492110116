# Mocked AWS provider: no credentials, no network. ARN-typed attributes get ARN-shaped defaults because the
# provider still validates arguments such as the function's role ARN.
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/fixture"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fixture"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:fixture"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:fixture/invocations"
    }
  }
}

variables {
  name     = "ws-test-connect"
  zip_path = "../../tests/fixtures/connect.zip"
  environment_variables = {
    CONNECTIONS_TABLE = "connections"
  }
  policy_statements = [{
    sid       = "PutConnection"
    actions   = ["dynamodb:PutItem"]
    resources = ["arn:aws:dynamodb:eu-west-1:123456789012:table/connections"]
  }]
}

run "defaults_give_arm64_nodejs22_json_logs" {
  assert {
    condition     = aws_lambda_function.this.runtime == "nodejs22.x"
    error_message = "default runtime is not nodejs22.x"
  }
  assert {
    condition     = aws_lambda_function.this.architectures == tolist(["arm64"])
    error_message = "function is not arm64"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_format == "JSON"
    error_message = "log format is not JSON"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_group == aws_cloudwatch_log_group.this.name
    error_message = "function does not log to its own log group"
  }
  assert {
    condition     = aws_lambda_function.this.handler == "index.handler"
    error_message = "handler is not index.handler"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["CONNECTIONS_TABLE"] == "connections"
    error_message = "environment variables were not passed to the function"
  }
}

run "source_code_hash_tracks_the_zip" {
  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("../../tests/fixtures/connect.zip")
    error_message = "source_code_hash is not the zip's base64 SHA-256, so code changes would not deploy"
  }
}

run "log_group_has_retention" {
  variables {
    log_retention_days = 14
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/ws-test-connect"
    error_message = "log group is not /aws/lambda/<name>"
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.retention_in_days == 14
    error_message = "log group retention is not the requested 14 days"
  }
}

run "role_has_exactly_the_given_statements" {
  assert {
    condition = jsondecode(output.policy_json).Statement == [{
      Sid      = "PutConnection"
      Effect   = "Allow"
      Action   = ["dynamodb:PutItem"]
      Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/connections"]
    }]
    error_message = "role policy differs from the statements passed in"
  }
  assert {
    condition     = aws_iam_role_policy.statements[0].role == aws_iam_role.this.name
    error_message = "statements policy is not attached to the function's own role"
  }
  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.Service == "lambda.amazonaws.com"
    error_message = "role is not assumable by Lambda only"
  }
}

run "logs_policy_is_limited_to_own_log_group" {
  assert {
    condition = jsondecode(output.logs_policy_json).Statement == [{
      Sid      = "WriteOwnLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fixture:*"]
    }]
    error_message = "logs policy grants more than writing to the function's own log group"
  }
}

run "no_statements_means_logs_only" {
  variables {
    policy_statements = []
  }
  assert {
    condition     = length(aws_iam_role_policy.statements) == 0 && output.policy_json == null
    error_message = "a role without statements still got a permissions policy"
  }
}

run "tags_reach_every_resource" {
  variables {
    tags = { Team = "platform" }
  }
  assert {
    condition = alltrue([
      aws_lambda_function.this.tags["Team"] == "platform",
      aws_iam_role.this.tags["Team"] == "platform",
      aws_cloudwatch_log_group.this.tags["Team"] == "platform",
    ])
    error_message = "tags missing on the function, its role or its log group"
  }
}

run "missing_zip_is_refused_with_make_build_hint" {
  command = plan
  variables {
    zip_path = "../../tests/fixtures/does-not-exist.zip"
  }
  expect_failures = [aws_lambda_function.this]
}

run "unknown_runtime_is_refused" {
  command = plan
  variables {
    runtime = "nodejs16.x"
  }
  expect_failures = [var.runtime]
}

run "wildcard_action_is_refused" {
  command = plan
  variables {
    policy_statements = [{ actions = ["dynamodb:*"], resources = ["*"] }]
  }
  expect_failures = [var.policy_statements]
}

run "memory_out_of_range_is_refused" {
  command = plan
  variables {
    memory_size = 64
  }
  expect_failures = [var.memory_size]
}

run "timeout_out_of_range_is_refused" {
  command = plan
  variables {
    timeout = 0
  }
  expect_failures = [var.timeout]
}

run "reserved_environment_variable_is_refused" {
  command = plan
  variables {
    environment_variables = { AWS_REGION = "eu-west-1" }
  }
  expect_failures = [var.environment_variables]
}

run "role_name_carries_the_region" {
  assert {
    # IAM role names are global to the account: ws-test-connect in a second region must not collide.
    condition     = aws_iam_role.this.name == "ws-test-connect-eu-west-1"
    error_message = "the role name does not include the region: ${aws_iam_role.this.name}"
  }
}

run "role_name_over_64_characters_is_refused" {
  command = plan
  variables {
    name = "a-function-name-of-sixty-characters-which-leaves-no-region-room"
  }
  expect_failures = [aws_iam_role.this]
}

run "environment_over_4_kb_is_refused" {
  command = plan
  variables {
    # 32 groups of 128 characters: what ALLOWED_GROUPS may carry, and more than Lambda's 4 KB.
    environment_variables = { ALLOWED_GROUPS = join(",", [for i in range(32) : format("%0128d", i)]) }
  }
  expect_failures = [var.environment_variables]
}

run "tracing_and_log_level_when_asked" {
  variables {
    tracing_enabled       = true
    application_log_level = "WARN"
  }
  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "tracing_enabled does not turn on X-Ray active tracing"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].application_log_level == "WARN" && aws_lambda_function.this.logging_config[0].log_format == "JSON"
    error_message = "application_log_level does not reach logging_config"
  }
  assert {
    condition     = [for st in jsondecode(output.logs_policy_json).Statement : st.Action if st.Sid == "WriteTraces"] == [["xray:PutTraceSegments", "xray:PutTelemetryRecords"]]
    error_message = "a traced function cannot write its segments"
  }
}
