mock_provider "aws" {
  mock_resource "aws_cognito_user_pool" {
    defaults = {
      id       = "eu-west-1_AbCdEf123"
      arn      = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123"
      endpoint = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
}

variables {
  name          = "ws-test-pool"
  callback_urls = ["http://localhost:3000/", "https://app.example.com/callback"]
  logout_urls   = ["http://localhost:3000/"]
}

run "pool_signs_in_by_email_with_recovery_and_policy" {
  assert {
    condition     = aws_cognito_user_pool.this.username_attributes == toset(["email"]) && aws_cognito_user_pool.this.auto_verified_attributes == toset(["email"])
    error_message = "users do not sign in with a verified email"
  }
  assert {
    condition     = aws_cognito_user_pool.this.deletion_protection == "ACTIVE"
    error_message = "deletion protection is not ACTIVE by default"
  }
  assert {
    condition     = aws_cognito_user_pool.this.password_policy[0].minimum_length == 12 && aws_cognito_user_pool.this.password_policy[0].require_symbols
    error_message = "default password policy is weaker than 12 characters with symbols"
  }
  assert {
    condition     = [for m in aws_cognito_user_pool.this.account_recovery_setting[0].recovery_mechanism : m.name] == ["verified_email"]
    error_message = "account recovery is not by verified email only"
  }
  assert {
    condition     = aws_cognito_user_pool.this.mfa_configuration == "OPTIONAL" && aws_cognito_user_pool.this.software_token_mfa_configuration[0].enabled
    error_message = "optional TOTP MFA is not available by default"
  }
  assert {
    condition     = aws_cognito_user_pool.this.admin_create_user_config[0].allow_admin_create_user_only
    error_message = "self sign-up is open by default"
  }
}

run "client_is_public_code_flow_without_secret" {
  assert {
    condition     = aws_cognito_user_pool_client.web.generate_secret == false
    error_message = "browser client has a secret"
  }
  assert {
    condition     = aws_cognito_user_pool_client.web.allowed_oauth_flows == toset(["code"]) && aws_cognito_user_pool_client.web.allowed_oauth_flows_user_pool_client
    error_message = "client does not use the authorization code flow only"
  }
  assert {
    condition     = aws_cognito_user_pool_client.web.allowed_oauth_scopes == toset(["openid", "email", "profile"])
    error_message = "client scopes are not openid email profile"
  }
  assert {
    condition     = aws_cognito_user_pool_client.web.supported_identity_providers == toset(["COGNITO"])
    error_message = "client does not use the pool's own users"
  }
  assert {
    condition     = aws_cognito_user_pool_client.web.enable_token_revocation && aws_cognito_user_pool_client.web.prevent_user_existence_errors == "ENABLED"
    error_message = "token revocation or user-existence protection is off"
  }
  assert {
    condition     = !contains(tolist(aws_cognito_user_pool_client.web.explicit_auth_flows), "ALLOW_USER_PASSWORD_AUTH")
    error_message = "password auth is allowed by default"
  }
  assert {
    condition = (aws_cognito_user_pool_client.web.access_token_validity == 60 &&
      aws_cognito_user_pool_client.web.token_validity_units[0].access_token == "minutes" &&
    aws_cognito_user_pool_client.web.token_validity_units[0].refresh_token == "days")
    error_message = "token validities or their units are wrong"
  }
}

run "outputs_give_issuer_jwks_and_hosted_ui" {
  assert {
    condition     = output.issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
    error_message = "issuer is not https://<pool endpoint>"
  }
  assert {
    condition     = output.jwks_uri == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json"
    error_message = "JWKS URI is not <issuer>/.well-known/jwks.json"
  }
  assert {
    condition     = output.hosted_ui_url == "https://${output.domain_prefix}.auth.eu-west-1.amazoncognito.com"
    error_message = "hosted UI URL is not https://<prefix>.auth.<region>.amazoncognito.com"
  }
  assert {
    condition     = output.authorize_url == "${output.hosted_ui_url}/oauth2/authorize" && output.token_url == "${output.hosted_ui_url}/oauth2/token"
    error_message = "authorize or token URL is wrong"
  }
  assert {
    condition     = output.callback_urls == tolist(["http://localhost:3000/", "https://app.example.com/callback"])
    error_message = "callback URLs output lost entries or order"
  }
  assert {
    condition     = aws_cognito_user_pool_domain.this.managed_login_version == 1
    error_message = "hosted UI is not the classic managed_login_version 1"
  }
}

run "derived_domain_prefix_is_valid_and_hides_account" {
  variables {
    name = "My_Cognito-WS"
  }
  assert {
    condition     = can(regex("^my-ws-[0-9a-f]{10}$", output.domain_prefix))
    error_message = "derived prefix is not <sanitised name>-<10 hex>: ${output.domain_prefix}"
  }
  assert {
    condition     = !strcontains(output.domain_prefix, "123456789012")
    error_message = "derived prefix exposes the account id"
  }
}

run "derived_domain_prefix_differs_per_account" {
  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "210987654321" }
  }
  variables {
    name = "My_Cognito-WS"
  }
  assert {
    condition     = output.domain_prefix != run.derived_domain_prefix_is_valid_and_hides_account.domain_prefix
    error_message = "two accounts derive the same hosted UI prefix"
  }
}

