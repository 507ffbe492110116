// The AWS SDK clients of the route and control functions, with time limits. The SDK sets none by default, so
// a frozen endpoint held a Lambda for its whole timeout. Each attempt is bounded (connection 1 s, whole request
// 1.5 s), and at most two attempts are made, so one call fails in about 3.1 s at worst and a route can still
// tell its client within 5 s. `throwOnRequestTimeout` matters: without it the HTTP handler only logs a warning
// when `requestTimeout` passes and keeps waiting.
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface SdkLimits {
  /** Milliseconds to establish the TCP (and TLS) connection. */
  readonly connectionTimeoutMs: number;
  /** Milliseconds for one attempt, from sending the request to the end of the response. */
  readonly requestTimeoutMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
}

export const SDK_LIMITS: SdkLimits = { connectionTimeoutMs: 1000, requestTimeoutMs: 1500, maxAttempts: 2 };

/** The options every client takes; the endpoint comes from the SDK's environment variables unless given. */
export function sdkClientOptions(limits: SdkLimits = SDK_LIMITS): {
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
} {
  return {
    maxAttempts: limits.maxAttempts,
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}

/** Honours AWS_ENDPOINT_URL_DYNAMODB (an explicit endpoint would override it, so none is passed). */
export function createDynamoClient(limits?: SdkLimits): DynamoDBClient {
  return new DynamoDBClient(sdkClientOptions(limits));
}

/**
 * Without `endpoint`, the SDK takes AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI from the environment; with one
 * (derived from an event), that endpoint.
 */
export function createManagementClient(endpoint?: string, limits?: SdkLimits): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({
    ...sdkClientOptions(limits),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
}
