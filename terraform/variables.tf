variable "name" {
  description = "Name prefix of every resource (pool, table, functions, API, log groups). Unique per account and region; IAM role names, global to the account, also carry the region (`<name>-connect-<region>`)."
  type        = string
  default     = "ws-auth"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 40 characters: lowercase letters, digits and '-', starting with a letter."
  }

  validation {
    # The longest role name, `<name>-authorizer-<region>`, must fit IAM's 64 characters.
    condition     = length(var.name) + length("-authorizer-") + length(var.region) <= 64
    error_message = "name is too long for this region: the role `<name>-authorizer-<region>` would exceed IAM's 64 characters."
  }

  validation {
    condition     = !var.create_api_gateway_cloudwatch_role || length(var.name) + length("-apigw-cloudwatch-") + length(var.region) <= 64
    error_message = "name is too long for create_api_gateway_cloudwatch_role: the role `<name>-apigw-cloudwatch-<region>` would exceed IAM's 64 characters."
  }
}

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "stage_name" {
  description = "WebSocket API stage, the last path segment of the URL."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must be 1 to 128 letters, digits, '_' or '-'."
  }
}

variable "callback_urls" {
  description = "Where the hosted UI may redirect after sign-in (the web app). https, or http only for localhost. The first is `redirect_uri`."
  type        = list(string)
  default     = ["http://localhost:3000/"]

  validation {
    condition     = length(var.callback_urls) > 0 && alltrue([for u in var.callback_urls : can(regex("^(https://[^/?#\\s]+|http://localhost(:[0-9]{1,5})?)(/[^#\\s]*)?$", u))])
    error_message = "callback_urls must list at least one https:// URL (http:// only for localhost), without a #fragment."
  }

  validation {
    condition     = alltrue([for u in var.callback_urls : length(u) <= 1024])
    error_message = "callback_urls must each be at most 1,024 characters (Cognito's limit)."
  }
}

variable "logout_urls" {
  description = "Where the hosted UI may redirect after sign-out. https, or http only for localhost. The first is `logout_uri`."
  type        = list(string)
  default     = ["http://localhost:3000/"]

  validation {
    condition     = alltrue([for u in var.logout_urls : can(regex("^(https://[^/?#\\s]+|http://localhost(:[0-9]{1,5})?)(/[^#\\s]*)?$", u))])
    error_message = "logout_urls must be https:// URLs (http:// only for localhost), without a #fragment."
  }

  validation {
    condition     = alltrue([for u in var.logout_urls : length(u) <= 1024])
    error_message = "logout_urls must each be at most 1,024 characters (Cognito's limit)."
  }
}

variable "oauth_scopes" {
  description = "Scopes the web app client may request from the hosted UI. Custom `<resource-server>/<scope>` scopes only with an existing pool (the created pool has no resource server)."
  type        = list(string)
  default     = ["openid", "email", "profile"]

  validation {
    condition     = length(var.oauth_scopes) > 0 && alltrue([for s in var.oauth_scopes : contains(["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"], s) || can(regex("^[\\x21\\x23-\\x5B\\x5D-\\x7E]+/[\\x21\\x23-\\x5B\\x5D-\\x7E]+$", s))])
    error_message = "oauth_scopes must be non-empty and each one of openid, email, phone, profile, aws.cognito.signin.user.admin or <resource-server>/<scope>."
  }

  validation {
    condition     = alltrue([for sc in var.oauth_scopes : length(sc) <= 256])
    error_message = "oauth_scopes must each be at most 256 characters (Cognito's limit)."
  }

  validation {
    # Cognito refuses the client (ScopeDoesNotExistException) unless a resource server defines a custom scope, and
    # the created pool has none.
    condition     = var.existing_user_pool_id != null || alltrue([for sc in var.oauth_scopes : !strcontains(sc, "/")])
    error_message = "oauth_scopes: custom scopes (<resource-server>/<scope>) need a resource server, which the created pool does not have. Create the pool, resource server and client yourself and set existing_user_pool_id / existing_client_ids."
  }
}

variable "token_use" {
  description = "Token the authorizer accepts: access (recommended) or id."
  type        = string
  default     = "access"

  validation {
    condition     = contains(["access", "id"], var.token_use)
    error_message = "token_use must be access or id."
  }
}

