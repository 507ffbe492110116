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
  PLANNED_RECONNECT_MESSAGE,
  SocketClient,
  type ConnectionState,
  type LogEntry,
  type SocketClientDeps,
  type SocketLike,
} from '../../../web/src/socket-client.ts';
import { ManualTimers, settle } from './helpers.ts';

/** The planned replacement's delay with the harness's random 0.5: 1 h 50 min + half of the 9.5 min window. */
const PLANNED_MS = 6_885_000;

/** Runs only the waiting timers with this delay (not ones they schedule). */
function fire(timers: ManualTimers, ms: number): void {
  const due = [...timers.pending.entries()].filter(([, t]) => t.ms === ms);
  if (due.length === 0) throw new Error(`no timer of ${ms} ms is waiting (waiting: ${timers.delays().join(', ')})`);
  for (const [id, timer] of due) {
    timers.pending.delete(id);
    timer.fn();
  }
}

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
      expect(h.timers.delays(), 'waits for the answer').to.deep.equal([PLANNED_MS, 10_000]);
      const exp = Math.floor(new Date(2024, 0, 2, 10, 30).getTime() / 1000);
      h.last().receive(JSON.stringify({ type: 'token_refreshed', exp }));
      expect(h.lines().at(-1)).to.equal('info: token refreshed on the connection (expires 10:30)');
      expect(h.timers.delays()).to.deep.equal([PLANNED_MS]);
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
      expect(h.timers.delays(), 'only the planned replacement of the new connection').to.deep.equal([PLANNED_MS]);
    });

    it('without an answer, keeps the connection and says it reconnects at expiry', async () => {
      const h = await connected();
      h.client.refreshToken('tok-2');
      fire(h.timers, 10_000);
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
  describe('planned reconnect before the 2-hour limit', () => {
    async function connected(
      tokens: (string | undefined)[] = ['tok-1'],
      extra: Partial<SocketClientDeps> = {},
    ): Promise<Harness & { old: FakeSocket }> {
      const h = harness(tokens, extra);
      await h.client.connect('subprotocol');
      h.last().open('bearer');
      return Object.assign(h, { old: h.last() });
    }

    it('arms one timer on open, in the last 10 minutes before 2 hours and at least 30 s before', async () => {
      // Hand-computed: 2 h = 7,200,000 ms; the window starts 600,000 ms before and ends 30,000 ms before.
      for (const [random, expected] of [
        [0, 6_600_000],
        [0.5, 6_885_000],
        [0.9999999, 7_170_000],
      ] as const) {
        const h = await connected(['tok-1'], { random: () => random });
        expect(h.timers.delays(), `random ${random}`).to.deep.equal([expected]);
      }
      const h = harness();
      await h.client.connect('query');
      expect(h.timers.delays(), 'nothing armed before the connection opens').to.deep.equal([]);
    });

    it('opens the replacement with the current token, and closes the old one with 1000 only once it is open', async () => {
      const h = await connected(['tok-1', 'tok-2']);
      const before = h.states.length;
      fire(h.timers, PLANNED_MS);
      await settle();
      expect(h.sockets).to.have.length(2);
      const next = h.last();
      expect(next.protocols, 'the latest token').to.deep.equal(['bearer', 'tok-2']);
      expect(h.old.closedWith, 'the old connection carries the traffic during the handshake').to.equal(undefined);
      expect(h.client.send('during', 'text')).to.deep.equal({ ok: true });
      expect(h.old.sent).to.deep.equal(['during']);
      next.open('bearer');
      expect(h.old.closedWith).to.deep.equal([1000, 'replaced by a new connection']);
      expect(h.states.length, 'no state change the user would misread').to.equal(before);
      expect(h.client.current).to.equal('connected');
      expect(h.lines().filter((l) => l.startsWith('info: Connected'))).to.have.length(1);
      expect(h.lines().at(-1)).to.equal(`info: ${PLANNED_RECONNECT_MESSAGE}`);
      // The new socket has the handlers; the old one none.
      h.client.send('after', 'text');
      expect(next.sent).to.deep.equal(['after']);
      next.receive('{"type":"push","message":1,"sentAt":"x"}');
      expect(h.log.at(-1)?.direction).to.equal('push');
      h.old.drop(1000);
      expect(h.client.current, "the old socket's late close is ignored").to.equal('connected');
      expect(h.timers.delays(), 'the replacement is replaced in turn').to.deep.equal([PLANNED_MS]);
      // A drop of the new connection goes through the usual back-off.
      next.drop(1006);
      expect(h.client.current).to.equal('reconnecting');
      expect(h.timers.delays()).to.deep.equal([750]);
    });

    it('a token renewed during the handshake is refreshed on the replacement once it is open', async () => {
      const h = await connected(['tok-1']);
      fire(h.timers, PLANNED_MS);
      await settle();
      const next = h.last();
      expect(next.protocols).to.deep.equal(['bearer', 'tok-1']);
      h.client.refreshToken('tok-2');
      expect(h.old.sent).to.deep.equal(['{"action":"refresh","token":"tok-2"}']);
      next.open('bearer');
      expect(next.sent).to.deep.equal(['{"action":"refresh","token":"tok-2"}']);
      expect(
        h.timers.delays().sort((a, b) => a - b),
        'one refresh answer awaited',
      ).to.deep.equal([10_000, PLANNED_MS]);
      next.receive(JSON.stringify({ type: 'token_refreshed', exp: 2_000_000_000 }));
      h.client.refreshToken('tok-2');
      expect(next.sent, 'the new connection now has tok-2').to.have.length(1);
    });

    it('a replacement that fails to open leaves the old connection; its close then takes the usual back-off', async () => {
      const h = await connected(['tok-1']);
      fire(h.timers, PLANNED_MS);
      await settle();
      const next = h.last();
      next.drop(1006);
      expect(h.old.closedWith).to.equal(undefined);
      expect(h.client.current).to.equal('connected');
      expect(h.lines().at(-1)).to.contain('Planned reconnect failed');
      expect(h.diagnosed, 'no diagnosis for the replacement').to.deep.equal([]);
      expect(h.client.send('still', 'text')).to.deep.equal({ ok: true });
      expect(h.old.sent).to.deep.equal(['still']);
      expect(h.timers.delays(), 'no second planned attempt').to.deep.equal([]);
      h.old.drop(1001, 'Going away');
      expect(h.client.current).to.equal('reconnecting');
      expect(h.timers.delays()).to.deep.equal([750]);
    });

    it('the old connection closing during the handshake drops the replacement and backs off as usual', async () => {
      const h = await connected(['tok-1']);
      fire(h.timers, PLANNED_MS);
      await settle();
      const next = h.last();
      h.old.drop(1001, 'Going away');
      expect(next.closedWith).to.deep.equal([1000, 'not needed']);
      next.open('bearer'); // detached: ignored
      expect(h.client.current).to.equal('reconnecting');
      expect(h.timers.delays()).to.deep.equal([750]);
    });

    it('disconnect cancels the timer, and a replacement in its handshake', async () => {
      const h = await connected(['tok-1']);
      h.client.disconnect();
      expect(h.timers.delays()).to.deep.equal([]);

      await h.client.connect('subprotocol');
      const second = h.last();
      second.open('bearer');
      fire(h.timers, PLANNED_MS);
      await settle();
      const next = h.last();
      h.client.disconnect();
      expect(next.closedWith).to.deep.equal([1000, 'not needed']);
      expect(second.closedWith).to.deep.equal([1000, 'closed by user']);
      next.open('bearer');
      expect(h.client.current).to.equal('disconnected');
      expect(h.timers.delays()).to.deep.equal([]);
    });

    it('a disconnect while the replacement waits for its token opens nothing', async () => {
      let release: (token: string) => void = () => undefined;
      let calls = 0;
      const h = await connected([], {
        getToken: () =>
          ++calls === 1 ? Promise.resolve('tok-1') : new Promise<string>((resolve) => (release = resolve)),
      });
      fire(h.timers, PLANNED_MS);
      h.client.disconnect();
      release('tok-2');
      await settle();
      expect(h.sockets).to.have.length(1);
    });

    it('the fallback reconnect after a rejected refresh cancels the timer and arms a new one on open', async () => {
      const h = await connected(['tok-1', 'tok-2']);
      h.client.refreshToken('tok-2');
      h.old.receive('{"type":"error","reason":"refresh_rejected","detail":"rate_limited"}');
      await settle();
      expect(h.timers.delays()).to.deep.equal([]);
      h.last().open('bearer');
      expect(h.timers.delays()).to.deep.equal([PLANNED_MS]);
    });

    it('signed out when the timer fires: no replacement, the connection stays', async () => {
      let token: string | undefined = 'tok-1';
      const h = await connected([], { getToken: () => Promise.resolve(token) });
      token = undefined;
      fire(h.timers, PLANNED_MS);
      await settle();
      expect(h.sockets).to.have.length(1);
      expect(h.client.current).to.equal('connected');
      expect(h.lines().at(-1)).to.contain('Planned reconnect skipped');
    });

    it('a WebSocket constructor error for the replacement is logged and the connection stays', async () => {
      const sockets: FakeSocket[] = [];
      const h = harness(['tok-1'], {
        createSocket: (url, protocols) => {
          if (sockets.length > 0) throw new Error('too many sockets');
          const socket = new FakeSocket(url, protocols);
          sockets.push(socket);
          return socket;
        },
      });
      await h.client.connect('query');
      sockets[0]?.open();
      fire(h.timers, PLANNED_MS);
      await settle();
      expect(h.client.current).to.equal('connected');
      expect(h.lines().at(-1)).to.equal('error: Planned reconnect failed: too many sockets');
      expect(sockets[0]?.closedWith).to.equal(undefined);
    });
  });
});
