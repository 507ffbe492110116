import { expect } from 'chai';
import {
  diagnose,
  REFUSED_MESSAGE,
  SESSION_ENDED_MESSAGE,
  UNREACHABLE_MESSAGE,
  type Diagnosis,
} from '../../../web/src/diagnosis.ts';
import { EXPIRED_MESSAGE, HANDSHAKE_FAILED_MESSAGE } from '../../../web/src/messages.ts';
import {
  SocketClient,
  type ConnectionState,
  type LogEntry,
  type SocketClientDeps,
  type SocketLike,
} from '../../../web/src/socket-client.ts';
import { ManualTimers, settle } from './helpers.ts';

class FakeSocket implements SocketLike {
  protocol = '';
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly sent: string[] = [];
  closedWith: [number | undefined, string | undefined] | undefined;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = [code, reason];
  }
  open(protocol = ''): void {
    this.protocol = protocol;
    this.onopen?.({});
  }
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }
  /** What a browser reports for a refused handshake (401/403) or a dropped connection. */
  drop(code = 1006, reason = ''): void {
    this.onerror?.({});
    this.onclose?.({ code, reason });
  }
}

interface Harness {
  client: SocketClient;
  sockets: FakeSocket[];
  states: [ConnectionState, string][];
  log: LogEntry[];
  timers: ManualTimers;
  tokens: (string | undefined)[];
  /** Tokens the diagnosis was asked about. */
  diagnosed: string[];
  sessionEnded: number;
  last(): FakeSocket;
  lines(): string[];
}

function harness(tokens: (string | undefined)[] = ['tok-1'], extra: Partial<SocketClientDeps> = {}): Harness {
  const sockets: FakeSocket[] = [];
  const states: [ConnectionState, string][] = [];
  const log: LogEntry[] = [];
  const timers = new ManualTimers();
  const queue = [...tokens];
  let current: string | undefined;
  const diagnosed: string[] = [];
  const counters = { sessionEnded: 0 };
  const client = new SocketClient({
    websocketUrl: 'wss://api.example.com/prod',
    createSocket: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket;
    },
    // Each call takes the next queued token, or keeps the last one.
    getToken: () => {
      if (queue.length > 0) current = queue.shift();
      return Promise.resolve(current);
    },
    onState: (state, detail) => states.push([state, detail]),
    onLog: (entry) => log.push(entry),
    setTimer: timers.set,
    clearTimer: timers.clear,
    now: () => new Date(0),
    random: () => 0.5,
    // By default the checks find the gateway up and the issuer still accepting the token: a refusal.
    diagnose: (token) => {
      diagnosed.push(token);
      return Promise.resolve(diagnose({ gateway: 'reachable', userInfo: 'accepted', tokenExpired: false }));
    },
    onSessionEnded: () => counters.sessionEnded++,
    ...extra,
  });
  return {
    client,
    sockets,
    states,
    log,
    timers,
    tokens,
    diagnosed,
    get sessionEnded() {
      return counters.sessionEnded;
    },
    last: () => {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was created');
      return socket;
    },
    lines: () => log.map((e) => `${e.direction}: ${e.text}`),
  };
}