variable "token_sources" {
  description = "Where clients may send the token: header, query, protocol (Sec-WebSocket-Protocol). One source alone is also enforced by API Gateway."
  type        = list(string)
  default     = ["header", "query", "protocol"]

  validation {
    condition     = length(var.token_sources) > 0 && alltrue([for s in var.token_sources : contains(["header", "query", "protocol"], s)]) && length(distinct(var.token_sources)) == length(var.token_sources)
    error_message = "token_sources must list one or more of header, query, protocol, each once."
  }
}

variable "token_header" {
  description = "Header carrying the token for the header source (`Bearer ` optional)."
  type        = string
  default     = "Authorization"

  validation {
    # API Gateway accepts identity-source names of [A-Za-z0-9._-] only (route.request.header.<name>).
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.token_header)) && lower(var.token_header) != "sec-websocket-protocol"
    error_message = "token_header must be 1 to 64 letters, digits, '.', '_' or '-' (what an API Gateway identity source accepts), and not Sec-WebSocket-Protocol (use the protocol token source)."
  }
}

variable "token_query_param" {
  description = "Query parameter carrying the token for the query source; the connection Lambdas never store it."
  type        = string
  default     = "token"

  validation {
    # API Gateway accepts identity-source names of [A-Za-z0-9._-] only (route.request.querystring.<name>).
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.token_query_param))
    error_message = "token_query_param must be 1 to 64 of letters, digits, '.', '_' or '-' (what an API Gateway identity source accepts)."
  }
}

variable "required_scopes" {
  description = "Scopes every access token must carry, else 403. Empty: no scope check."
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

  validation {
    # A required scope the created client may not request would lock every user out.
    condition     = var.existing_user_pool_id != null || length(setsubtract(var.required_scopes, var.oauth_scopes)) == 0
    error_message = "required_scopes must be among oauth_scopes, or no token from the created client could ever connect."
  }
}

variable "allowed_groups" {
  description = "If non-empty, only users in one of these Cognito groups may connect (else 403)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for g in var.allowed_groups : can(regex("^[^,\\s][^,]{0,127}$", g))])
    error_message = "allowed_groups must be group names of 1 to 128 characters without commas."
  }

  validation {
    # Lambda refuses more than 4 KB of environment (names and values). The lists below are the variable part of
    # the refresh function's environment (the authorizer's plus the connection settings); the rest (ids, endpoints,
    # flags, table names) stays under the 1,200 bytes reserved. Refresh's is the largest: connect's (connection
    # settings with TOKEN_HEADER, claims, REVOCATIONS_TABLE, MAX_CONNECTIONS_PER_USER) is a subset of it but for
    # MAX_CONNECTIONS_PER_USER, far smaller than the authorizer variables connect does not get.
    condition = (1200 + length(join(",", var.allowed_groups)) + length(join(" ", var.required_scopes)) +
      length(join(",", var.existing_client_ids)) + length(var.token_header) + length(var.token_query_param) +
      length(join(",", var.context_claims)) + length(var.metrics_namespace) + length(join(",", var.stored_headers)) +
      length(var.stage_name) + length(coalesce(var.existing_hosted_ui_url, "-"))
    ) <= 4096
    error_message = "allowed_groups, required_scopes, existing_client_ids and context_claims together overflow the 4 KB Lambda environment of the authorizer and refresh functions: use fewer or shorter names."
  }
}

variable "existing_user_pool_id" {
  description = "Use this existing user pool instead of creating one (then set existing_client_ids too)."
  type        = string
  default     = null

  validation {
    condition     = var.existing_user_pool_id == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}_[0-9A-Za-z]{1,40}$", coalesce(var.existing_user_pool_id, "x")))
    error_message = "existing_user_pool_id must look like <region>_<id>, e.g. eu-west-1_AbCdEf123."
  }
}

variable "existing_client_ids" {
  description = "App client ids of the existing user pool whose tokens are accepted. The first is `client_id`."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.existing_client_ids : can(regex("^[A-Za-z0-9_+]{1,128}$", c))])
    error_message = "existing_client_ids must be app client ids (letters, digits, '_' or '+')."
  }

  validation {
    condition     = (var.existing_user_pool_id == null) == (length(var.existing_client_ids) == 0)
    error_message = "existing_client_ids must be set exactly when existing_user_pool_id is set."
  }
}

