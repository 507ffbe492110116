variable "name" {
  description = "User pool name; also the base of the app client name and of the default hosted UI domain prefix."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.@+=,-]{1,100}$", var.name))
    error_message = "name must be 1 to 100 characters of letters, digits or _ . @ + = , -."
  }
}

variable "deletion_protection" {
  description = "Refuse deleting the pool (and so every user) while true; set false and apply before `terraform destroy`."
  type        = bool
  default     = true
}

variable "password_policy" {
  description = "Password rules for users of the pool."
  type = object({
    minimum_length                   = optional(number, 12)
    require_lowercase                = optional(bool, true)
    require_uppercase                = optional(bool, true)
    require_numbers                  = optional(bool, true)
    require_symbols                  = optional(bool, true)
    temporary_password_validity_days = optional(number, 7)
  })
  default = {}

  validation {
    condition     = var.password_policy.minimum_length >= 8 && var.password_policy.minimum_length <= 99
    error_message = "password_policy.minimum_length must be between 8 and 99."
  }

  validation {
    condition     = var.password_policy.temporary_password_validity_days >= 1 && var.password_policy.temporary_password_validity_days <= 365
    error_message = "password_policy.temporary_password_validity_days must be between 1 and 365."
  }
}

variable "mfa_configuration" {
  description = "OFF, OPTIONAL (users may enrol a TOTP app) or ON (every user must)."
  type        = string
  default     = "OPTIONAL"

  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.mfa_configuration)
    error_message = "mfa_configuration must be OFF, OPTIONAL or ON."
  }
}

variable "allow_self_signup" {
  description = "Let anyone sign up through the hosted UI; false means only administrators create users."
  type        = bool
  default     = false
}

variable "client_name" {
  description = "Name of the browser app client; null gives `<name>-web`."
  type        = string
  default     = null
}

variable "callback_urls" {
  description = "Redirect URLs after sign-in: https, or http only for localhost."
  type        = list(string)

  validation {
    condition     = length(var.callback_urls) > 0 && length(var.callback_urls) <= 100
    error_message = "callback_urls must list between 1 and 100 URLs."
  }

  validation {
    condition     = alltrue([for u in var.callback_urls : can(regex("^(https://[^/?#\\s]+|http://localhost(:[0-9]{1,5})?)(/[^#\\s]*)?$", u))])
    error_message = "callback_urls must be https:// URLs (http:// only for localhost) without a #fragment."
  }

  validation {
    condition     = alltrue([for u in var.callback_urls : length(u) <= 1024])
    error_message = "callback_urls must each be at most 1,024 characters (Cognito's limit)."
  }
}

variable "logout_urls" {
  description = "Allowed redirect URLs after sign-out: https, or http only for localhost."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.logout_urls) <= 100
    error_message = "logout_urls must list at most 100 URLs."
  }

  validation {
    condition     = alltrue([for u in var.logout_urls : can(regex("^(https://[^/?#\\s]+|http://localhost(:[0-9]{1,5})?)(/[^#\\s]*)?$", u))])
    error_message = "logout_urls must be https:// URLs (http:// only for localhost) without a #fragment."
  }

  validation {
    condition     = alltrue([for u in var.logout_urls : length(u) <= 1024])
    error_message = "logout_urls must each be at most 1,024 characters (Cognito's limit)."
  }
}

