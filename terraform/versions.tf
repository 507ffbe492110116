terraform {
  # 1.9: validation blocks that refer to other variables.
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # < 6.0: modules/websocket-api sets aws_api_gateway_account.reset_on_delete, which 6.0 removed.
      version = ">= 5.95, < 6.0"
    }
  }
}