variable "existing_hosted_ui_url" {
  description = "Hosted UI base URL of the existing user pool, passed through to the `hosted_ui_url` output for the web app."
  type        = string
  default     = null

  validation {
    condition     = var.existing_hosted_ui_url == null || can(regex("^https://[^/?#\\s]+$", coalesce(var.existing_hosted_ui_url, "x")))
    error_message = "existing_hosted_ui_url must be an https:// origin without a path, e.g. https://login.example.com."
  }
}

variable "domain_prefix" {
  description = "Hosted UI domain prefix for the created pool; null derives one unique per account from name."
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

variable "mfa_configuration" {
  description = "MFA of the created pool: OFF, OPTIONAL (TOTP) or ON."
  type        = string
  default     = "OPTIONAL"

  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.mfa_configuration)
    error_message = "mfa_configuration must be OFF, OPTIONAL or ON."
  }
}

variable "allow_self_signup" {
  description = "Let anyone sign up through the hosted UI of the created pool (false: administrators create users)."
  type        = bool
  default     = false
}

variable "allow_password_auth" {
  description = "Enable USER_PASSWORD_AUTH on the created client, to fetch test tokens with `aws cognito-idp initiate-auth`."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Deletion protection of the user pool and the connections table; set false and apply before destroy."
  type        = bool
  default     = true
}

variable "table_kms_key_arn" {
  description = "Customer managed KMS key for the tables; null uses the AWS managed key. Each function role that reads a table gets kms:Decrypt and kms:DescribeKey on it, and kms:GenerateDataKey where it writes."
  type        = string
  default     = null

  validation {
    condition     = var.table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.table_kms_key_arn, "x")))
    error_message = "table_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }

  validation {
    # DynamoDB encrypts only with a key of the table's region.
    condition     = var.table_kms_key_arn == null || try(split(":", var.table_kms_key_arn)[3] == var.region, false)
    error_message = "table_kms_key_arn must be a key in the stack's region."
  }
}

variable "connection_ttl_seconds" {
  description = "Seconds after $connect when DynamoDB TTL may remove a connection whose $disconnect was lost."
  type        = number
  default     = 7260

  validation {
    condition     = var.connection_ttl_seconds >= 60 && var.connection_ttl_seconds <= 604800 && floor(var.connection_ttl_seconds) == var.connection_ttl_seconds
    error_message = "connection_ttl_seconds must be a whole number between 60 and 604800 (7 days)."
  }
}

variable "stored_headers" {
  description = "Handshake headers the connect Lambda keeps on the connection item (never credential headers, never token_header)."
  type        = list(string)
  default     = ["user-agent"]

  validation {
    condition = length(var.stored_headers) <= 20 && alltrue([for h in var.stored_headers :
      can(regex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$", h)) &&
      !contains(["authorization", "proxy-authorization", "cookie", "sec-websocket-protocol", "x-amz-security-token"], lower(h))
    ])
    error_message = "stored_headers must be at most 20 header names, none of authorization, proxy-authorization, cookie, sec-websocket-protocol, x-amz-security-token."
  }

  validation {
    # A custom token header would put every access token on the connection item and in every echo.
    condition     = !contains([for h in var.stored_headers : lower(h)], lower(var.token_header))
    error_message = "stored_headers must not include token_header: that header carries the access token."
  }
}

variable "lambda_zip_dir" {
  description = "Directory holding authorizer.zip, connect.zip, default.zip, disconnect.zip, refresh.zip and control.zip; null means ../dist (`make build`)."
  type        = string
  default     = null

  validation {
    condition     = var.lambda_zip_dir == null || length(trimspace(coalesce(var.lambda_zip_dir, "x"))) > 0
    error_message = "lambda_zip_dir must be a directory path, or null for ../dist."
  }
}

variable "lambda_runtime" {
  description = "Runtime of every function."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.lambda_runtime)
    error_message = "lambda_runtime must be one of nodejs20.x, nodejs22.x."
  }
}

