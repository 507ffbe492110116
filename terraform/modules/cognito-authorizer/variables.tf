variable "name" {
  description = "Name of the authorizer, its Lambda function, role and log group."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1 to 64 characters of letters, digits, '-' or '_'."
  }
}

variable "api_id" {
  description = "Id of the WebSocket API to attach the authorizer to (an existing API, or websocket-api's `api_id`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{1,32}$", var.api_id))
    error_message = "api_id must be an API Gateway id (lowercase letters and digits, e.g. abc123def4)."
  }
}

variable "user_pool_id" {
  description = "Cognito user pool id whose tokens are accepted (`<region>_<id>`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}_[0-9A-Za-z]{1,40}$", var.user_pool_id))
    error_message = "user_pool_id must look like <region>_<id>, e.g. eu-west-1_AbCdEf123."
  }
}

variable "client_ids" {
  description = "App client ids whose tokens are accepted (`client_id` of access tokens, `aud` of ID tokens)."
  type        = list(string)

  validation {
    condition     = length(var.client_ids) > 0 && alltrue([for c in var.client_ids : can(regex("^[A-Za-z0-9_+]{1,128}$", c))])
    error_message = "client_ids must list at least one app client id (letters, digits, '_' or '+', up to 128)."
  }
}

variable "token_use" {
  description = "Token type accepted: access (recommended) or id."
  type        = string
  default     = "access"

  validation {
    condition     = contains(["access", "id"], var.token_use)
    error_message = "token_use must be access or id."
  }
}

variable "token_sources" {
  description = <<-EOT
    Where clients may send the token: header (TOKEN_HEADER, `Bearer ` optional), query (TOKEN_QUERY_PARAM) and/or
    protocol (Sec-WebSocket-Protocol `bearer, <token>`, what browsers can send). With exactly one source, API Gateway
    itself rejects handshakes that lack it (401) before invoking the Lambda; with several it cannot, so none is set.
  EOT
  type        = list(string)
  default     = ["header", "query", "protocol"]

  validation {
    condition     = length(var.token_sources) > 0 && alltrue([for s in var.token_sources : contains(["header", "query", "protocol"], s)])
    error_message = "token_sources must list one or more of header, query, protocol."
  }

  validation {
    condition     = length(distinct(var.token_sources)) == length(var.token_sources)
    error_message = "token_sources must not repeat a source."
  }
}

variable "token_header" {
  description = "Header carrying the token when token_sources has header."
  type        = string
  default     = "Authorization"

  validation {
    # API Gateway accepts identity-source names of [A-Za-z0-9._-] only (route.request.header.<name>).
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.token_header)) && lower(var.token_header) != "sec-websocket-protocol"
    error_message = "token_header must be 1 to 64 letters, digits, '.', '_' or '-' (what an API Gateway identity source accepts), and not Sec-WebSocket-Protocol (use the protocol token source)."
  }
}

variable "token_query_param" {
  description = "Query string parameter carrying the token when token_sources has query."
  type        = string
  default     = "token"

  validation {
    # API Gateway accepts identity-source names of [A-Za-z0-9._-] only (route.request.querystring.<name>).
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.token_query_param))
    error_message = "token_query_param must be 1 to 64 of letters, digits, '.', '_' or '-' (what an API Gateway identity source accepts)."
  }
}

variable "required_scopes" {
  description = "Scopes every access token must carry (all of them); missing ones give 403. Empty: no scope check."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.required_scopes : can(regex("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}$", s))])
    error_message = "required_scopes must be OAuth scope tokens (printable ASCII without spaces, '\"' or '\\')."
  }

  validation {
    condition     = length(var.required_scopes) == 0 || var.token_use == "access"
    error_message = "required_scopes needs token_use = access: ID tokens carry no scopes."
  }
}

