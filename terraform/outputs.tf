# The web app (`make web`) reads these with `terraform output -json`: websocket_url, hosted_ui_url, client_id,
# redirect_uri / callback_urls, logout_uri / logout_urls, scopes.

output "websocket_url" {
  description = "URL clients connect to: wss://<domain_name> with a custom domain, else wss://<api id>.execute-api.<region>.amazonaws.com/<stage>."
  value       = var.domain_name == null ? module.websocket_api.websocket_url : "wss://${var.domain_name}"
}

output "execute_api_websocket_url" {
  description = "The stage's own wss://<api id>.execute-api.<region>.amazonaws.com/<stage> URL (also served with a custom domain)."
  value       = module.websocket_api.websocket_url
}

output "domain_target" {
  description = "Where DNS must point domain_name (alias target and its hosted zone), when you manage the record yourself; null without a domain."
  value = var.domain_name == null ? null : {
    target_domain_name = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].target_domain_name
    hosted_zone_id     = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].hosted_zone_id
  }
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms (empty unless alarms_enabled)."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.function : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.api : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.table : a.alarm_name],
    aws_cloudwatch_metric_alarm.unauthorized[*].alarm_name,
  )
}

output "dashboard_name" {
  description = "CloudWatch dashboard (null unless dashboard_enabled)."
  value       = one(aws_cloudwatch_dashboard.this[*].dashboard_name)
}

output "management_endpoint" {
  description = "@connections management endpoint: https://<api id>.execute-api.<region>.amazonaws.com/<stage>."
  value       = module.websocket_api.management_endpoint
}

output "region" {
  description = "AWS region of the stack."
  value       = var.region
}

output "api_id" {
  description = "WebSocket API id."
  value       = module.websocket_api.api_id
}

output "stage_name" {
  description = "WebSocket API stage."
  value       = module.websocket_api.stage_name
}

output "authorizer_id" {
  description = "Id of the REQUEST authorizer on $connect."
  value       = module.authorizer.authorizer_id
}

output "token_sources" {
  description = "Where the authorizer looks for the token (header, query, protocol)."
  value       = var.token_sources
}

output "token_header" {
  description = "Header carrying the token for the header source."
  value       = var.token_header
}

output "token_query_param" {
  description = "Query parameter carrying the token for the query source."
  value       = var.token_query_param
}

output "identity_sources" {
  description = "What API Gateway requires before invoking the authorizer (empty when several token sources are allowed)."
  value       = module.authorizer.identity_sources
}

output "user_pool_id" {
  description = "Cognito user pool id."
  value       = local.user_pool_id
}

output "client_id" {
  description = "App client id the web app signs in with."
  value       = local.client_ids[0]
}

output "client_ids" {
  description = "Every app client id whose tokens the authorizer accepts."
  value       = local.client_ids
}

output "issuer" {
  description = "Token issuer: https://cognito-idp.<region>.amazonaws.com/<pool id>."
  value       = "https://cognito-idp.${split("_", local.user_pool_id)[0]}.amazonaws.com/${local.user_pool_id}"
}

output "jwks_uri" {
  description = "JWKS of the pool's signing keys."
  value       = "https://cognito-idp.${split("_", local.user_pool_id)[0]}.amazonaws.com/${local.user_pool_id}/.well-known/jwks.json"
}

output "hosted_ui_url" {
  description = "Hosted UI base URL (https://<prefix>.auth.<region>.amazoncognito.com); null for an existing pool without existing_hosted_ui_url."
  value       = local.create_user_pool ? module.user_pool[0].hosted_ui_url : var.existing_hosted_ui_url
}

output "authorize_url" {
  description = "OAuth 2.0 authorization endpoint of the hosted UI."
  value       = local.create_user_pool ? module.user_pool[0].authorize_url : (var.existing_hosted_ui_url == null ? null : "${var.existing_hosted_ui_url}/oauth2/authorize")
}

output "token_url" {
  description = "OAuth 2.0 token endpoint of the hosted UI."
  value       = local.create_user_pool ? module.user_pool[0].token_url : (var.existing_hosted_ui_url == null ? null : "${var.existing_hosted_ui_url}/oauth2/token")
}

output "callback_urls" {
  description = "Registered sign-in redirect URLs."
  value       = var.callback_urls
}

output "redirect_uri" {
  description = "The web app's sign-in redirect URL (first of callback_urls)."
  value       = var.callback_urls[0]
}

output "logout_urls" {
  description = "Registered sign-out redirect URLs."
  value       = var.logout_urls
}

output "logout_uri" {
  description = "The web app's sign-out redirect URL (first of logout_urls, else redirect_uri)."
  value       = length(var.logout_urls) > 0 ? var.logout_urls[0] : var.callback_urls[0]
}

output "scopes" {
  description = "Scopes the web app requests at sign-in."
  value       = var.oauth_scopes
}

output "required_scopes" {
  description = "Scopes the authorizer requires on every token."
  value       = var.required_scopes
}

output "table_name" {
  description = "Connections table."
  value       = module.connections_table.name
}

output "max_connections_per_user" {
  description = "Open connections one user may hold (0 = unlimited)."
  value       = var.max_connections_per_user
}

output "function_names" {
  description = "Lambda function names by role."
  value = {
    authorizer = module.authorizer.function_name
    connect    = module.connect_function.function_name
    default    = module.default_function.function_name
    disconnect = module.disconnect_function.function_name
    refresh    = module.refresh_function.function_name
    control    = module.control_function.function_name
  }
}

output "control_function_name" {
  description = "Control function the application's backend invokes (send, disconnect, list, revoke)."
  value       = module.control_function.function_name
}

output "control_function_arn" {
  description = "ARN of the control function, for lambda:InvokeFunction grants in identity policies."
  value       = module.control_function.arn
}

output "revocations_table_name" {
  description = "Revocations table (null when revocation_enabled is false)."
  value       = local.revocations_table_name
}

output "control_event_bus_name" {
  description = "EventBridge bus whose matching events reach the control function (null unless control_events_enabled)."
  value       = one(aws_cloudwatch_event_bus.control[*].name)
}

output "control_event_bus_arn" {
  description = "ARN of the control event bus (null unless control_events_enabled)."
  value       = one(aws_cloudwatch_event_bus.control[*].arn)
}

output "control_event_pattern" {
  description = "The control rule's event pattern: control_event_pattern plus detail.op restricted to control_event_ops."
  value       = var.control_events_enabled ? local.control_event_pattern : null
}

output "log_groups" {
  description = "Log groups by source (each with the configured retention)."
  value = {
    authorizer    = module.authorizer.log_group_name
    connect       = module.connect_function.log_group_name
    default       = module.default_function.log_group_name
    disconnect    = module.disconnect_function.log_group_name
    refresh       = module.refresh_function.log_group_name
    control       = module.control_function.log_group_name
    api_access    = module.websocket_api.access_log_group_name
    api_execution = module.websocket_api.execution_log_group_name
  }
}
