import { expect } from 'chai';
import {
  classifyClose,
  describeClose,
  EXPIRED_MESSAGE,
  formatClock,
  formatTime,
  HANDSHAKE_FAILED_MESSAGE,
  MAX_FRAME_BYTES,
  parseIncoming,
  prepareOutgoing,
  refreshFrame,
} from '../../../web/src/messages.ts';

const ECHO = {
  type: 'echo',
  message: { hello: 'world' },
  connection: {
    connectionId: 'c1=',
    sub: 's1',
    username: 'demo',
    connectedAt: 1,
    tokenExp: 2,
    queryParameters: {},
    headers: {},
  },
  receivedAt: '2024-01-01T00:00:00.000Z',
};

describe('web: console messages', () => {
  describe('prepareOutgoing', () => {
    it('sends text as typed', () => {
      expect(prepareOutgoing('  hi there ', 'text')).to.deep.equal({ ok: true, data: '  hi there ' });
    });

    it('checks and compacts JSON', () => {
      expect(prepareOutgoing('{ "a" : [1, 2] }', 'json')).to.deep.equal({ ok: true, data: '{"a":[1,2]}' });
      const bad = prepareOutgoing('{a:1}', 'json');
      expect(bad).to.include({ ok: false, reason: 'not_json' });
      expect((bad as { message: string }).message).to.match(/^Not valid JSON/);
    });

    it('refuses an empty message and one larger than a frame (counted in UTF-8 bytes)', () => {
      expect(prepareOutgoing('   ', 'text')).to.deep.equal({
        ok: false,
        reason: 'empty',
        message: 'Type a message to send.',
      });
      expect(prepareOutgoing('a'.repeat(MAX_FRAME_BYTES), 'text').ok).to.equal(true);
      expect(prepareOutgoing('é'.repeat(MAX_FRAME_BYTES / 2 + 1), 'text'), 'two bytes per é').to.include({
        ok: false,
        reason: 'too_large',
      });
    });
  });

  describe('parseIncoming', () => {
    it('recognises the echo, with the username, connection id and the connection data', () => {
      const incoming = parseIncoming(JSON.stringify(ECHO));
      expect(incoming.kind).to.equal('echo');
      if (incoming.kind !== 'echo') return;
      expect(incoming.username).to.equal('demo');
      expect(incoming.connectionId).to.equal('c1=');
      expect(incoming.text).to.equal('echo for demo on c1=: {"hello":"world"}');
      expect(JSON.parse(incoming.detail)).to.deep.equal({ connection: ECHO.connection, receivedAt: ECHO.receivedAt });
    });

    it('shows a text echo as text and tolerates missing connection fields', () => {
      const incoming = parseIncoming(JSON.stringify({ type: 'echo', message: 'hi', connection: {} }));
      expect(incoming.text).to.equal('echo for (no username) on ?: hi');
    });

    it('recognises error frames', () => {
      expect(parseIncoming('{"type":"error","reason":"token_expired"}')).to.deep.equal({
        kind: 'error',
        reason: 'token_expired',
        text: '{"type":"error","reason":"token_expired"}',
      });
    });

    it('recognises a push, shown with its message and the time it was sent', () => {
      const sentAt = new Date(2024, 0, 2, 9, 5, 3, 7).toISOString();
      const incoming = parseIncoming(JSON.stringify({ type: 'push', message: { hello: 1 }, sentAt }));
      expect(incoming).to.deep.equal({
        kind: 'push',
        message: { hello: 1 },
        sentAt,
        text: '{"hello":1} (sent 09:05:03.007)',
      });
      expect(parseIncoming('{"type":"push","message":"hi","sentAt":"not a date"}').text).to.equal('hi');
      expect(parseIncoming('{"type":"push"}').kind, 'a push without message is just text').to.equal('text');
    });

    it('recognises token_refreshed with the new expiry as hh:mm', () => {
      const exp = Math.floor(new Date(2024, 0, 2, 9, 5, 59).getTime() / 1000);
      expect(parseIncoming(JSON.stringify({ type: 'token_refreshed', exp }))).to.deep.equal({
        kind: 'token_refreshed',
        exp,
        text: 'token refreshed on the connection (expires 09:05)',
      });
      for (const bad of [1.5, -1, '1700000000', 1e300]) {
        expect(parseIncoming(JSON.stringify({ type: 'token_refreshed', exp: bad })).kind, String(bad)).to.equal('text');
      }
    });

    it('recognises refresh_rejected with its detail code', () => {
      expect(parseIncoming('{"type":"error","reason":"refresh_rejected","detail":"rate_limited"}')).to.deep.equal({
        kind: 'refresh_rejected',
        detail: 'rate_limited',
        text: 'The server rejected the renewed token (rate_limited).',
      });
      expect(parseIncoming('{"type":"error","reason":"refresh_rejected"}').text).to.contain('(unknown)');
    });

    it('says clearly that an internal_error frame means the message was not processed, with the request id', () => {
      const incoming = parseIncoming('{"type":"error","reason":"internal_error","requestId":"req-42"}');
      expect(incoming.kind).to.equal('error');
      expect(incoming.text).to.equal(
        'The server failed to process the message (internal_error, request id req-42); it was not handled. Send it again later.',
      );
      expect(parseIncoming('{"type":"error","reason":"internal_error"}').text).to.contain('request id ?');
    });

    it('hides the token of a refresh frame echoed by a server that has no refresh route', () => {
      const echo = { type: 'echo', message: { action: 'refresh', token: 'eyJsecret' }, connection: { username: 'u' } };
      const incoming = parseIncoming(JSON.stringify(echo));
      expect(incoming.text).to.not.contain('eyJsecret');
      expect(incoming.text).to.contain('"token":"(hidden)"');
    });

    it('builds the refresh frame of the refresh route', () => {
      expect(JSON.parse(refreshFrame('t.o.k'))).to.deep.equal({ action: 'refresh', token: 't.o.k' });
    });

    it('shows anything else as text, clipped when very long', () => {
      expect(parseIncoming('not json')).to.deep.equal({ kind: 'text', text: 'not json' });
      expect(parseIncoming('[1,2]')).to.deep.equal({ kind: 'text', text: '[1,2]' });
      expect(parseIncoming('{"type":"echo"}').kind, 'an echo without connection is just text').to.equal('text');
      expect(parseIncoming('x'.repeat(5000)).text).to.match(/… \(5000 characters\)$/);
    });
  });

  it('formats local time with milliseconds, and an epoch-seconds instant as hh:mm', () => {
    expect(formatTime(new Date(2024, 0, 2, 9, 5, 3, 7))).to.equal('09:05:03.007');
    expect(formatClock(new Date(2024, 0, 2, 23, 7, 59).getTime() / 1000)).to.equal('23:07');
  });

  describe('closes', () => {
    const base = { code: 1006, reason: '', opened: false, byUser: false };

    it('calls a 1006 before open a failed handshake and claims no cause (a browser sees 401, 403 and down alike)', () => {
      expect(classifyClose(base)).to.equal('handshake_failed');
      expect(describeClose(base)).to.equal(HANDSHAKE_FAILED_MESSAGE);
      expect(HANDSHAKE_FAILED_MESSAGE).to.not.match(/token|sign in|refused/i);
    });

    it('calls a close after a token_expired error frame an expiry', () => {
      const ctx = { ...base, code: 1000, opened: true, lastErrorReason: 'token_expired' };
      expect(classifyClose(ctx)).to.equal('token_expired');
      expect(describeClose(ctx)).to.equal(EXPIRED_MESSAGE);
    });

    it('prefers the user action over everything else', () => {
      expect(classifyClose({ ...base, byUser: true, lastErrorReason: 'token_expired' })).to.equal('user');
    });

    it('explains drops after open by code', () => {
      const opened = { ...base, opened: true };
      expect(classifyClose(opened)).to.equal('dropped');
      expect(describeClose({ ...opened, code: 1001, reason: 'Going away' })).to.contain('1001 going away: Going away');
      expect(describeClose({ ...opened, code: 1009 })).to.contain('too large');
      expect(describeClose(opened)).to.equal('The connection was lost (1006).');
      expect(describeClose({ ...opened, code: 4000, reason: 'custom' })).to.equal(
        'The connection closed (4000: custom).',
      );
    });
  });
});