describe('web: SocketClient', () => {
  it('connects with the token in the query string and reports connecting, then connected', async () => {
    const h = harness();
    await h.client.connect('query');
    expect(new URL(h.last().url).searchParams.get('token')).to.equal('tok-1');
    expect(h.last().protocols).to.deep.equal([]);
    expect(h.client.current).to.equal('connecting');
    h.last().open();
    expect(h.states.map((s) => s[0])).to.deep.equal(['connecting', 'connected']);
    expect(h.lines()).to.deep.equal(['info: Connected (token in the query string).']);
  });

  it('uses the configured query parameter name', async () => {
    const h = harness(['tok-1'], { tokenQueryParam: 'access_token' });
    await h.client.connect('query');
    expect(new URL(h.last().url).searchParams.get('access_token')).to.equal('tok-1');
  });

  it('connects with the bearer subprotocol and logs the one the server chose', async () => {
    const h = harness();
    await h.client.connect('subprotocol');
    expect(h.last().url).to.equal('wss://api.example.com/prod');
    expect(h.last().protocols).to.deep.equal(['bearer', 'tok-1']);
    h.last().open('bearer');
    expect(h.lines()).to.deep.equal(['info: Connected (subprotocol bearer).']);
  });

  it('does not open a socket when signed out', async () => {
    const h = harness([undefined]);
    await h.client.connect('query');
    expect(h.sockets).to.have.length(0);
    expect(h.client.current).to.equal('disconnected');
    expect(h.lines()[0]).to.contain('sign in first');
  });

  it('sends prepared messages only when connected, and logs them', async () => {
    const h = harness();
    expect(h.client.send('hi', 'text')).to.deep.equal({
      ok: false,
      reason: 'not_connected',
      message: 'Connect first.',
    });
    await h.client.connect('query');
    h.last().open();
    expect(h.client.send('{ "a": 1 }', 'json')).to.deep.equal({ ok: true });
    expect(h.client.send('{oops', 'json').ok).to.equal(false);
    expect(h.last().sent).to.deep.equal(['{"a":1}']);
    expect(h.lines().at(-1)).to.equal('sent: {"a":1}');
  });

  it('logs received echoes with the connection data, error frames as errors, and binary frames', async () => {
    const h = harness();
    await h.client.connect('query');
    h.last().open();
    h.last().receive(
      JSON.stringify({ type: 'echo', message: 'hi', connection: { username: 'demo', connectionId: 'c=' } }),
    );
    h.last().receive('{"type":"error","reason":"message_too_large"}');
    h.last().receive(new ArrayBuffer(2));
    expect(h.lines().slice(1)).to.deep.equal([
      'received: echo for demo on c=: hi',
      'error: {"type":"error","reason":"message_too_large"}',
      'received: (a binary frame)',
    ]);
    expect(h.log[1]?.detail).to.contain('"username": "demo"');
  });

  it('diagnoses a failed handshake (1006 before open): refused by a reachable server while the issuer accepts the token, not retried', async () => {
    const h = harness();
    await h.client.connect('query');
    h.last().drop(1006);
    expect(h.client.current).to.equal('connecting');
    expect(h.states.at(-1)?.[1]).to.equal(HANDSHAKE_FAILED_MESSAGE);
    await settle();
    expect(h.diagnosed).to.deep.equal(['tok-1']);
    expect(h.client.current).to.equal('refused');
    expect(h.states.at(-1)?.[1]).to.equal(REFUSED_MESSAGE);
    expect(h.lines().slice(-2)).to.deep.equal([`info: ${HANDSHAKE_FAILED_MESSAGE}`, `error: ${REFUSED_MESSAGE}`]);
    expect(h.timers.delays(), 'a refused token must not be retried automatically').to.deep.equal([]);
    expect(h.sessionEnded).to.equal(0);
  });

  it('says "server unreachable, retrying" and retries with back-off while the gateway does not answer', async () => {
    const unreachable: Diagnosis = diagnose({ gateway: 'unreachable', tokenExpired: false });
    const h = harness(['tok-1'], { diagnose: () => Promise.resolve(unreachable) });
    await h.client.connect('subprotocol');
    h.last().drop(1006);
    await settle();
    expect(h.client.current).to.equal('reconnecting');
    expect(h.states.at(-1)?.[1]).to.match(/^Server unreachable, retrying\. Reconnecting in 0\.8 s \(attempt 1\)\.$/);
    expect(h.lines()).to.include(`error: ${UNREACHABLE_MESSAGE}`);
    expect(h.timers.delays()).to.deep.equal([750]);
    h.timers.runAll();
    await settle();
    expect(h.sockets).to.have.length(2);
    h.last().drop(1006);
    await settle();
    expect(h.timers.delays(), 'the schedule goes on').to.deep.equal([1500]);
  });

  it('says "your session ended" when the issuer no longer accepts the token, ends the session and does not retry', async () => {
    const ended = diagnose({ gateway: 'reachable', userInfo: 'rejected', tokenExpired: false });
    const h = harness(['tok-1'], { diagnose: () => Promise.resolve(ended) });
    await h.client.connect('query');
    h.last().drop(1006);
    await settle();
    expect(h.client.current).to.equal('refused');
    expect(h.states.at(-1)?.[1]).to.equal(SESSION_ENDED_MESSAGE);
    expect(h.sessionEnded).to.equal(1);
    expect(h.timers.delays()).to.deep.equal([]);
  });

  it('a failed diagnosis is treated as possibly transient and retried', async () => {
    const h = harness(['tok-1'], { diagnose: () => Promise.reject(new Error('boom')) });
    await h.client.connect('query');
    h.last().drop(1006);
    await settle();
    expect(h.client.current).to.equal('reconnecting');
    expect(h.timers.delays()).to.have.length(1);
  });

  it('a disconnect while the diagnosis runs abandons it', async () => {
    let finish: (d: Diagnosis) => void = () => undefined;
    const h = harness(['tok-1'], { diagnose: () => new Promise<Diagnosis>((resolve) => (finish = resolve)) });
    await h.client.connect('query');
    h.last().drop(1006);
    h.client.disconnect();
    finish(diagnose({ gateway: 'unreachable', tokenExpired: false }));
    await settle();
    expect(h.client.current).to.equal('disconnected');
    expect(h.timers.delays()).to.deep.equal([]);
  });

  describe('refresh on the open connection', () => {
    async function connected(tokens = ['tok-1', 'tok-2'], extra: Partial<SocketClientDeps> = {}): Promise<Harness> {
      const h = harness(tokens, extra);
      await h.client.connect('subprotocol');
      h.last().open('bearer');
      return h;
    }

    it('sends the renewed token as a refresh frame, never logs it, and logs the new expiry when accepted', async () => {
      const h = await connected();
      h.client.refreshToken('tok-2');
      expect(h.last().sent).to.deep.equal(['{"action":"refresh","token":"tok-2"}']);
      expect(h.lines().join('\n')).to.not.contain('tok-2');
      expect(h.timers.delays(), 'waits for the answer').to.deep.equal([10_000]);
      const exp = Math.floor(new Date(2024, 0, 2, 10, 30).getTime() / 1000);
      h.last().receive(JSON.stringify({ type: 'token_refreshed', exp }));
      expect(h.lines().at(-1)).to.equal('info: token refreshed on the connection (expires 10:30)');
      expect(h.timers.delays()).to.deep.equal([]);
      expect(h.sockets, 'no reconnect').to.have.length(1);
      expect(h.client.current).to.equal('connected');
      h.client.refreshToken('tok-2');
      expect(h.last().sent, 'the same token is not sent twice').to.have.length(1);
    });

    it('does nothing when not connected, or for the token the connection already has', async () => {
      const h = harness(['tok-1']);
      h.client.refreshToken('tok-2');
      await h.client.connect('query');
      h.client.refreshToken('tok-2'); // still connecting
      h.last().open();
      h.client.refreshToken('tok-1');
      expect(h.last().sent).to.deep.equal([]);
    });

    it('falls back to reconnecting with the renewed token when the refresh is rejected', async () => {
      const h = await connected();
      const first = h.last();
      h.client.refreshToken('tok-2');
      first.receive('{"type":"error","reason":"refresh_rejected","detail":"rate_limited"}');
      await settle();
      expect(first.closedWith).to.deep.equal([1000, 'reconnecting with a renewed token']);
      expect(h.sockets).to.have.length(2);
      expect(h.last().protocols).to.deep.equal(['bearer', 'tok-2']);
      expect(h.lines()).to.include('error: The server rejected the renewed token (rate_limited).');
      expect(h.lines()).to.include('info: Reconnecting with the renewed token.');
      first.drop(1000); // the old socket's late close is ignored
      h.last().open('bearer');
      expect(h.client.current).to.equal('connected');
      expect(h.timers.delays()).to.deep.equal([]);
    });

    it('without an answer, keeps the connection and says it reconnects at expiry', async () => {
      const h = await connected();
      h.client.refreshToken('tok-2');
      h.timers.runAll();
      expect(h.lines().at(-1)).to.contain('No answer to the token refresh');
      expect(h.client.current).to.equal('connected');
      expect(h.sockets).to.have.length(1);
    });

    it('a refresh_rejected nobody asked for is only logged', async () => {
      const h = await connected();
      h.last().receive('{"type":"error","reason":"refresh_rejected","detail":"invalid_token"}');
      await settle();
      expect(h.sockets).to.have.length(1);
      expect(h.client.current).to.equal('connected');
    });
  });

  it('shows pushed frames as push, internal errors as errors', async () => {
    const h = harness();
    await h.client.connect('query');
    h.last().open();
    h.last().receive('{"type":"push","message":{"n":1},"sentAt":"x"}');
    h.last().receive('{"type":"error","reason":"internal_error","requestId":"r-1"}');
    expect(h.log.slice(1).map((e) => e.direction)).to.deep.equal(['push', 'error']);
    expect(h.log[1]?.text).to.equal('{"n":1}');
    expect(h.log[2]?.text).to.contain('request id r-1');
  });

  it('reconnects after a drop with growing back-off, resets after a success, and gives up after the last attempt', async () => {
    const h = harness(['tok-1'], {
      backoff: { baseMs: 1000, maxMs: 4000, maxAttempts: 3 },
      diagnose: () => Promise.resolve(diagnose({ gateway: 'unreachable', tokenExpired: false })),
    });
    await h.client.connect('query');
    h.last().open();
    h.last().drop(1006);
    expect(h.client.current).to.equal('reconnecting');
    expect(h.timers.delays()).to.deep.equal([750]);
    h.timers.runAll();
    await settle();
    expect(h.sockets).to.have.length(2);
    // A failed handshake during reconnection that may be transient continues the schedule.
    h.last().drop(1006);
    await settle();
    expect(h.timers.delays()).to.deep.equal([1500]);
    h.timers.runAll();
    await settle();
    h.last().open();
    expect(h.client.current).to.equal('connected');
    h.last().drop(1001, 'Going away');
    expect(h.timers.delays(), 'attempts restart after a successful open').to.deep.equal([750]);
    for (const expected of [1500, 3000]) {
      h.timers.runAll();
      await settle();
      h.last().drop(1006);
      await settle();
      expect(h.timers.delays()).to.deep.equal([expected]);
    }
    h.timers.runAll();
    await settle();
    h.last().drop(1006);
    await settle();
    expect(h.timers.delays()).to.deep.equal([]);
    expect(h.client.current).to.equal('disconnected');
    expect(h.lines().at(-1)).to.contain('Gave up reconnecting after 3 attempts');
  });

  it('after a token_expired close, reconnects at once with a renewed token', async () => {
    const h = harness(['tok-1', 'tok-2']);
    await h.client.connect('query');
    h.last().open();
    h.last().receive('{"type":"error","reason":"token_expired"}');
    h.last().drop(1000);
    await settle();
    expect(h.sockets).to.have.length(2);
    expect(new URL(h.last().url).searchParams.get('token')).to.equal('tok-2');
    expect(h.lines()).to.include(`error: ${EXPIRED_MESSAGE}`);
    expect(h.lines()).to.include('info: Reconnecting with the renewed token.');
    expect(
      h.lines().some((l) => l.includes('Sign in again')),
      'no sign-in request when a renewed token exists',
    ).to.equal(false);
  });

  it('after a token_expired close without a renewed token, asks to sign in again and does not retry', async () => {
    const h = harness(['tok-1']);
    await h.client.connect('query');
    h.last().open();
    h.last().receive('{"type":"error","reason":"token_expired"}');
    h.last().drop(1000);
    await settle();
    expect(h.sockets).to.have.length(1);
    expect(h.client.current).to.equal('refused');
    expect(h.states.at(-1)?.[1]).to.equal(`${EXPIRED_MESSAGE} Sign in again, then connect.`);
    expect(h.timers.delays()).to.deep.equal([]);
  });

  it('disconnect closes with 1000, cancels a pending reconnect, and ignores the late close event', async () => {
    const h = harness();
    await h.client.connect('query');
    const socket = h.last();
    socket.open();
    h.client.disconnect();
    expect(socket.closedWith).to.deep.equal([1000, 'closed by user']);
    socket.drop(1000); // handlers were detached: nothing happens
    expect(h.client.current).to.equal('disconnected');
    expect(h.timers.delays()).to.deep.equal([]);

    await h.client.connect('query');
    h.last().open();
    h.last().drop(1006);
    expect(h.timers.delays()).to.have.length(1);
    h.client.disconnect();
    expect(h.timers.delays(), 'the scheduled reconnect must be cancelled').to.deep.equal([]);
  });

  it('ignores a second connect while connecting or connected', async () => {
    const h = harness();
    await h.client.connect('query');
    await h.client.connect('query');
    h.last().open();
    await h.client.connect('subprotocol');
    expect(h.sockets).to.have.length(1);
  });

  it('a disconnect while waiting for the token abandons that attempt', async () => {
    let release: (token: string) => void = () => undefined;
    const h = harness([], { getToken: () => new Promise<string>((resolve) => (release = resolve)) });
    const connecting = h.client.connect('query');
    h.client.disconnect();
    release('tok-1');
    await connecting;
    expect(h.sockets).to.have.length(0);
    expect(h.client.current).to.equal('disconnected');
  });

  it('reports a WebSocket constructor error (e.g. a bad URL) without throwing', async () => {
    const h = harness(['tok-1'], {
      createSocket: () => {
        throw new SyntaxError('The URL is invalid');
      },
    });
    await h.client.connect('query');
    expect(h.client.current).to.equal('disconnected');
    expect(h.lines().at(-1)).to.contain('The URL is invalid');
  });
});
