// One validator per format that the Lambdas, the local stack, the scripts and the web app all read. No Node
// built-ins: the browser bundle imports this file too. Patterns are whole-value (`^...$`) and stateless (no `g`).

/** A query parameter name: URL-unreserved characters, so it reads the same encoded or not. */
export const QUERY_PARAMETER_NAME = /^[A-Za-z0-9._~-]{1,64}$/;
/** RFC 9110 token characters, which is what a header field name may contain. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** DynamoDB table names: 3 to 255 of [A-Za-z0-9_.-]. */
export const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** API Gateway stage names: 1 to 128 of [A-Za-z0-9_-]. */
export const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** Cognito app client ids: word characters and '+', up to 128 (the API's own constraint). */
export const CLIENT_ID = /^[\w+]{1,128}$/;
/** OAuth scope tokens (RFC 6749 §3.3): printable ASCII except space, '"' and '\'. */
export const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;

/** True for hosts that never leave the machine, where plain http cannot be intercepted on the network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
