# Optional EventBridge trigger of the control function. Only the operations in control_event_ops get through: the
# rule's pattern requires detail.op to be one of them, so anyone allowed to put events on the bus cannot revoke or
# disconnect users unless those operations are listed. An array in detail.op matches element-wise, and the control
# function answers a non-string op with invalid_request.
locals {
  control_event_pattern = jsonencode(merge(
    jsondecode(var.control_event_pattern),
    { detail = merge(try(jsondecode(var.control_event_pattern).detail, {}), { op = var.control_event_ops }) },
  ))
}

resource "aws_cloudwatch_event_bus" "control" {
  count = var.control_events_enabled ? 1 : 0

  name = "${var.name}-control"
  tags = local.tags
}

resource "aws_cloudwatch_event_bus_policy" "control" {
  count = var.control_events_enabled && length(var.control_event_sources) > 0 ? 1 : 0

  event_bus_name = aws_cloudwatch_event_bus.control[0].name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowedSources"
      Effect    = "Allow"
      Principal = { AWS = var.control_event_sources }
      Action    = "events:PutEvents"
      Resource  = aws_cloudwatch_event_bus.control[0].arn
    }]
  })
}

resource "aws_cloudwatch_event_rule" "control" {
  count = var.control_events_enabled ? 1 : 0

  name           = "${var.name}-control"
  description    = "Control operations (${join(", ", var.control_event_ops)}) for ${var.name}: detail is the payload"
  event_bus_name = aws_cloudwatch_event_bus.control[0].name
  event_pattern  = local.control_event_pattern
  tags           = local.tags
}

resource "aws_cloudwatch_event_target" "control" {
  count = var.control_events_enabled ? 1 : 0

  rule           = aws_cloudwatch_event_rule.control[0].name
  event_bus_name = aws_cloudwatch_event_bus.control[0].name
  arn            = module.control_function.arn
  # The payload is the event's detail, exactly the control function's Invoke payload.
  input_path = "$.detail"
}

resource "aws_lambda_permission" "control_events" {
  count = var.control_events_enabled ? 1 : 0

  statement_id  = "AllowEventBridgeRule"
  action        = "lambda:InvokeFunction"
  function_name = module.control_function.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.control[0].arn
}
