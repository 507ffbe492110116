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
