// How the gateway answers a $connect result (local/gateway/connect-outcome.ts).
import { expect } from 'chai';
import { interpretConnectResult } from '../../../../local/gateway/connect-outcome.ts';
import type { InvokeResult } from '../../../../local/lambda-runner/pool.ts';

const ok = (value: unknown): InvokeResult => ({ ok: true, value, durationMs: 1 });
const err = (message: string): InvokeResult => ({ ok: false, error: { type: 'Error', message }, durationMs: 1 });

describe('gateway $connect outcome', () => {
  it('accepts 2xx, returns the offered subprotocol, passes 4xx/5xx, turns the rest into 500', () => {
    const offered = new Set(['bearer', 'tok']);
    expect(
      interpretConnectResult(ok({ statusCode: 200, headers: { 'sec-websocket-protocol': 'bearer' } }), offered),
    ).to.deep.equal({ kind: 'accept', protocol: 'bearer' });
    expect(interpretConnectResult(ok({ statusCode: 204 }), offered)).to.deep.equal({ kind: 'accept' });
    expect(
      interpretConnectResult(ok({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'other' } }), offered),
    ).to.deep.equal({ kind: 'accept' });
    expect(interpretConnectResult(ok({ statusCode: 429 }), offered)).to.include({ status: 429 });
    for (const value of [null, {}, { statusCode: 'abc' }, { statusCode: 302 }, { statusCode: 101 }]) {
      expect(interpretConnectResult(ok(value), offered), JSON.stringify(value)).to.include({ status: 500 });
    }
    expect(interpretConnectResult(err('x'), offered)).to.include({ status: 500 });
  });
});
