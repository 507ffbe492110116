// The two ids every log record of an invocation carries: Lambda's request id (from the handler's context
// argument) and API Gateway's request id (from the event), both read defensively.
import { isRecord } from '../../shared/guards.ts';
import type { RequestIds } from './log.ts';
import { readRequestId } from './websocket-event.ts';

/** The part of Lambda's context object the functions read. */
export interface LambdaContextLike {
  readonly awsRequestId?: unknown;
  /** Milliseconds left before Lambda stops the invocation. */
  readonly getRemainingTimeInMillis?: unknown;
}

export function lambdaRequestId(context: unknown): string | undefined {
  const id = isRecord(context) ? context['awsRequestId'] : undefined;
  return typeof id === 'string' && id !== '' ? id.slice(0, 128) : undefined;
}

export function invocationIds(event: unknown, context: unknown): RequestIds {
  return { requestId: lambdaRequestId(context), apiRequestId: readRequestId(event) };
}

/** Milliseconds left in the invocation, or undefined when the context cannot say (tests, local callers). */
export function remainingMs(context: unknown): number | undefined {
  if (!isRecord(context)) return undefined;
  const read = context['getRemainingTimeInMillis'];
  if (typeof read !== 'function') return undefined;
  const value: unknown = (read as () => unknown).call(context);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
