output "user_pool_id" {
  description = "User pool id (`<region>_<id>`), the authorizer's USER_POOL_ID."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "User pool ARN."
  value       = aws_cognito_user_pool.this.arn
}

output "region" {
  description = "Region of the user pool."
  value       = local.region
}

output "client_id" {
  description = "Id of the public browser app client (no secret)."
  value       = aws_cognito_user_pool_client.web.id
}

output "issuer" {
  description = "Token issuer (`iss`): https://cognito-idp.<region>.amazonaws.com/<pool id>."
  value       = local.issuer
}

output "jwks_uri" {
  description = "JSON Web Key Set of the pool's signing keys."
  value       = "${local.issuer}/.well-known/jwks.json"
}

output "domain_prefix" {
  description = "Hosted UI domain prefix."
  value       = aws_cognito_user_pool_domain.this.domain
}

output "hosted_ui_url" {
  description = "Hosted UI base URL: https://<prefix>.auth.<region>.amazoncognito.com."
  value       = local.hosted_ui_url
}

output "authorize_url" {
  description = "OAuth 2.0 authorization endpoint."
  value       = "${local.hosted_ui_url}/oauth2/authorize"
}

output "token_url" {
  description = "OAuth 2.0 token endpoint."
  value       = "${local.hosted_ui_url}/oauth2/token"
}

output "logout_url" {
  description = "Hosted UI sign-out endpoint (`?client_id=...&logout_uri=...`)."
  value       = "${local.hosted_ui_url}/logout"
}

output "callback_urls" {
  description = "Registered redirect URLs after sign-in."
  value       = var.callback_urls
}

output "logout_urls" {
  description = "Registered redirect URLs after sign-out."
  value       = var.logout_urls
}

output "oauth_scopes" {
  description = "Scopes the client may request."
  value       = var.oauth_scopes
}

output "user_pool_tier" {
  description = "Feature plan of the pool (PLUS with threat protection; else as Cognito reports it)."
  value       = aws_cognito_user_pool.this.user_pool_tier
}

output "advanced_security_mode" {
  description = "Threat protection mode (OFF, AUDIT or ENFORCED)."
  value       = var.advanced_security_mode
}
