// The gateway's route selection (local/gateway/routing.ts).
import { expect } from 'chai';
import { selectRoute } from '../../../../local/gateway/routing.ts';

describe('gateway route selection', () => {
  it('selects a route from a JSON object body with a configured string action, else $default', () => {
    const routes = new Set(['send', 'join']);
    expect(selectRoute('{"action":"send"}', routes)).to.equal('send');
    for (const body of [
      '{"action":"other"}',
      '{"action":["send"]}',
      '["send"]',
      'send',
      '',
      '{"Action":"send"}',
      'null',
    ]) {
      expect(selectRoute(body, routes), body).to.equal('$default');
    }
    expect(selectRoute('{"action":"send"}', new Set())).to.equal('$default');
  });
});
