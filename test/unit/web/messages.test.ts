import { expect } from 'chai';
import {
  classifyClose,
  describeClose,
  EXPIRED_MESSAGE,
  formatTime,
  MAX_FRAME_BYTES,
  parseIncoming,
  prepareOutgoing,
  REFUSED_MESSAGE,
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

    it('shows anything else as text, clipped when very long', () => {
      expect(parseIncoming('not json')).to.deep.equal({ kind: 'text', text: 'not json' });
      expect(parseIncoming('[1,2]')).to.deep.equal({ kind: 'text', text: '[1,2]' });
      expect(parseIncoming('{"type":"echo"}').kind, 'an echo without connection is just text').to.equal('text');
      expect(parseIncoming('x'.repeat(5000)).text).to.match(/… \(5000 characters\)$/);
    });
  });

  it('formats local time with milliseconds', () => {
    expect(formatTime(new Date(2024, 0, 2, 9, 5, 3, 7))).to.equal('09:05:03.007');
  });

  describe('closes', () => {
    const base = { code: 1006, reason: '', opened: false, byUser: false };

    it('calls a 1006 before open a refusal (all a browser sees of a 401/403)', () => {
      expect(classifyClose(base)).to.equal('refused');
      expect(describeClose(base)).to.equal(REFUSED_MESSAGE);
      expect(REFUSED_MESSAGE).to.contain('onnection refused: the token was rejected or you are not allowed');
      expect(REFUSED_MESSAGE).to.contain('Sign in again');
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
