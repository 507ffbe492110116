output "authorizer_id" {
  description = "Authorizer id: pass it to websocket-api's connect_authorizer_id (or set it on an existing $connect route)."
  value       = local.authorizer.id
}

output "identity_sources" {
  description = "Identity sources API Gateway checks before invoking the authorizer (empty with several token sources)."
  value       = local.identity_sources
}

output "function_name" {
  description = "Name of the authorizer Lambda."
  value       = module.function.function_name
}

output "function_arn" {
  description = "ARN of the authorizer Lambda."
  value       = module.function.arn
}

output "role_arn" {
  description = "ARN of the authorizer's role (log writing only)."
  value       = module.function.role_arn
}

output "role_policy_json" {
  description = "The authorizer role's permissions beyond its logs (null: it has none)."
  value       = module.function.policy_json
}

output "log_group_name" {
  description = "Log group of the authorizer Lambda."
  value       = module.function.log_group_name
}

output "log_retention_days" {
  description = "Retention of the authorizer's log group, in days."
  value       = module.function.log_retention_days
}

output "verifier_environment" {
  description = "The verifier's configuration as given to the authorizer, known at plan where the inputs are: a refresh function verifying tokens the same way takes it whole."
  value       = local.environment
}

output "role_name" {
  description = "Name of the authorizer's role."
  value       = module.function.role_name
}

output "environment" {
  description = "Environment given to the authorizer Lambda (configuration only, no secrets)."
  value       = module.function.environment_variables
}

output "permission_source_arn" {
  description = "Source ARN of the invoke permission: only this authorizer of this API may invoke the function."
  value       = aws_lambda_permission.authorizer[local.identity_mode].source_arn
}

output "authorizer_name" {
  description = "Name of the REQUEST authorizer: `<name>`, or `<name>-<source>` when a single token source is enforced."
  value       = local.authorizer.name
}

output "function_settings" {
  description = "The authorizer Lambda's runtime settings (tracing, logging, reserved concurrency, log key), as the lambda-function module's `settings`."
  value       = module.function.settings
}
