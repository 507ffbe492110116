variable "name" {
  description = "API name; also names the access log group `/aws/apigateway/<name>/<stage>`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,128}$", var.name))
    error_message = "name must be 1 to 128 characters of letters, digits, '_', '-' or '.'."
  }
}

variable "description" {
  description = "API description."
  type        = string
  default     = "WebSocket API with Cognito authentication on $connect"
}

variable "stage_name" {
  description = "Stage name, the last path segment of the wss:// URL."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name)) && var.stage_name != "$default"
    error_message = "stage_name must be 1 to 128 letters, digits, '_' or '-'."
  }
}

variable "connect_function" {
  description = "Lambda function behind $connect."
  type = object({
    function_name = string
    invoke_arn    = string
  })
}

variable "disconnect_function" {
  description = "Lambda function behind $disconnect."
  type = object({
    function_name = string
    invoke_arn    = string
  })
}

variable "default_function" {
  description = "Lambda function behind $default (messages no other route matches)."
  type = object({
    function_name = string
    invoke_arn    = string
  })
}

variable "extra_routes" {
  description = "More routes, keyed by route key (the `action` field of JSON messages), each with its Lambda function."
  type = map(object({
    function_name = string
    invoke_arn    = string
  }))
  default = {}

  validation {
    # $-keys are reserved for the three built-in routes this module already creates.
    condition     = alltrue([for k in keys(var.extra_routes) : can(regex("^[A-Za-z0-9_.:-]{1,128}$", k))])
    error_message = "extra_routes keys must be 1 to 128 letters, digits or _ . : - (no $ routes: $connect, $disconnect and $default are built in)."
  }
}

variable "connect_authorization_type" {
  description = "Authorization of $connect: CUSTOM (a Lambda authorizer, see connect_authorizer_id), AWS_IAM or NONE."
  type        = string
  default     = "CUSTOM"

  validation {
    condition     = contains(["CUSTOM", "AWS_IAM", "NONE"], var.connect_authorization_type)
    error_message = "connect_authorization_type must be CUSTOM, AWS_IAM or NONE."
  }
}

variable "connect_authorizer_id" {
  description = "Id of the REQUEST authorizer for $connect (output `authorizer_id` of the cognito-authorizer module)."
  type        = string
  default     = null

  validation {
    condition     = var.connect_authorization_type != "CUSTOM" || var.connect_authorizer_id != null
    error_message = "connect_authorizer_id is required when connect_authorization_type is CUSTOM (the default)."
  }

  validation {
    condition     = var.connect_authorization_type == "CUSTOM" || var.connect_authorizer_id == null
    error_message = "connect_authorizer_id is only used with connect_authorization_type = CUSTOM."
  }
}

variable "throttling_burst_limit" {
  description = "Stage-wide burst limit (requests). Must be above zero: zero rejects every request with 429."
  type        = number
  default     = 500

  validation {
    condition     = var.throttling_burst_limit > 0 && var.throttling_burst_limit <= 5000 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number above zero (at most 5000); zero rejects every request."
  }
}

variable "throttling_rate_limit" {
  description = "Stage-wide steady rate limit (requests per second). Must be above zero: zero rejects every request with 429."
  type        = number
  default     = 1000

  validation {
    condition     = var.throttling_rate_limit > 0 && var.throttling_rate_limit <= 10000
    error_message = "throttling_rate_limit must be above zero (at most 10000); zero rejects every request."
  }
}

variable "integration_timeout_ms" {
  description = "How long API Gateway waits for each Lambda integration, in ms (50 to 29000)."
  type        = number
  default     = 29000

  validation {
    condition     = var.integration_timeout_ms >= 50 && var.integration_timeout_ms <= 29000 && floor(var.integration_timeout_ms) == var.integration_timeout_ms
    error_message = "integration_timeout_ms must be a whole number between 50 and 29000."
  }
}

variable "detailed_metrics_enabled" {
  description = "Per-route CloudWatch metrics."
  type        = bool
  default     = true
}

variable "access_logs_enabled" {
  description = <<-EOT
    JSON access logs to a log group with retention. API Gateway writes WebSocket access logs through the
    account-level CloudWatch role: the account must have one (see create_account_cloudwatch_role), or the stage
    fails with "CloudWatch Logs role ARN must be set in account settings to enable logging".
  EOT
  type        = bool
  default     = true
}

variable "logging_level" {
  description = "Execution logging: OFF, ERROR or INFO. Anything but OFF also needs the account-level CloudWatch role; the module then creates the execution log group `API-Gateway-Execution-Logs_<api id>/<stage>` with log_retention_days, so it is not left behind without retention."
  type        = string
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.logging_level)
    error_message = "logging_level must be OFF, ERROR or INFO."
  }
}

variable "create_account_cloudwatch_role" {
  description = <<-EOT
    Create the API Gateway account-level CloudWatch role, which WebSocket access logs and execution logging need.
    It is one setting per account and region, shared by every REST and WebSocket API: enable it in one stack only,
    and not at all if `aws apigateway get-account` already shows a cloudwatchRoleArn (it would replace it). On
    destroy the setting is reset (`reset_on_delete`): the region then has no CloudWatch role, so other APIs there
    stop logging until one is set again.
  EOT
  type        = bool
  default     = false
}

variable "reset_account_on_destroy" {
  description = "On destroy, clear the account's CloudWatch role setting (reset_on_delete) rather than leave it naming the deleted role. false only where UpdateAccount cannot clear it: moto 5.2 answers 500 to that patch and the provider retries until its timeout."
  type        = bool
  default     = true
}

variable "cloudwatch_role_name" {
  description = "Name of the account CloudWatch role when create_account_cloudwatch_role is true; null gives `<name>-apigw-cloudwatch-<region>` (IAM role names are global to the account, so the region keeps two regions apart)."
  type        = string
  default     = null

  validation {
    condition     = var.cloudwatch_role_name == null || can(regex("^[A-Za-z0-9_+=,.@-]{1,64}$", coalesce(var.cloudwatch_role_name, "x")))
    error_message = "cloudwatch_role_name must be 1 to 64 characters of letters, digits or _ + = , . @ -."
  }
}

variable "log_retention_days" {
  description = "Retention of the access log group and, with logging_level ERROR or INFO, of the execution log group, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "Optional KMS key ARN to encrypt the access log group."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "tags" {
  description = "Tags for the API, the stage, the log group and the optional CloudWatch role."
  type        = map(string)
  default     = {}
}