run "explicit_domain_prefix_is_used" {
  variables {
    domain_prefix = "my-chat-login"
  }
  assert {
    condition     = aws_cognito_user_pool_domain.this.domain == "my-chat-login"
    error_message = "explicit domain_prefix was not used"
  }
}

run "tags_reach_the_pool" {
  variables {
    tags = { Team = "platform" }
  }
  assert {
    condition     = aws_cognito_user_pool.this.tags["Team"] == "platform"
    error_message = "tags did not reach the user pool"
  }
}

run "mfa_off_drops_totp" {
  variables {
    mfa_configuration   = "OFF"
    deletion_protection = false
  }
  assert {
    condition     = length(aws_cognito_user_pool.this.software_token_mfa_configuration) == 0 && aws_cognito_user_pool.this.deletion_protection == "INACTIVE"
    error_message = "MFA OFF still enables TOTP, or deletion_protection = false was ignored"
  }
}

run "bad_domain_prefix_is_refused" {
  command = plan
  variables {
    domain_prefix = "my-cognito-login"
  }
  expect_failures = [var.domain_prefix]
}

run "uppercase_domain_prefix_is_refused" {
  command = plan
  variables {
    domain_prefix = "MyLogin"
  }
  expect_failures = [var.domain_prefix]
}

run "plain_http_callback_is_refused" {
  command = plan
  variables {
    callback_urls = ["http://app.example.com/"]
  }
  expect_failures = [var.callback_urls]
}

run "email_scope_without_openid_is_refused" {
  command = plan
  variables {
    oauth_scopes = ["email"]
  }
  expect_failures = [var.oauth_scopes]
}

run "short_token_validity_is_refused" {
  command = plan
  variables {
    access_token_validity_minutes = 1
  }
  expect_failures = [var.access_token_validity_minutes]
}

run "urls_over_1024_characters_are_refused" {
  command = plan
  variables {
    callback_urls = ["https://app.example.com/${format("%01100d", 0)}"]
    logout_urls   = ["https://app.example.com/${format("%01100d", 1)}"]
  }
  expect_failures = [var.callback_urls, var.logout_urls]
}

run "custom_scope_without_resource_server_is_refused" {
  command = plan
  variables {
    oauth_scopes = ["openid", "chat/write"]
  }
  expect_failures = [var.oauth_scopes]
}

run "scope_over_256_characters_is_refused" {
  command = plan
  variables {
    oauth_scopes = ["openid", format("s%0300d", 0)]
  }
  expect_failures = [var.oauth_scopes]
}
