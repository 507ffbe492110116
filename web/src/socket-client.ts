// The console's connection: connect with the current token, report status, reconnect with back-off after a
// drop, and explain refusals and token expiry. The WebSocket, timers, clock and randomness are injected.
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import {
  classifyClose,
  describeClose,
  parseIncoming,
  prepareOutgoing,
  SIGN_IN_AGAIN,
  type MessageFormat,
  type NotSent,
} from './messages.ts';
import { socketTarget, type TokenTransport } from './urls.ts';

/** The subset of the browser WebSocket used here. */
export interface SocketLike {
  readonly protocol: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'refused';
export type LogDirection = 'sent' | 'received' | 'info' | 'error';

export interface LogEntry {
  at: Date;
  direction: LogDirection;
  text: string;
  /** More to show on demand, e.g. the echoed connection data. */
  detail?: string;
}

export interface SocketClientDeps {
  websocketUrl: string;
  /** The authorizer's TOKEN_QUERY_PARAM (default `token`). */
  tokenQueryParam?: string;
  createSocket: (url: string, protocols: string[]) => SocketLike;
  /** The access token to connect with (renewed if due), or undefined when signed out. */
  getToken: () => Promise<string | undefined>;
  onState: (state: ConnectionState, detail: string) => void;
  onLog: (entry: LogEntry) => void;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  now: () => Date;
  random: () => number;
  backoff?: BackoffOptions;
}

export class SocketClient {
  private socket: SocketLike | undefined;
  private timer: unknown;
  private attempt = 0;
  /** Bumped on every connect/disconnect so late callbacks of an abandoned attempt are ignored. */
  private generation = 0;
  private state: ConnectionState = 'disconnected';

  constructor(private readonly deps: SocketClientDeps) {}

  get current(): ConnectionState {
    return this.state;
  }

  /** User-initiated connect: a refusal is reported, not retried (retrying a rejected token only loads the authorizer). */
  async connect(transport: TokenTransport): Promise<void> {
    if (this.state === 'connecting' || this.state === 'connected') return;
    this.cancelTimer();
    this.attempt = 0;
    await this.open(transport, ++this.generation, false);
  }

  disconnect(): void {
    this.generation++;
    this.cancelTimer();
    const socket = this.socket;
    if (socket) {
      // The close event still arrives; it is handled as the user's.
      this.detach(socket);
      socket.close(1000, 'closed by user');
    }
    this.setState('disconnected', 'Disconnected.');
    if (socket) this.log('info', 'Disconnected.');
  }

  send(input: string, format: MessageFormat): { ok: true } | NotSent {
    if (this.state !== 'connected' || !this.socket)
      return { ok: false, reason: 'not_connected', message: 'Connect first.' };
    const outgoing = prepareOutgoing(input, format);
    if (!outgoing.ok) return outgoing;
    this.socket.send(outgoing.data);
    this.log('sent', outgoing.data);
    return { ok: true };
  }

  private async open(transport: TokenTransport, generation: number, retrying: boolean): Promise<void> {
    this.setState('connecting', retrying ? `Reconnecting (attempt ${this.attempt})…` : 'Connecting…');
    let token: string | undefined;
    try {
      token = await this.deps.getToken();
    } catch {
      token = undefined;
    }
    if (generation !== this.generation) return;
    if (!token) {
      this.setState('disconnected', 'Sign in first.');
      this.log('error', 'Not connected: sign in first (no valid token).');
      return;
    }
    const target = socketTarget(this.deps.websocketUrl, token, transport, this.deps.tokenQueryParam);
    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(target.url, target.protocols);
    } catch (err) {
      this.setState('disconnected', 'Could not connect.');
      this.log('error', `Could not open the WebSocket: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.socket = socket;
    let opened = false;
    let lastErrorReason: string | undefined;
    socket.onopen = () => {
      if (generation !== this.generation) return;
      opened = true;
      this.attempt = 0;
      const how =
        transport === 'subprotocol' ? `subprotocol ${socket.protocol || '(none)'}` : 'token in the query string';
      this.setState('connected', 'Connected.');
      this.log('info', `Connected (${how}).`);
    };
    socket.onmessage = (ev) => {
      if (generation !== this.generation) return;
      if (typeof ev.data !== 'string') {
        this.log('received', '(a binary frame)');
        return;
      }
      const incoming = parseIncoming(ev.data);
      if (incoming.kind === 'error') lastErrorReason = incoming.reason;
      this.log(
        incoming.kind === 'error' ? 'error' : 'received',
        incoming.text,
        incoming.kind === 'echo' ? incoming.detail : undefined,
      );
    };
    socket.onerror = () => {
      // Always followed by close, which carries what little the browser tells.
    };
    socket.onclose = (ev) => {
      if (generation !== this.generation) return;
      this.socket = undefined;
      const ctx = { code: ev.code, reason: ev.reason, opened, byUser: false, lastErrorReason };
      const message = describeClose(ctx);
      const kind = classifyClose(ctx);
      this.log(kind === 'dropped' ? 'info' : 'error', message);
      if (kind === 'token_expired') {
        void this.afterExpiry(transport, generation, token, message);
      } else if (kind === 'refused' && !retrying) {
        this.setState('refused', message);
      } else {
        this.scheduleReconnect(transport, generation, message);
      }
    };
  }

  /** After a token_expired close: reconnect at once if a renewed token is at hand, else ask for a sign-in. */
  private async afterExpiry(
    transport: TokenTransport,
    generation: number,
    oldToken: string,
    message: string,
  ): Promise<void> {
    let fresh: string | undefined;
    try {
      fresh = await this.deps.getToken();
    } catch {
      fresh = undefined;
    }
    if (generation !== this.generation) return;
    if (fresh && fresh !== oldToken) {
      this.log('info', 'Reconnecting with the renewed token.');
      await this.open(transport, generation, false);
      return;
    }
    this.setState('refused', `${message} ${SIGN_IN_AGAIN}`);
    this.log('error', SIGN_IN_AGAIN);
  }

  private scheduleReconnect(transport: TokenTransport, generation: number, message: string): void {
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.deps.random, this.deps.backoff ?? DEFAULT_BACKOFF);
    if (delay === undefined) {
      this.setState('disconnected', `${message} Gave up after ${this.attempt - 1} reconnect attempts.`);
      this.log('error', `Gave up reconnecting after ${this.attempt - 1} attempts. Press Connect to try again.`);
      return;
    }
    this.setState(
      'reconnecting',
      `${message} Reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${this.attempt}).`,
    );
    this.log('info', `Reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${this.attempt}).`);
    this.timer = this.deps.setTimer(() => {
      this.timer = undefined;
      if (generation === this.generation) void this.open(transport, generation, true);
    }, delay);
  }

  private detach(socket: SocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    if (this.socket === socket) this.socket = undefined;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = undefined;
  }

  private setState(state: ConnectionState, detail: string): void {
    this.state = state;
    this.deps.onState(state, detail);
  }

  /** Also used by the page for session events, so the log tells the whole story in order. */
  log(direction: LogDirection, text: string, detail?: string): void {
    this.deps.onLog(
      detail === undefined
        ? { at: this.deps.now(), direction, text }
        : { at: this.deps.now(), direction, text, detail },
    );
  }
}
