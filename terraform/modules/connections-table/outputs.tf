output "name" {
  description = "Table name (CONNECTIONS_TABLE of the connection Lambdas)."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "Table ARN, for IAM statements on items."
  value       = aws_dynamodb_table.this.arn
}

output "sub_index_name" {
  description = "Name of the GSI keyed by user (`sub`, range `connectedAt`)."
  value       = "sub-index"
}

output "sub_index_arn" {
  description = "ARN of the `sub-index` GSI, for IAM statements that query it."
  value       = "${aws_dynamodb_table.this.arn}/index/sub-index"
}

output "ttl_attribute" {
  description = "Attribute holding each item's expiry in epoch seconds."
  value       = "ttl"
}

output "point_in_time_recovery_enabled" {
  description = "Whether point-in-time recovery is on (always true; exposed for policy checks)."
  value       = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
}

output "server_side_encryption" {
  description = "Encryption at rest: enabled (KMS) and the customer key ARN, null for the AWS managed key."
  value = {
    enabled     = aws_dynamodb_table.this.server_side_encryption[0].enabled
    kms_key_arn = var.kms_key_arn
  }
}

output "ttl_enabled" {
  description = "Whether DynamoDB TTL is on for the `ttl` attribute."
  value       = aws_dynamodb_table.this.ttl[0].enabled && aws_dynamodb_table.this.ttl[0].attribute_name == "ttl"
}

output "deletion_protection_enabled" {
  description = "Whether the table refuses DeleteTable."
  value       = aws_dynamodb_table.this.deletion_protection_enabled
}
