// Assertions on expected failures: the error a promise rejects with or a function throws, checked for its type,
// and a failing assertion (not a passing test) when nothing fails. Replaces `try { ...; expect.fail() } catch`.
import { expect } from 'chai';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The error `promise` rejects with, asserted to be an instance of `type`. */
export async function rejectionOf<E extends Error = Error>(
  promise: Promise<unknown>,
  type?: ErrorClass<E>,
): Promise<E> {
  const outcome = await promise.then(
    (value: unknown) => ({ rejected: false as const, value }),
    (err: unknown) => ({ rejected: true as const, err }),
  );
  if (!outcome.rejected) expect.fail(`expected a rejection, but it resolved with ${describeValue(outcome.value)}`);
  if (type) expect(outcome.err).to.be.instanceOf(type);
  else expect(outcome.err).to.be.instanceOf(Error);
  return outcome.err as E;
}

/** The error `fn` throws, asserted to be an instance of `type`. */
export function thrownBy<E extends Error = Error>(fn: () => unknown, type?: ErrorClass<E>): E {
  let value: unknown;
  try {
    value = fn();
  } catch (err) {
    if (type) expect(err).to.be.instanceOf(type);
    else expect(err).to.be.instanceOf(Error);
    return err as E;
  }
  return expect.fail(`expected a throw, but it returned ${describeValue(value)}`);
}
