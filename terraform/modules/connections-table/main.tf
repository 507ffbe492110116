# The shape is a contract with the Lambdas and the local stack (docs/architecture.md): key names, the TTL
# attribute and the sub-index must not change without them.
resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "connectionId"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "connectionId"
    type = "S"
  }

  attribute {
    name = "sub"
    type = "S"
  }

  attribute {
    name = "connectedAt"
    type = "N"
  }

  # A user's connections, newest last: for fan-out to one user and for per-user connection limits.
  global_secondary_index {
    name            = "sub-index"
    hash_key        = "sub"
    range_key       = "connectedAt"
    projection_type = "ALL"
  }

  # $disconnect is best effort; TTL removes the rows of connections that vanished without one.
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  # enabled = true means KMS (the AWS managed key unless a customer key is given), not the AWS owned key.
  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
