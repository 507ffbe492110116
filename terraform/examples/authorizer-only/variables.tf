variable "region" {
  description = "Region of the existing WebSocket API and user pool."
  type        = string
  default     = "eu-west-1"
}

variable "api_id" {
  description = "Id of the existing WebSocket API."
  type        = string
}

variable "user_pool_id" {
  description = "Id of the existing Cognito user pool."
  type        = string
}

variable "client_ids" {
  description = "App client ids of that pool whose access tokens may connect."
  type        = list(string)
}

variable "token_sources" {
  description = "Where clients send the token: header, query and/or protocol."
  type        = list(string)
  default     = ["header", "query", "protocol"]
}

variable "required_scopes" {
  description = "Scopes every token must carry."
  type        = list(string)
  default     = []
}

variable "allowed_groups" {
  description = "Groups allowed to connect (empty: any user of the pool)."
  type        = list(string)
  default     = []
}

variable "zip_path" {
  description = "The authorizer bundle built by `make build`."
  type        = string
  default     = null
}