variable "oauth_scopes" {
  description = "Scopes the client may request: openid, email, phone, profile, aws.cognito.signin.user.admin (custom `<resource-server>/<scope>` scopes need a resource server this module does not create)."
  type        = list(string)
  default     = ["openid", "email", "profile"]

  validation {
    condition     = length(var.oauth_scopes) > 0 && alltrue([for s in var.oauth_scopes : contains(["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"], s) || can(regex("^[\\x21\\x23-\\x5B\\x5D-\\x7E]+/[\\x21\\x23-\\x5B\\x5D-\\x7E]+$", s))])
    error_message = "oauth_scopes must be non-empty and each one of openid, email, phone, profile, aws.cognito.signin.user.admin or <resource-server>/<scope>."
  }

  validation {
    # Cognito rejects email/phone/profile without openid.
    condition     = contains(var.oauth_scopes, "openid") || length(setintersection(var.oauth_scopes, ["email", "phone", "profile"])) == 0
    error_message = "oauth_scopes: email, phone and profile need openid as well."
  }

  validation {
    condition     = alltrue([for sc in var.oauth_scopes : length(sc) <= 256])
    error_message = "oauth_scopes must each be at most 256 characters (Cognito's limit)."
  }

  validation {
    # Cognito refuses the client (ScopeDoesNotExistException) unless a resource server defines the scope, and this
    # module creates none.
    condition     = alltrue([for sc in var.oauth_scopes : !strcontains(sc, "/")])
    error_message = "oauth_scopes: custom scopes (<resource-server>/<scope>) need a resource server, which this module does not create. Create the pool, resource server and client yourself and pass existing_user_pool_id / existing_client_ids to the root stack."
  }
}

variable "explicit_auth_flows" {
  description = "Non-hosted-UI sign-in flows. Add ALLOW_USER_PASSWORD_AUTH only to fetch test tokens from the CLI."
  type        = list(string)
  default     = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]

  validation {
    condition = alltrue([for f in var.explicit_auth_flows : contains([
      "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_CUSTOM_AUTH", "ALLOW_USER_AUTH",
    ], f)])
    error_message = "explicit_auth_flows must be ALLOW_* flows: ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_AUTH."
  }
}

variable "access_token_validity_minutes" {
  description = "Lifetime of access tokens in minutes (5 to 1440). Connections outlive it: the authorizer checks at $connect."
  type        = number
  default     = 60

  validation {
    condition     = var.access_token_validity_minutes >= 5 && var.access_token_validity_minutes <= 1440
    error_message = "access_token_validity_minutes must be between 5 and 1440."
  }
}

variable "id_token_validity_minutes" {
  description = "Lifetime of ID tokens in minutes (5 to 1440)."
  type        = number
  default     = 60

  validation {
    condition     = var.id_token_validity_minutes >= 5 && var.id_token_validity_minutes <= 1440
    error_message = "id_token_validity_minutes must be between 5 and 1440."
  }
}

variable "refresh_token_validity_days" {
  description = "Lifetime of refresh tokens in days (1 to 3650)."
  type        = number
  default     = 30

  validation {
    condition     = var.refresh_token_validity_days >= 1 && var.refresh_token_validity_days <= 3650
    error_message = "refresh_token_validity_days must be between 1 and 3650."
  }
}

variable "domain_prefix" {
  description = <<-EOT
    Hosted UI domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique per region across AWS. null derives
    `<name>-<10 hex of sha1(account id:name)>`, unique per account without printing the account id.
  EOT
  type        = string
  default     = null

  validation {
    condition = var.domain_prefix == null || (
      can(regex("^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$", coalesce(var.domain_prefix, "x"))) &&
      !can(regex("aws|amazon|cognito", coalesce(var.domain_prefix, "x")))
    )
    error_message = "domain_prefix must be 3 to 63 lowercase letters, digits or hyphens, start and end with a letter or digit, and not contain aws, amazon or cognito."
  }
}

variable "advanced_security_mode" {
  description = "Threat protection (OFF, AUDIT or ENFORCED). Anything but OFF needs the Plus feature plan, so the pool's user_pool_tier is then PLUS (billed per monthly active user, no free tier)."
  type        = string
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.advanced_security_mode)
    error_message = "advanced_security_mode must be OFF, AUDIT or ENFORCED."
  }
}

variable "tags" {
  description = "Tags for the user pool (app clients and domains are not taggable)."
  type        = map(string)
  default     = {}
}
