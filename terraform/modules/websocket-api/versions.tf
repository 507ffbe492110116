terraform {
  # 1.9: validation blocks that refer to other variables.
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0 removed aws_api_gateway_account.reset_on_delete (it always resets there); this module sets it.
      version = ">= 5.95, < 6.0"
    }
  }
}
