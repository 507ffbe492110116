mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_apigatewayv2_api" {
    defaults = {
      protocol_type = "WEBSOCKET"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"
    }
  }
  mock_resource "aws_apigatewayv2_authorizer" {
    defaults = { id = "auth42" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/ws-cognito-authorizer-abc123" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/ws-cognito-authorizer-abc123" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:eu-west-1:123456789012:function:ws-cognito-authorizer-abc123"
      invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:ws-cognito-authorizer-abc123/invocations"
    }
  }
}

variables {
  api_id        = "abc123"
  user_pool_id  = "eu-west-1_AbCdEf123"
  client_ids    = ["clientone"]
  token_sources = ["header"]
  zip_path      = "../../tests/fixtures/authorizer.zip"
}

run "existing_api_gets_an_authorizer_that_requires_the_header" {
  assert {
    condition     = output.authorizer_id == "auth42" && output.identity_sources == tolist(["route.request.header.Authorization"])
    error_message = "the example does not create a header-enforcing authorizer on the existing API"
  }
  assert {
    condition     = strcontains(output.attach_command, "--authorization-type CUSTOM --authorizer-id auth42")
    error_message = "the attach command does not set the authorizer on $connect"
  }
  assert {
    # On AWS, DeleteAuthorizer answers ConflictException while $connect uses the authorizer.
    condition     = strcontains(output.detach_command, "--api-id abc123 --route-id {} --authorization-type NONE")
    error_message = "the example gives no way to detach the authorizer from $connect before destroy"
  }
}
