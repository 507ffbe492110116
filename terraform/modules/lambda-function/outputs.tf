output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "Invoke ARN, for API Gateway integrations and authorizers."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "Name of the function's own execution role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's own execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "log_retention_days" {
  description = "Retention of the function's log group, in days."
  value       = aws_cloudwatch_log_group.this.retention_in_days
}

output "policy_json" {
  description = "The role's permissions beyond its logs, as IAM policy JSON (null when it has none)."
  value       = local.statements_policy
}

output "logs_policy_json" {
  description = "The role's log-writing policy, as IAM policy JSON."
  value       = local.logs_policy
}

output "environment_variables" {
  description = "Environment variables the function was given."
  value       = try(aws_lambda_function.this.environment[0].variables, {})
}

output "settings" {
  description = "Runtime settings as applied: tracing mode, log format and application log level, reserved concurrency and the log group's KMS key."
  value = {
    # try(): an emulator may read back no tracing or logging configuration; an output must not fail the apply.
    tracing_mode                   = try(aws_lambda_function.this.tracing_config[0].mode, "PassThrough")
    log_format                     = try(aws_lambda_function.this.logging_config[0].log_format, null)
    application_log_level          = try(aws_lambda_function.this.logging_config[0].application_log_level, null)
    reserved_concurrent_executions = aws_lambda_function.this.reserved_concurrent_executions
    log_kms_key_arn                = aws_cloudwatch_log_group.this.kms_key_id
  }
}
