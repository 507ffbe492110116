// The control CLI's work: the payload of each operation (the control function's contract), the username →
// sub lookup through Cognito's AdminGetUser, and the Invoke through the Lambda API. The same SDK code serves
// the local stack (its endpoints and per-run credentials) and a deployed one (the caller's credentials).
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { CognitoIdentityProviderClient, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ArgsError, type ParsedArgs } from './args.ts';
import type { ControlTarget } from './control-target.ts';

export const OPERATIONS = ['send', 'list', 'disconnect', 'revoke'] as const;
export type Operation = (typeof OPERATIONS)[number];

export type Subject =
  { kind: 'user'; username: string } | { kind: 'sub'; sub: string } | { kind: 'connection'; id: string };

export interface ControlCommand {
  op: Operation;
  subject: Subject;
  message?: unknown;
}

/** Reads `<op> (--user U | --sub S | --connection C) [--message JSON]` into a command; ArgsError when wrong. */
export function controlCommand(op: string | undefined, args: ParsedArgs): ControlCommand {
  if (op === undefined || !(OPERATIONS as readonly string[]).includes(op)) {
    throw new ArgsError(`the first argument must be one of ${OPERATIONS.join(', ')}`);
  }
  const given = (['user', 'sub', 'connection'] as const).filter((name) => args.values.has(name));
  if (given.length !== 1) throw new ArgsError('give exactly one of --user, --sub, --connection');
  const which = given[0] as 'user' | 'sub' | 'connection';
  const value = args.values.get(which) as string;
  const subject: Subject =
    which === 'user'
      ? { kind: 'user', username: value }
      : which === 'sub'
        ? { kind: 'sub', sub: value }
        : { kind: 'connection', id: value };
  if (subject.kind === 'connection' && (op === 'list' || op === 'revoke')) {
    throw new ArgsError(`${op} takes --user or --sub, not --connection`);
  }
  const raw = args.values.get('message');
  if (op === 'send') {
    if (raw === undefined) throw new ArgsError('send needs --message (JSON, or plain text sent as a string)');
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      message = raw;
    }
    return { op, subject, message };
  }
  if (raw !== undefined) throw new ArgsError(`--message is only for send`);
  return { op: op as Operation, subject };
}

/** The control function's payload; `resolvedSub` is the sub looked up for a `--user` subject. */
export function controlPayload(command: ControlCommand, resolvedSub: string | undefined): Record<string, unknown> {
  const { subject } = command;
  const who =
    subject.kind === 'connection'
      ? { connectionId: subject.id }
      : { sub: subject.kind === 'sub' ? subject.sub : (resolvedSub ?? '') };
  return { op: command.op, ...who, ...(command.op === 'send' ? { message: command.message } : {}) };
}

export class ControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

function clientConfig(target: ControlTarget, endpoint: string | undefined) {
  return {
    region: target.region,
    maxAttempts: 2,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(target.credentials === undefined ? {} : { credentials: target.credentials }),
  };
}

/** AdminGetUser → the user's `sub` attribute. */
export async function resolveSub(target: ControlTarget, username: string): Promise<string> {
  const client = new CognitoIdentityProviderClient(clientConfig(target, target.cognitoEndpoint));
  try {
    const out = await client.send(new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: username }));
    const sub = out.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    if (sub === undefined || sub.length === 0) throw new ControlError(`user ${username} has no sub attribute`);
    return sub;
  } catch (err) {
    if (err instanceof ControlError) throw err;
    const name = (err as { name?: string }).name ?? 'Error';
    if (name === 'UserNotFoundException') throw new ControlError(`no user named ${username} in ${target.userPoolId}`);
    throw new ControlError(`AdminGetUser failed: ${name}: ${(err as Error).message}`);
  } finally {
    client.destroy();
  }
}

export interface ControlAnswer {
  /** The function's JSON answer (or error payload). */
  answer: unknown;
  /** True when the function threw (X-Amz-Function-Error) or answered `{"error": ...}`. */
  failed: boolean;
}

export async function invokeControl(target: ControlTarget, payload: Record<string, unknown>): Promise<ControlAnswer> {
  const client = new LambdaClient(clientConfig(target, target.lambdaEndpoint));
  try {
    const out = await client.send(
      new InvokeCommand({ FunctionName: target.controlFunction, Payload: Buffer.from(JSON.stringify(payload)) }),
    );
    const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // Not JSON: shown as received.
    }
    const answeredError = typeof answer === 'object' && answer !== null && 'error' in answer;
    return { answer, failed: out.FunctionError !== undefined || answeredError };
  } catch (err) {
    const name = (err as { name?: string }).name ?? 'Error';
    throw new ControlError(`Invoke ${target.controlFunction} failed: ${name}: ${(err as Error).message}`);
  } finally {
    client.destroy();
  }
}
