data "aws_region" "current" {}

locals {
  log_group_name = "/aws/lambda/${var.name}"
  # IAM role names are global to the account: the region keeps a deployment in a second region from colliding.
  role_name = coalesce(var.role_name, "${var.name}-${data.aws_region.current.name}")
  # A missing zip must not abort the plan inside filebase64sha256 before the precondition can explain it.
  source_code_hash = try(filebase64sha256(var.zip_path), null)

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  # Only this function's log group: no logs:CreateLogGroup (Terraform owns the group and its retention).
  logs_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
      }],
      # X-Ray takes no resource-level permissions: "*" is the only resource these two actions accept.
      var.tracing_enabled ? [{
        Sid      = "WriteTraces"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = ["*"]
      }] : [],
    )
  })

  # jsonencode rather than aws_iam_policy_document: exact, reviewable and testable under a mocked provider.
  statements_policy = length(var.policy_statements) == 0 ? null : jsonencode({
    Version = "2012-10-17"
    Statement = [for s in var.policy_statements : merge(
      s.sid == null ? {} : { Sid = s.sid },
      { Effect = s.effect, Action = s.actions, Resource = s.resources },
    )]
  })
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "Execution role of the ${var.name} Lambda function"
  assume_role_policy   = local.assume_role_policy
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = length(local.role_name) <= 64
      error_message = "The role name ${local.role_name} is longer than IAM's 64 characters: shorten name or set role_name."
    }
  }
}

resource "aws_iam_role_policy" "logs" {
  name   = "logs"
  role   = aws_iam_role.this.name
  policy = local.logs_policy
}

resource "aws_iam_role_policy" "statements" {
  count = length(var.policy_statements) > 0 ? 1 : 0

  name   = "permissions"
  role   = aws_iam_role.this.name
  policy = local.statements_policy
}

resource "aws_lambda_function" "this" {
  function_name                  = var.name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  filename                       = var.zip_path
  source_code_hash               = local.source_code_hash
  handler                        = var.handler
  runtime                        = var.runtime
  architectures                  = [var.architecture]
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions

  dynamic "environment" {
    for_each = length(var.environment_variables) > 0 ? [var.environment_variables] : []
    content {
      variables = environment.value
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
    # Lambda drops stdout JSON records below this level (the functions also read it as AWS_LAMBDA_LOG_LEVEL).
    application_log_level = var.application_log_level
  }

  dynamic "tracing_config" {
    for_each = var.tracing_enabled ? [1] : []
    content {
      mode = "Active"
    }
  }

  tags = var.tags

  # The group must exist first, or Lambda creates its own without retention; the permissions must exist
  # before the first invocation.
  depends_on = [aws_iam_role_policy.logs, aws_iam_role_policy.statements]

  lifecycle {
    precondition {
      condition     = fileexists(var.zip_path)
      error_message = "Lambda zip ${var.zip_path} does not exist: run `make build` first (it writes dist/<function>.zip)."
    }
  }
}
