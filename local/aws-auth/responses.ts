// The error answers of each AWS service this stack stands in for, in that service's own protocol, so the SDK
// clients raise the same modeled errors locally as against AWS (README.md, "Fidelity, with sources", lists the sources).
import { randomUUID } from 'node:crypto';
import type { AuthErrorCode } from './sigv4.ts';

/** How a service frames its errors. */
export type ErrorProtocol =
  /** API Gateway (`execute-api`) and Lambda: `x-amzn-ErrorType` header, `{"message"}` body, 403. */
  | 'rest-json'
  /** DynamoDB: JSON 1.0, `__type` with the `com.amazon.coral.service#` prefix, 400. */
  | 'dynamodb-json'
  /** Cognito user pools: JSON 1.1, bare `__type`, 400. */
  | 'cognito-json';

export interface AwsServiceProfile {
  /** SigV4 signing name. */
  signingName: string;
  protocol: ErrorProtocol;
}

export const SERVICES = {
  executeApi: { signingName: 'execute-api', protocol: 'rest-json' },
  lambda: { signingName: 'lambda', protocol: 'rest-json' },
  dynamodb: { signingName: 'dynamodb', protocol: 'dynamodb-json' },
  cognitoIdp: { signingName: 'cognito-idp', protocol: 'cognito-json' },
} as const satisfies Record<string, AwsServiceProfile>;

export interface AwsErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An error in the service's protocol. `status` defaults to what the service uses for auth failures. */
export function awsError(protocol: ErrorProtocol, code: string, message: string, status?: number): AwsErrorResponse {
  const requestId = randomUUID();
  if (protocol === 'rest-json') {
    const body = JSON.stringify({ message });
    return {
      status: status ?? 403,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(body)),
        'x-amzn-ErrorType': code,
        'x-amzn-RequestId': requestId,
      },
      body,
    };
  }
  const type = protocol === 'dynamodb-json' ? `com.amazon.coral.service#${code}` : code;
  const body = JSON.stringify({ __type: type, message });
  return {
    status: status ?? 400,
    headers: {
      'Content-Type': protocol === 'dynamodb-json' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
      'Content-Length': String(Buffer.byteLength(body)),
      'x-amzn-RequestId': requestId,
    },
    body,
  };
}

/** The answer to a failed signature check. */
export function authFailure(protocol: ErrorProtocol, reason: AuthErrorCode, message: string): AwsErrorResponse {
  // DynamoDB words this one failure its own way.
  if (protocol === 'dynamodb-json' && reason === 'MissingAuthenticationTokenException') {
    return awsError(protocol, reason, 'Request is missing Authentication Token');
  }
  return awsError(protocol, reason, message);
}

/**
 * The answer to a request carrying `Origin`: browsers never call these APIs, so a page of any origin is refused
 * with 403 and without CORS headers, and its script can read nothing.
 */
export function browserRefusal(protocol: ErrorProtocol): AwsErrorResponse {
  return awsError(
    protocol,
    'AccessDeniedException',
    'Requests from browsers (with an Origin header) are refused by this local AWS API endpoint.',
    403,
  );
}
