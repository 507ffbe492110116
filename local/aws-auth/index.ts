// SigV4 and browser refusal for the local endpoints that stand in for AWS APIs (management API, DynamoDB,
// Lambda Invoke, the issuer's Cognito JSON API).
//
// Typical use in a Node HTTP handler:
//
//   const auth: EndpointAuth = { credentials, region, service: SERVICES.lambda };
//   const checked = await guardAwsRequest(req, res, auth, 6 * 1024 * 1024);
//   if (!checked.ok) return;            // the 403/400/413 has been written in the service's shape
//   handle(checked.body);
//
// For a request already read elsewhere: `fromBrowser(req)` + `browserRefusal(protocol)`, then
// `verifySigV4({ method, url, headers, body }, { credentials, region, service })` and `authFailure(...)`.
export { verifySigV4, parseAmzDate, MAX_SKEW_MS } from './sigv4.ts';
export type { LocalCredentials, SigV4Result, AuthErrorCode, IncomingSignedRequest, VerifyOptions } from './sigv4.ts';
export { SERVICES, awsError, authFailure, browserRefusal } from './responses.ts';
export type { AwsErrorResponse, AwsServiceProfile, ErrorProtocol } from './responses.ts';
export { guardAwsRequest, fromBrowser, readBody, writeAwsResponse } from './guard.ts';
export type { EndpointAuth, GuardResult } from './guard.ts';
export { generateCredentials, isLocalCredentials } from './credentials.ts';