variable "lambda_architecture" {
  description = "Architecture of every function: arm64 or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "lambda_memory_size" {
  description = "Memory of each function in MB."
  type        = number
  default     = 256

  validation {
    condition     = var.lambda_memory_size >= 128 && var.lambda_memory_size <= 10240 && floor(var.lambda_memory_size) == var.lambda_memory_size
    error_message = "lambda_memory_size must be a whole number between 128 and 10240."
  }
}

variable "lambda_timeout" {
  description = "Timeout of each function in seconds (API Gateway stops waiting at 29)."
  type        = number
  default     = 10

  validation {
    condition     = var.lambda_timeout >= 1 && var.lambda_timeout <= 29 && floor(var.lambda_timeout) == var.lambda_timeout
    error_message = "lambda_timeout must be a whole number between 1 and 29."
  }
}

variable "log_retention_days" {
  description = "Retention of every log group (functions and API access logs), in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "throttling_burst_limit" {
  description = "Stage burst limit (requests). Above zero: zero rejects everything."
  type        = number
  default     = 500

  validation {
    condition     = var.throttling_burst_limit > 0 && var.throttling_burst_limit <= 5000 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number above zero (at most 5000)."
  }
}

variable "throttling_rate_limit" {
  description = "Stage steady rate limit (requests per second). Above zero: zero rejects everything."
  type        = number
  default     = 1000

  validation {
    condition     = var.throttling_rate_limit > 0 && var.throttling_rate_limit <= 10000
    error_message = "throttling_rate_limit must be above zero (at most 10000)."
  }
}

variable "api_logging_level" {
  description = "API Gateway execution logging: OFF, ERROR or INFO (needs the account CloudWatch role)."
  type        = string
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.api_logging_level)
    error_message = "api_logging_level must be OFF, ERROR or INFO."
  }
}

variable "api_access_logs_enabled" {
  description = "JSON access logs of the WebSocket stage. They need the account-level API Gateway CloudWatch role (see create_api_gateway_cloudwatch_role)."
  type        = bool
  default     = true
}

variable "create_api_gateway_cloudwatch_role" {
  description = "Create the account-wide API Gateway CloudWatch role that access and execution logs need (one per account and region: only if `aws apigateway get-account` shows no cloudwatchRoleArn)."
  type        = bool
  default     = false
}

variable "revocation_enabled" {
  description = "Explicit revocation: the `<name>-revocations` table, REVOCATIONS_TABLE on the authorizer, connect, refresh and control functions (connect re-reads the record after storing its item), and the control function's `revoke` operation. false: no table, no variable, no grant."
  type        = bool
  default     = true
}

variable "cognito_revocation_check" {
  description = "Also ask Cognito at each handshake and refresh whether the token was revoked (GetUser for aws.cognito.signin.user.admin tokens, else the pool domain's userInfo for openid tokens): off or on. Needs token_use = access and a hosted UI domain."
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

  validation {
    # USERINFO_ENDPOINT is the pool domain's: the created pool's, or existing_hosted_ui_url.
    condition     = var.cognito_revocation_check == "off" || var.existing_user_pool_id == null || var.existing_hosted_ui_url != null
    error_message = "cognito_revocation_check = on with an existing pool needs existing_hosted_ui_url (its domain answers /oauth2/userInfo)."
  }
}

variable "cognito_revocation_uncheckable" {
  description = "With the Cognito check on, the answer for tokens carrying neither aws.cognito.signin.user.admin nor openid: deny or allow."
  type        = string
  default     = "deny"

  validation {
    condition     = contains(["deny", "allow"], var.cognito_revocation_uncheckable)
    error_message = "cognito_revocation_uncheckable must be deny or allow."
  }
}

variable "cognito_revocation_on_error" {
  description = "With the Cognito check on, the answer when Cognito times out or fails: deny (fail closed) or allow."
  type        = string
  default     = "deny"

  validation {
    condition     = contains(["deny", "allow"], var.cognito_revocation_on_error)
    error_message = "cognito_revocation_on_error must be deny or allow."
  }
}

variable "max_connections_per_user" {
  description = "Open connections one user (sub) may hold; the next handshake is refused. 0 = unlimited."
  type        = number
  default     = 10

  validation {
    condition     = var.max_connections_per_user >= 0 && var.max_connections_per_user <= 10000 && floor(var.max_connections_per_user) == var.max_connections_per_user
    error_message = "max_connections_per_user must be a whole number from 0 (unlimited) to 10000."
  }
}

