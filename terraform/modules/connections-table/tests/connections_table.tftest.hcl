mock_provider "aws" {
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/ws-test-connections"
    }
  }
}

variables {
  name = "ws-test-connections"
}

run "table_matches_the_connections_contract" {
  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
    error_message = "table is not on-demand"
  }
  assert {
    condition     = aws_dynamodb_table.this.hash_key == "connectionId" && aws_dynamodb_table.this.range_key == null
    error_message = "table key is not connectionId alone"
  }
  assert {
    condition = [for i in aws_dynamodb_table.this.global_secondary_index : [i.name, i.hash_key, i.range_key, i.projection_type]] == [
      ["sub-index", "sub", "connectedAt", "ALL"],
    ]
    error_message = "GSI is not sub-index (hash sub, range connectedAt, projection ALL)"
  }
  assert {
    condition = { for a in aws_dynamodb_table.this.attribute : a.name => a.type } == {
      connectionId = "S", sub = "S", connectedAt = "N"
    }
    error_message = "key attribute types differ from the contract (connectionId S, sub S, connectedAt N)"
  }
}

run "ttl_is_enabled_on_ttl_attribute" {
  assert {
    condition     = aws_dynamodb_table.this.ttl[0].enabled && aws_dynamodb_table.this.ttl[0].attribute_name == "ttl"
    error_message = "TTL is not enabled on the attribute `ttl`"
  }
}

run "point_in_time_recovery_is_on" {
  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
    error_message = "point-in-time recovery is off"
  }
}

run "encryption_uses_kms_by_default" {
  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled
    error_message = "server-side encryption with KMS is not enabled"
  }
}

run "customer_key_is_used_when_given" {
  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0d9a1b2c-1111-2222-3333-444455556666"
  }
  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/0d9a1b2c-1111-2222-3333-444455556666"
    error_message = "the customer managed key was not used"
  }
}

run "deletion_protection_is_on_by_default" {
  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "deletion protection is not on by default"
  }
}

run "deletion_protection_can_be_turned_off" {
  variables {
    deletion_protection = false
  }
  assert {
    condition     = !aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "deletion_protection = false did not reach the table"
  }
}

run "outputs_name_the_table_and_index" {
  variables {
    tags = { Team = "platform" }
  }
  assert {
    condition     = output.sub_index_arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/ws-test-connections/index/sub-index"
    error_message = "sub_index_arn is not <table arn>/index/sub-index"
  }
  assert {
    condition     = aws_dynamodb_table.this.tags["Team"] == "platform"
    error_message = "tags did not reach the table"
  }
}

run "bad_key_arn_is_refused" {
  command = plan
  variables {
    kms_key_arn = "alias/aws/dynamodb"
  }
  expect_failures = [var.kms_key_arn]
}
