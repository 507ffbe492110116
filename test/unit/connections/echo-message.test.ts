import { expect } from 'chai';
import { buildEcho } from '../../../functions/default/echo-message.ts';
import { MAX_POST_BYTES } from '../../../functions/shared/error-frame.ts';
import type { ConnectionView } from '../../../functions/shared/connection-item.ts';

const connection: ConnectionView = {
  connectionId: 'abc=',
  sub: 'user-1',
  username: 'jane',
  connectedAt: 1_705_726_795_000,
  tokenExp: 1_705_730_400,
  queryParameters: { room: 'lobby' },
  headers: {},
  claims: {},
};
const receivedAt = new Date('2024-01-20T05:00:00.000Z');

function decode(data: Uint8Array): Record<string, unknown> {
  return JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, unknown>;
}

function echoOf(body: unknown, isBase64Encoded = false): Record<string, unknown> {
  const echo = buildEcho({ body, isBase64Encoded, connection, receivedAt });
  if (!echo.ok) throw new Error(`expected an echo, got ${echo.reason}`);
  return decode(echo.data);
}

describe('connections: echo frames', () => {
  it('parses a JSON body and wraps it with the connection and the ISO receive time', () => {
    expect(echoOf('{"action":"ping","n":[1,2]}')).to.deep.equal({
      type: 'echo',
      message: { action: 'ping', n: [1, 2] },
      connection,
      receivedAt: '2024-01-20T05:00:00.000Z',
    });
  });

  it('leaves text that is not JSON as text', () => {
    expect(echoOf('hello {world').message).to.equal('hello {world');
    expect(echoOf('héllo ✓').message).to.equal('héllo ✓');
  });

  it('reads an absent body as empty text', () => {
    expect(echoOf(undefined).message).to.equal('');
    expect(echoOf(null).message).to.equal('');
  });

  it('echoes a binary frame as its base64 text, marked encoding: base64', () => {
    const base64 = Buffer.from([0, 255, 1, 128]).toString('base64');
    const frame = echoOf(base64, true);
    expect(frame.message).to.equal(base64);
    expect(frame.encoding).to.equal('base64');
    // A text frame that looks like base64 is still text.
    expect(echoOf(base64, false)).to.not.have.property('encoding');
  });

  it('refuses a binary body that is not base64', () => {
    expect(buildEcho({ body: 'not base64!', isBase64Encoded: true, connection, receivedAt })).to.deep.equal({
      ok: false,
      reason: 'invalid_message',
    });
    expect(buildEcho({ body: { a: 1 }, isBase64Encoded: false, connection, receivedAt })).to.deep.equal({
      ok: false,
      reason: 'invalid_message',
    });
  });

  it('refuses an echo over 131,072 bytes and accepts one exactly at the limit', () => {
    const overhead = Buffer.byteLength(
      JSON.stringify({ type: 'echo', message: '', connection, receivedAt: receivedAt.toISOString() }),
    );
    const fits = 'a'.repeat(MAX_POST_BYTES - overhead);
    const atLimit = buildEcho({ body: fits, isBase64Encoded: false, connection, receivedAt });
    expect(atLimit.ok && atLimit.data.length).to.equal(MAX_POST_BYTES);
    const over = buildEcho({ body: `${fits}a`, isBase64Encoded: false, connection, receivedAt });
    expect(over).to.deep.equal({ ok: false, reason: 'message_too_large', bytes: MAX_POST_BYTES + 1 });
  });

  it('counts bytes, not characters, against the limit', () => {
    // 44,000 three-byte characters: 132,000 bytes, though only 44,000 characters.
    const euro = buildEcho({ body: '€'.repeat(44_000), isBase64Encoded: false, connection, receivedAt });
    expect(euro.ok).to.equal(false);
  });

  it('echoes nesting too deep to serialise as the original text instead of crashing', () => {
    const deep = `${'['.repeat(60_000)}${']'.repeat(60_000)}`;
    const frame = echoOf(deep);
    expect(frame.message).to.equal(deep);
  });
});