variable "allowed_groups" {
  description = "If non-empty, the user must be in at least one of these Cognito groups (else 403)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for g in var.allowed_groups : can(regex("^[^,\\s][^,]{0,127}$", g))])
    error_message = "allowed_groups must be group names of 1 to 128 characters without commas."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the authorizer (debug, info, warn, error); null leaves the function's default (info)."
  type        = string
  default     = null

  validation {
    condition     = var.log_level == null || contains(["debug", "info", "warn", "error"], coalesce(var.log_level, "info"))
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "delete_timeout" {
  description = "How long destroy retries deleting the authorizer while a route still uses it (ConflictException), e.g. 5m."
  type        = string
  default     = "5m"

  validation {
    condition     = can(regex("^[0-9]+[smh]$", var.delete_timeout))
    error_message = "delete_timeout must be a duration such as 90s, 5m or 1h."
  }
}

variable "context_claims" {
  description = "Extra token claims copied into the authorizer context as `claim_<name with non-alphanumerics as _>` (CONTEXT_CLAIMS)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.context_claims) <= 20 && alltrue([for c in var.context_claims : can(regex("^[\\x21-\\x2B\\x2D-\\x7E]{1,128}$", c))])
    error_message = "context_claims must be at most 20 claim names of 1 to 128 printable characters without spaces or commas."
  }

  validation {
    condition     = length(setintersection(var.context_claims, ["sub", "username", "client_id", "aud", "scope", "cognito:groups", "token_use", "exp", "auth_time"])) == 0
    error_message = "context_claims must not name sub, username, client_id, aud, scope, cognito:groups, token_use, exp or auth_time: the context already carries them."
  }

  validation {
    condition     = length(distinct([for c in distinct(var.context_claims) : replace(c, "/[^A-Za-z0-9]/", "_")])) == length(distinct(var.context_claims))
    error_message = "context_claims names two claims that map to the same claim_ key (every character other than letters and digits becomes _)."
  }
}

variable "revocations_table_name" {
  description = "Revocations table the authorizer reads (REVOCATIONS_TABLE); null turns revocation off."
  type        = string
  default     = null
}

variable "revocations_table_arn" {
  description = "ARN of the revocations table: the role gets dynamodb:GetItem on it. Set together with revocations_table_name."
  type        = string
  default     = null

  validation {
    condition     = (var.revocations_table_arn == null) == (var.revocations_table_name == null)
    error_message = "revocations_table_arn and revocations_table_name must be set together."
  }
}

variable "table_kms_key_arn" {
  description = "Customer managed key of the revocations table, if any: the role gets kms:Decrypt and kms:DescribeKey on it."
  type        = string
  default     = null
}

variable "cognito_revocation_check" {
  description = "Ask Cognito at each handshake whether the token was revoked (GetUser, or userInfo for openid tokens): off or on."
  type        = string
  default     = "off"

  validation {
    condition     = contains(["off", "on"], var.cognito_revocation_check)
    error_message = "cognito_revocation_check must be off or on."
  }

  validation {
    condition     = var.cognito_revocation_check == "off" || var.token_use == "access"
    error_message = "cognito_revocation_check = on needs token_use = access: Cognito checks access tokens."
  }
}

variable "cognito_revocation_uncheckable" {
  description = "Answer for tokens with neither aws.cognito.signin.user.admin nor openid scope when the check is on: deny or allow."
  type        = string
  default     = "deny"

  validation {
    condition     = contains(["deny", "allow"], var.cognito_revocation_uncheckable)
    error_message = "cognito_revocation_uncheckable must be deny or allow."
  }
}

variable "cognito_revocation_on_error" {
  description = "Answer when Cognito's check times out or fails: deny (fail closed) or allow."
  type        = string
  default     = "deny"

  validation {
    condition     = contains(["deny", "allow"], var.cognito_revocation_on_error)
    error_message = "cognito_revocation_on_error must be deny or allow."
  }
}

variable "userinfo_endpoint" {
  description = "The pool domain's https://<domain>/oauth2/userInfo; required when cognito_revocation_check is on."
  type        = string
  default     = null

  validation {
    condition     = var.userinfo_endpoint == null || can(regex("^https://[^/?#\\s]+/oauth2/userInfo$", coalesce(var.userinfo_endpoint, "x")))
    error_message = "userinfo_endpoint must be https://<domain>/oauth2/userInfo."
  }

  validation {
    condition     = var.cognito_revocation_check == "off" || var.userinfo_endpoint != null
    error_message = "userinfo_endpoint is required when cognito_revocation_check is on."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the authorizer's EMF metrics (METRICS_NAMESPACE)."
  type        = string
  default     = "WebSocketAuth"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1 to 255 of letters, digits and . _ / # : - (not starting with AWS/, which CloudWatch reserves)."
  }
}

variable "application_log_level" {
  description = "Lambda application log level (logging_config): TRACE, DEBUG, INFO, WARN, ERROR or FATAL; null keeps Lambda's INFO."
  type        = string
  default     = null
}

variable "tracing_enabled" {
  description = "X-Ray active tracing on the authorizer."
  type        = bool
  default     = false
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for the authorizer; -1 leaves it unreserved."
  type        = number
  default     = -1
}

variable "role_name" {
  description = "Name of the authorizer's role; null gives `<name>-<region>`."
  type        = string
  default     = null
}

variable "zip_path" {
  description = "Path of the authorizer's deployment zip (dist/authorizer.zip from `make build`)."
  type        = string
}

variable "runtime" {
  description = "Lambda runtime (nodejs20.x or nodejs22.x)."
  type        = string
  default     = "nodejs22.x"

  # Checked here too so a wrong value is reported against this module's input.
  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.runtime)
    error_message = "runtime must be one of nodejs20.x, nodejs22.x (the bundles target Node 20+ and are tested on 20 and 22)."
  }
}

variable "architecture" {
  description = "arm64 or x86_64."
  type        = string
  default     = "arm64"
}

variable "memory_size" {
  description = "Memory in MB. RS256 verification is CPU-bound and CPU scales with memory."
  type        = number
  default     = 256
}

variable "timeout" {
  description = "Timeout in seconds (a cold start fetches the JWKS once)."
  type        = number
  default     = 10
}

variable "log_retention_days" {
  description = "Retention of the authorizer's log group, in days."
  type        = number
  default     = 30
}

variable "log_kms_key_arn" {
  description = "Optional KMS key ARN for the authorizer's log group."
  type        = string
  default     = null
}

variable "permissions_boundary_arn" {
  description = "Optional permissions boundary for the authorizer's role."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for the function, its role and log group."
  type        = map(string)
  default     = {}
}
