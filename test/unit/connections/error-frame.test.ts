import { expect } from 'chai';
import { errorFrame, internalErrorFrame } from '../../../functions/shared/error-frame.ts';

function decode(data: Uint8Array): Record<string, unknown> {
  return JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, unknown>;
}

describe('connections: error frames', () => {
  it('builds error frames', () => {
    expect(decode(errorFrame('token_expired'))).to.deep.equal({ type: 'error', reason: 'token_expired' });
    expect(decode(errorFrame('message_too_large', { limit: 131072 }))).to.deep.equal({
      type: 'error',
      reason: 'message_too_large',
      limit: 131072,
    });
  });
});

describe('connections: internal_error frame', () => {
  it("carries API Gateway's request id", () => {
    expect(decode(internalErrorFrame('abc-123'))).to.deep.equal({
      type: 'error',
      reason: 'internal_error',
      requestId: 'abc-123',
    });
  });

  it('leaves the id out when the event had none', () => {
    expect(decode(internalErrorFrame(undefined))).to.deep.equal({ type: 'error', reason: 'internal_error' });
  });
});
