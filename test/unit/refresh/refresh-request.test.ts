import { expect } from 'chai';
import { parseRefreshRequest } from '../../../functions/refresh/refresh-request.ts';

describe('refresh: request', () => {
  it('reads the token of {"action":"refresh","token":"..."}', () => {
    expect(parseRefreshRequest('{"action":"refresh","token":"a.b.c"}', false)).to.deep.equal({
      ok: true,
      token: 'a.b.c',
    });
  });

  it('refuses every other shape as invalid_request', () => {
    const bad: [unknown, unknown][] = [
      [undefined, false],
      [42, false],
      ['not json', false],
      ['[]', false],
      ['{"action":"refresh"}', false],
      ['{"action":"refresh","token":""}', false],
      ['{"action":"refresh","token":7}', false],
      ['{"action":"refresh","token":["a.b.c"]}', false],
      ['eyJhY3Rpb24iOiJyZWZyZXNoIn0=', true],
      [`{"action":"refresh","token":"${'a'.repeat(20_000)}"}`, false],
    ];
    for (const [body, b64] of bad) {
      expect(parseRefreshRequest(body, b64), String(body).slice(0, 40)).to.deep.equal({
        ok: false,
        reason: 'invalid_request',
      });
    }
  });

  it('ignores a token smuggled through __proto__', () => {
    expect(parseRefreshRequest('{"action":"refresh","__proto__":{"token":"a.b.c"}}', false)).to.deep.equal({
      ok: false,
      reason: 'invalid_request',
    });
  });
});
