data "aws_caller_identity" "current" {}

locals {
  # Cognito refuses prefixes containing aws, amazon or cognito, so they are dropped from the derived one.
  name_part = trim(replace(replace(replace(lower(var.name), "/[^a-z0-9-]+/", "-"), "/aws|amazon|cognito/", ""), "/-+/", "-"), "-")
  derived_prefix = join("-", compact([
    substr(local.name_part, 0, 50),
    substr(sha1("${data.aws_caller_identity.current.account_id}:${var.name}"), 0, 10),
  ]))
  domain_prefix = coalesce(var.domain_prefix, local.derived_prefix)

  # The region is the prefix of the pool id (`eu-west-1_AbCdEf123`).
  region          = split("_", aws_cognito_user_pool.this.id)[0]
  hosted_ui_url   = "https://${aws_cognito_user_pool_domain.this.domain}.auth.${local.region}.amazoncognito.com"
  issuer          = "https://${aws_cognito_user_pool.this.endpoint}"
  software_totp   = var.mfa_configuration != "OFF"
  client_name     = coalesce(var.client_name, "${var.name}-web")
  prefix_is_valid = can(regex("^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$", local.domain_prefix)) && !can(regex("aws|amazon|cognito", local.domain_prefix))
}

resource "aws_cognito_user_pool" "this" {
  name                = var.name
  deletion_protection = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration   = var.mfa_configuration

  # Email is the sign-in name; case-insensitive so Jane@x and jane@x are one user.
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  username_configuration {
    case_sensitive = false
  }

  password_policy {
    minimum_length                   = var.password_policy.minimum_length
    require_lowercase                = var.password_policy.require_lowercase
    require_uppercase                = var.password_policy.require_uppercase
    require_numbers                  = var.password_policy.require_numbers
    require_symbols                  = var.password_policy.require_symbols
    temporary_password_validity_days = var.password_policy.temporary_password_validity_days
  }

  dynamic "software_token_mfa_configuration" {
    for_each = local.software_totp ? [1] : []
    content {
      enabled = true
    }
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = !var.allow_self_signup
  }

  email_configuration {
    email_sending_account = "COGNITO_DEFAULT"
  }

  # Threat protection exists on the Plus plan only; null leaves the plan as it is (Essentials for a new pool).
  user_pool_tier = var.advanced_security_mode == "OFF" ? null : "PLUS"

  dynamic "user_pool_add_ons" {
    for_each = var.advanced_security_mode == "OFF" ? [] : [1]
    content {
      advanced_security_mode = var.advanced_security_mode
    }
  }

  tags = var.tags
}

# A public browser client: authorization code flow, PKCE on the client side, no secret (a browser cannot keep one).
resource "aws_cognito_user_pool_client" "web" {
  name         = local.client_name
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret                      = false
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = var.oauth_scopes
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = var.callback_urls
  logout_urls                          = var.logout_urls
  explicit_auth_flows                  = var.explicit_auth_flows

  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true

  access_token_validity  = var.access_token_validity_minutes
  id_token_validity      = var.id_token_validity_minutes
  refresh_token_validity = var.refresh_token_validity_days
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

resource "aws_cognito_user_pool_domain" "this" {
  domain       = local.domain_prefix
  user_pool_id = aws_cognito_user_pool.this.id
  # 1 = the classic hosted UI; 2 (managed login) needs a branding resource this provider range lacks.
  managed_login_version = 1

  lifecycle {
    precondition {
      condition     = local.prefix_is_valid
      error_message = "The derived hosted UI domain prefix \"${local.domain_prefix}\" is not valid (3-63 of a-z, 0-9, '-', no aws/amazon/cognito): set domain_prefix."
    }
  }
}
