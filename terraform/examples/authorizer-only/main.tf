# A team with its own user pool and WebSocket API adds Cognito authentication to $connect with one module.
module "authorizer" {
  source = "../../modules/cognito-authorizer"

  name            = "ws-cognito-authorizer-${var.api_id}"
  api_id          = var.api_id
  user_pool_id    = var.user_pool_id
  client_ids      = var.client_ids
  token_sources   = var.token_sources
  required_scopes = var.required_scopes
  allowed_groups  = var.allowed_groups
  zip_path        = coalesce(var.zip_path, "${path.module}/../../../dist/authorizer.zip")
  tags            = { Example = "authorizer-only" }
}