variable "context_claims" {
  description = "Extra token claims passed to the routes as `$context.authorizer.claim_<name with non-alphanumerics as _>` and stored on the connection item (CONTEXT_CLAIMS of the authorizer, connect and refresh), e.g. [\"custom:tenant\"]."
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
    error_message = "context_claims names two claims that map to the same claim_ key (every character other than letters and digits becomes _), e.g. custom:tenant and custom_tenant."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the functions' EMF metrics (METRICS_NAMESPACE)."
  type        = string
  default     = "WebSocketAuth"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1 to 255 of letters, digits and . _ / # : - (not starting with AWS/, which CloudWatch reserves)."
  }
}

variable "control_invoker_arns" {
  description = "Principals (IAM role or user ARNs, or 12-digit account ids) given lambda:InvokeFunction on the control function through its resource policy. Identity policies of the same account can grant invoke too, without this."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.control_invoker_arns : can(regex("^(arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9_+=,.@/-]{1,512}|[0-9]{12})$", a))])
    error_message = "control_invoker_arns must be IAM role or user ARNs (arn:aws:iam::<account>:role/<name>) or 12-digit account ids."
  }
}

variable "control_events_enabled" {
  description = "An EventBridge trigger for the control function: a dedicated bus `<name>-control` and a rule passing each matching event's `detail` as the payload."
  type        = bool
  default     = false
}

variable "control_event_sources" {
  description = "Principals (IAM role/user ARNs or account ids) the bus's resource policy allows to put events; the account's own identities need an identity policy instead."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.control_event_sources : can(regex("^(arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9_+=,.@/-]{1,512}|[0-9]{12})$", a))])
    error_message = "control_event_sources must be IAM role or user ARNs or 12-digit account ids."
  }
}

variable "control_event_pattern" {
  description = "Extra EventBridge pattern (JSON object) the events must match, e.g. {\"source\":[\"my.backend\"]}. The rule always adds detail.op = control_event_ops, so the pattern must not name detail.op."
  type        = string
  default     = "{}"

  validation {
    condition     = can(keys(jsondecode(var.control_event_pattern)))
    error_message = "control_event_pattern must be a JSON object."
  }

  validation {
    condition     = !can(jsondecode(var.control_event_pattern).detail.op)
    error_message = "control_event_pattern must not set detail.op: the rule sets it from control_event_ops."
  }
}

variable "control_event_ops" {
  description = "Control operations the EventBridge rule lets through (its pattern matches only events whose detail.op is one of them), so whoever can put events cannot revoke or disconnect users unless listed."
  type        = list(string)
  default     = ["send"]

  validation {
    condition     = length(var.control_event_ops) > 0 && alltrue([for op in var.control_event_ops : contains(["send", "disconnect", "revoke"], op)])
    error_message = "control_event_ops must list one or more of send, disconnect, revoke (list answers nobody through EventBridge)."
  }
}

variable "log_level" {
  description = "Lowest level the functions log: debug, info, warn or error. It becomes each function's logging_config.application_log_level (Lambda filters JSON records below it and tells the code as AWS_LAMBDA_LOG_LEVEL); null keeps Lambda's INFO."
  type        = string
  default     = null

  validation {
    condition     = var.log_level == null || contains(["debug", "info", "warn", "error"], coalesce(var.log_level, "info"))
    error_message = "log_level must be debug, info, warn or error (or null)."
  }
}

variable "tracing_enabled" {
  description = "X-Ray active tracing on every function (their roles then get xray:PutTraceSegments and xray:PutTelemetryRecords)."
  type        = bool
  default     = false
}

variable "reserved_concurrency" {
  description = "Reserved concurrency per function (authorizer, connect, default, disconnect, refresh, control); null leaves a function unreserved. Accounts with a low concurrency quota refuse any reservation, so none is set by default."
  type = object({
    authorizer = optional(number)
    connect    = optional(number)
    default    = optional(number)
    disconnect = optional(number)
    refresh    = optional(number)
    control    = optional(number)
  })
  default = {}

  validation {
    condition     = alltrue([for v in values(var.reserved_concurrency) : v == null || try(v >= 0 && v <= 10000 && floor(v) == v, false)])
    error_message = "reserved_concurrency values must be whole numbers from 0 to 10000, or null."
  }
}

