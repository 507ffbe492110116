import { expect } from 'chai';
import { errorFrame } from '../../../functions/shared/error-frame.ts';

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
