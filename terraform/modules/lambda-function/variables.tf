variable "name" {
  description = "Function name; also names its role (`<name>-<region>` unless role_name is set) and log group (`/aws/lambda/<name>`)."
  type        = string

  validation {
    # 64 is Lambda's limit; IAM role names allow the same characters.
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1 to 64 characters of letters, digits, '-' or '_'."
  }
}

variable "role_name" {
  description = "Name of the function's execution role; null gives `<name>-<region>` (IAM role names are global to the account, so the region keeps two regions apart)."
  type        = string
  default     = null

  validation {
    condition     = var.role_name == null || can(regex("^[A-Za-z0-9_+=,.@-]{1,64}$", coalesce(var.role_name, "x")))
    error_message = "role_name must be 1 to 64 characters of letters, digits or _ + = , . @ -."
  }
}

variable "description" {
  description = "Function description shown in the console."
  type        = string
  default     = ""

  validation {
    condition     = length(var.description) <= 256
    error_message = "description must be at most 256 characters."
  }
}

variable "zip_path" {
  description = "Path of the deployment zip (index.js at its root), e.g. `dist/connect.zip` from `make build`."
  type        = string

  validation {
    condition     = endswith(var.zip_path, ".zip")
    error_message = "zip_path must name a .zip file (run `make build` to produce dist/<function>.zip)."
  }
}

variable "handler" {
  description = "Handler as `<file>.<export>`."
  type        = string
  default     = "index.handler"

  validation {
    condition     = can(regex("^[A-Za-z0-9_./-]+\\.[A-Za-z_$][A-Za-z0-9_$]*$", var.handler))
    error_message = "handler must look like <file>.<export>, e.g. index.handler."
  }
}

variable "runtime" {
  description = "Lambda runtime; only Node.js runtimes the bundles are built and tested for."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.runtime)
    error_message = "runtime must be one of nodejs20.x, nodejs22.x (the bundles target Node 20+ and are tested on 20 and 22)."
  }
}

variable "architecture" {
  description = "Instruction set: arm64 (Graviton, cheaper per ms) or x86_64. The bundles are pure JavaScript."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory in MB (CPU scales with it: 1,769 MB is one vCPU)."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB between 128 and 10240."
  }
}

variable "timeout" {
  description = "Timeout in seconds. Behind API Gateway more than 29 s is wasted: it stops waiting at 29 s."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "environment_variables" {
  description = "Environment variables of the function (configuration only: never secrets, they are visible in the console)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment_variables) : can(regex("^[A-Za-z][A-Za-z0-9_]*$", k))])
    error_message = "environment_variables keys must start with a letter and contain only letters, digits and '_'."
  }

  validation {
    # Lambda reserves these and rejects the function at apply; say so at plan instead.
    condition = alltrue([for k in keys(var.environment_variables) : !contains([
      "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
      "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ], k)])
    error_message = "environment_variables must not set variables reserved by Lambda (AWS_REGION, AWS_ACCESS_KEY_ID, _HANDLER, ...)."
  }

  validation {
    # Lambda refuses a function whose variables (names and values) exceed 4 KB in total.
    condition     = sum(concat([0], [for k, v in var.environment_variables : length(k) + length(v)])) <= 4096
    error_message = "environment_variables exceed Lambda's 4 KB total (names and values): shorten the lists they carry (groups, claims, scopes, client ids)."
  }
}

variable "policy_statements" {
  description = <<-EOT
    IAM statements of the function's own role, besides writing to its log group. Each names exact actions
    (no wildcards) and resources. An empty list gives a role that can only write its logs.
  EOT
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.policy_statements : length(s.actions) > 0 && length(s.resources) > 0])
    error_message = "policy_statements: every statement needs at least one action and one resource."
  }

  validation {
    # Least privilege by construction: a wildcard action ("*", "dynamodb:*", "dynamodb:Get*") is refused.
    condition     = alltrue(flatten([for s in var.policy_statements : [for a in s.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9]+$", a))]]))
    error_message = "policy_statements: actions must be exact service:Action names; wildcards such as \"*\" or \"dynamodb:*\" are not allowed."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : contains(["Allow", "Deny"], s.effect)])
    error_message = "policy_statements: effect must be Allow or Deny."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : s.sid == null || can(regex("^[A-Za-z0-9]+$", s.sid))])
    error_message = "policy_statements: sid must be alphanumeric."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's log group, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "Optional KMS key ARN to encrypt the log group (the key policy must allow CloudWatch Logs)."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for the function; -1 leaves it unreserved, 0 disables it."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "reserved_concurrent_executions must be a whole number, -1 (unreserved) or more."
  }
}

variable "permissions_boundary_arn" {
  description = "Optional permissions boundary policy ARN for the function's role (many platform teams require one)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN."
  }
}

variable "application_log_level" {
  description = "Lambda's application log level (logging_config, JSON format): TRACE, DEBUG, INFO, WARN, ERROR or FATAL; null keeps Lambda's default (INFO)."
  type        = string
  default     = null

  validation {
    condition     = var.application_log_level == null || contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], coalesce(var.application_log_level, "INFO"))
    error_message = "application_log_level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  }
}

variable "tracing_enabled" {
  description = "X-Ray active tracing; the role then also gets xray:PutTraceSegments and xray:PutTelemetryRecords."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the function, its role and its log group."
  type        = map(string)
  default     = {}
}