variable "log_kms_key_arn" {
  description = "Customer managed KMS key for every log group (functions, API access and execution logs); its key policy must allow logs.<region>.amazonaws.com. null: CloudWatch Logs' own encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.log_kms_key_arn, "x")))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }

  validation {
    condition     = var.log_kms_key_arn == null || try(split(":", var.log_kms_key_arn)[3] == var.region, false)
    error_message = "log_kms_key_arn must be a key in the stack's region."
  }
}

variable "advanced_security_mode" {
  description = "Cognito threat protection of the created pool: OFF, AUDIT or ENFORCED. Anything but OFF also puts the pool on the Plus feature plan (user_pool_tier = PLUS), billed per monthly active user with no free tier."
  type        = string
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.advanced_security_mode)
    error_message = "advanced_security_mode must be OFF, AUDIT or ENFORCED."
  }

  validation {
    condition     = var.advanced_security_mode == "OFF" || var.existing_user_pool_id == null
    error_message = "advanced_security_mode applies to the created pool only; set threat protection on an existing pool where it is managed."
  }
}

variable "alarms_enabled" {
  description = "CloudWatch alarms: each function's Errors and Throttles, the API's IntegrationError and ExecutionError, the tables' ThrottledRequests and SystemErrors (per operation the functions use), and a rise in the authorizer's Unauthorized."
  type        = bool
  default     = false
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when an alarm fires and when it recovers."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", a))])
    error_message = "alarm_actions must be SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>)."
  }
}

variable "unauthorized_alarm_threshold" {
  description = "Alarm when the authorizer answers Unauthorized (401) more than this many times in 5 minutes (the EMF metric Unauthorized, Function=authorizer)."
  type        = number
  default     = 100

  validation {
    condition     = var.unauthorized_alarm_threshold >= 1 && floor(var.unauthorized_alarm_threshold) == var.unauthorized_alarm_threshold
    error_message = "unauthorized_alarm_threshold must be a whole number of at least 1."
  }
}

variable "dashboard_enabled" {
  description = "A CloudWatch dashboard `<name>` with connections, messages, authorizer decisions by outcome, errors and latency."
  type        = bool
  default     = false
}

variable "domain_name" {
  description = "Custom domain of the WebSocket API (regional endpoint); websocket_url becomes wss://<domain_name>. Set with certificate_arn."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", coalesce(var.domain_name, "x"))) && length(coalesce(var.domain_name, "x")) <= 253
    error_message = "domain_name must be a lowercase DNS name such as ws.example.com."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for domain_name, in the stack's region (a regional endpoint cannot use a us-east-1 certificate of another region)."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", coalesce(var.certificate_arn, "x")))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."
  }

  validation {
    condition     = var.certificate_arn == null || try(split(":", var.certificate_arn)[3] == var.region, false)
    error_message = "certificate_arn must be a certificate in the stack's region: API Gateway's regional domains use the certificate of their own region."
  }

  validation {
    condition     = (var.certificate_arn == null) == (var.domain_name == null)
    error_message = "domain_name and certificate_arn must be set together."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of domain_name: when set, an alias A record points the domain at the API. null: create the DNS record yourself (output domain_target)."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^[A-Z0-9]{1,32}$", coalesce(var.route53_zone_id, "x")))
    error_message = "route53_zone_id must be a hosted zone id such as Z0123456789ABCDEFGHIJ."
  }

  validation {
    condition     = var.route53_zone_id == null || var.domain_name != null
    error_message = "route53_zone_id needs domain_name."
  }
}

variable "reset_api_gateway_account_on_destroy" {
  description = "With create_api_gateway_cloudwatch_role, destroy clears the region's API Gateway CloudWatch role setting instead of leaving it naming the deleted role. Set false only for an emulator whose UpdateAccount cannot clear it (moto 5.2 answers 500 and the provider retries until its timeout)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags on every taggable resource (also the provider's default_tags)."
  type        = map(string)
  default     = {}
}
