import { AssertionError, expect } from 'chai';
import { rejectionOf, thrownBy } from '../../support/failures.ts';

class CustomError extends Error {}

describe('test support: failure assertions', () => {
  it('returns the rejection, checked for its type', async () => {
    const err = new CustomError('boom');
    expect(await rejectionOf(Promise.reject(err), CustomError)).to.equal(err);
    expect(await rejectionOf(Promise.reject(new Error('plain')))).to.be.instanceOf(Error);
  });

  it('fails when the promise resolves, or rejects with another type', async () => {
    const resolved = await rejectionOf(rejectionOf(Promise.resolve({ a: 1 })), AssertionError);
    expect(resolved.message).to.contain('resolved with {"a":1}');
    await rejectionOf(rejectionOf(Promise.reject(new Error('plain')), CustomError), AssertionError);
  });

  it('returns what a function throws, and fails when it returns', () => {
    const err = new CustomError('boom');
    expect(
      thrownBy(() => {
        throw err;
      }, CustomError),
    ).to.equal(err);
    expect(thrownBy(() => thrownBy(() => 42), AssertionError).message).to.contain('returned 42');
  });
});
