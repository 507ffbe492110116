# Operations: alarms, dashboard and the custom domain (issue "production operations").

locals {
  function_names = {
    authorizer = module.authorizer.function_name
    connect    = module.connect_function.function_name
    default    = module.default_function.function_name
    disconnect = module.disconnect_function.function_name
    refresh    = module.refresh_function.function_name
    control    = module.control_function.function_name
  }

  function_alarms = var.alarms_enabled ? {
    for pair in setproduct(keys(local.function_names), ["Errors", "Throttles"]) :
    "${pair[0]}-${lower(pair[1])}" => { function = pair[0], metric = pair[1] }
  } : {}

  # DynamoDB publishes ThrottledRequests and SystemErrors per TableName *and* Operation: an alarm on TableName alone
  # never gets data. Each alarm sums the operations the functions call on that table.
  table_operations = merge(
    { connections = { name = module.connections_table.name, operations = ["DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"] } },
    var.revocation_enabled ? { revocations = { name = local.revocations_table_name, operations = ["GetItem", "PutItem"] } } : {},
  )
  table_alarms = var.alarms_enabled ? {
    for pair in setproduct(keys(local.table_operations), ["ThrottledRequests", "SystemErrors"]) :
    "${pair[0]}-${lower(pair[1])}" => merge(local.table_operations[pair[0]], { metric = pair[1] })
  } : {}
}

resource "aws_cloudwatch_metric_alarm" "function" {
  for_each = local.function_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.metric} of the ${each.value.function} function (${local.function_names[each.value.function]})"
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  dimensions          = { FunctionName = local.function_names[each.value.function] }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "api" {
  for_each = var.alarms_enabled ? toset(["IntegrationError", "ExecutionError"]) : toset([])

  alarm_name          = "${var.name}-api-${lower(each.key)}"
  alarm_description   = "${each.key} of the WebSocket API's ${var.stage_name} stage"
  namespace           = "AWS/ApiGateway"
  metric_name         = each.key
  dimensions          = { ApiId = module.websocket_api.api_id, Stage = module.websocket_api.stage_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "table" {
  for_each = local.table_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.metric} of ${each.value.name}, summed over ${join(", ", each.value.operations)}"
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags

  metric_query {
    id          = "total"
    expression  = "SUM([${join(",", [for i, _ in each.value.operations : "m${i}"])}])"
    label       = "${each.value.metric} (all operations)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = each.value.operations
    content {
      id = "m${metric_query.key}"
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = each.value.metric
        dimensions  = { TableName = each.value.name, Operation = metric_query.value }
        period      = 300
        stat        = "Sum"
      }
    }
  }
}

# The authorizer's EMF metric (functions/shared/log.ts): Unauthorized with the dimension Function=authorizer.
resource "aws_cloudwatch_metric_alarm" "unauthorized" {
  count = var.alarms_enabled ? 1 : 0

  alarm_name          = "${var.name}-authorizer-unauthorized"
  alarm_description   = "More than ${var.unauthorized_alarm_threshold} handshakes refused with 401 in 5 minutes"
  namespace           = var.metrics_namespace
  metric_name         = "Unauthorized"
  dimensions          = { Function = "authorizer" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.unauthorized_alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.dashboard_enabled ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title = "Connections and messages", region = var.region, stat = "Sum", period = 60, view = "timeSeries"
          metrics = [
            ["AWS/ApiGateway", "ConnectCount", "ApiId", module.websocket_api.api_id, "Stage", module.websocket_api.stage_name],
            ["AWS/ApiGateway", "MessageCount", "ApiId", module.websocket_api.api_id, "Stage", module.websocket_api.stage_name],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title   = "Authorizer decisions", region = var.region, stat = "Sum", period = 60, view = "timeSeries"
          metrics = [for m in ["Allow", "Deny", "Unauthorized", "JwksFetchFailure"] : [var.metrics_namespace, m, "Function", "authorizer"]]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title = "Errors", region = var.region, stat = "Sum", period = 60, view = "timeSeries"
          metrics = concat(
            [for k, n in local.function_names : ["AWS/Lambda", "Errors", "FunctionName", n, { label = "${k} errors" }]],
            [for m in ["IntegrationError", "ExecutionError", "ClientError"] : ["AWS/ApiGateway", m, "ApiId", module.websocket_api.api_id, "Stage", module.websocket_api.stage_name]],
          )
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title = "Latency (p99, ms)", region = var.region, stat = "p99", period = 60, view = "timeSeries"
          metrics = concat(
            [["AWS/ApiGateway", "IntegrationLatency", "ApiId", module.websocket_api.api_id, "Stage", module.websocket_api.stage_name]],
            [for k, n in local.function_names : ["AWS/Lambda", "Duration", "FunctionName", n, { label = "${k} duration" }]],
          )
        }
      },
    ]
  })
}

# Custom domain: clients connect to wss://<domain_name>. The functions keep posting to the stage's execute-api
# endpoint (AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI), since the event's domainName is then the custom host.
resource "aws_apigatewayv2_domain_name" "this" {
  count = var.domain_name == null ? 0 : 1

  domain_name = var.domain_name
  domain_name_configuration {
    certificate_arn = var.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
  tags = local.tags
}

resource "aws_apigatewayv2_api_mapping" "this" {
  count = var.domain_name == null ? 0 : 1

  api_id      = module.websocket_api.api_id
  domain_name = aws_apigatewayv2_domain_name.this[0].id
  stage       = module.websocket_api.stage_name
}

resource "aws_route53_record" "domain" {
  count = var.route53_zone_id == null ? 0 : 1

  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"
  alias {
    name                   = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].target_domain_name
    zone_id                = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].hosted_zone_id
    evaluate_target_health = false
  }
}
