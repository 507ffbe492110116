output "authorizer_id" {
  description = "Set this on the $connect route (CUSTOM authorization)."
  value       = module.authorizer.authorizer_id
}

output "identity_sources" {
  description = "What API Gateway requires before calling the authorizer."
  value       = module.authorizer.identity_sources
}

output "attach_command" {
  description = "AWS CLI command that puts the authorizer on the existing $connect route (then redeploy the stage unless it auto-deploys)."
  value       = "aws apigatewayv2 get-routes --api-id ${var.api_id} --query \"Items[?RouteKey=='\\$connect'].RouteId\" --output text | xargs -I{} aws apigatewayv2 update-route --api-id ${var.api_id} --route-id {} --authorization-type CUSTOM --authorizer-id ${module.authorizer.authorizer_id}"
}

output "detach_command" {
  description = "AWS CLI command to run before `terraform destroy`: API Gateway refuses to delete an authorizer that $connect still uses (ConflictException). It sets $connect to NONE; put another authorizer there instead (--authorization-type CUSTOM --authorizer-id <id>) to keep it protected."
  value       = "aws apigatewayv2 get-routes --api-id ${var.api_id} --query \"Items[?RouteKey=='\\$connect'].RouteId\" --output text | xargs -I{} aws apigatewayv2 update-route --api-id ${var.api_id} --route-id {} --authorization-type NONE"
}
