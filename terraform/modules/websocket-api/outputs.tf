output "api_id" {
  description = "WebSocket API id."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "API endpoint without the stage: wss://<api id>.execute-api.<region>.amazonaws.com."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "stage_name" {
  description = "Stage name."
  value       = aws_apigatewayv2_stage.this.name
}

output "websocket_url" {
  description = "URL clients connect to: wss://<api id>.execute-api.<region>.amazonaws.com/<stage>."
  value       = "${aws_apigatewayv2_api.this.api_endpoint}/${aws_apigatewayv2_stage.this.name}"
}

output "management_endpoint" {
  description = "@connections management API endpoint (PostToConnection, DeleteConnection): https://<api id>.execute-api.<region>.amazonaws.com/<stage>."
  value       = "${replace(aws_apigatewayv2_api.this.api_endpoint, "/^wss:/", "https:")}/${aws_apigatewayv2_stage.this.name}"
}

output "execution_arn" {
  description = "Execution ARN of the API (arn:<partition>:execute-api:<region>:<account>:<api id>)."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "stage_execution_arn" {
  description = "Execution ARN of the stage (<execution_arn>/<stage>)."
  value       = aws_apigatewayv2_stage.this.execution_arn
}

output "manage_connections_arns" {
  description = "execute-api:ManageConnections resources of this stage per HTTP method (POST = send, DELETE = disconnect, GET = inspect). Grant only the methods a function calls."
  value = {
    for m in ["POST", "GET", "DELETE"] : m => "${aws_apigatewayv2_stage.this.execution_arn}/${m}/@connections/*"
  }
}

output "routes" {
  description = "Routes by route key: id, authorization type and authorizer id."
  value = {
    for k, r in aws_apigatewayv2_route.route : k => {
      id                 = r.id
      authorization_type = r.authorization_type
      authorizer_id      = r.authorizer_id
      target             = r.target
    }
  }
}

output "lambda_permission_source_arns" {
  description = "Source ARN of the invoke permission of each route's Lambda."
  value       = { for k, p in aws_lambda_permission.route : k => p.source_arn }
}

output "access_log_group_name" {
  description = "Log group of the stage's JSON access logs (null when access_logs_enabled is false)."
  value       = one(aws_cloudwatch_log_group.access[*].name)
}

output "access_log_retention_days" {
  description = "Retention of the access log group, in days (null when access_logs_enabled is false)."
  value       = one(aws_cloudwatch_log_group.access[*].retention_in_days)
}

output "throttling" {
  description = "Stage-wide throttling limits as applied."
  value = {
    burst_limit = aws_apigatewayv2_stage.this.default_route_settings[0].throttling_burst_limit
    rate_limit  = aws_apigatewayv2_stage.this.default_route_settings[0].throttling_rate_limit
  }
}

output "execution_log_group_name" {
  description = "Log group of the stage's execution logs (null when logging_level is OFF)."
  value       = one(aws_cloudwatch_log_group.execution[*].name)
}

output "execution_log_retention_days" {
  description = "Retention of the execution log group, in days (null when logging_level is OFF)."
  value       = one(aws_cloudwatch_log_group.execution[*].retention_in_days)
}

output "cloudwatch_role_name" {
  description = "Name of the account CloudWatch role (null unless create_account_cloudwatch_role is true)."
  value       = one(aws_iam_role.cloudwatch[*].name)
}

output "access_log_format" {
  description = "The stage's access-log format (JSON with WebSocket context variables only)."
  value       = local.access_log_format
}
