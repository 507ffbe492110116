// The console's connection: connect with the current token, report status, reconnect with back-off after a
// drop, hand renewed tokens to the open connection, and explain failed handshakes (after checking what can be
// checked) and token expiry, and replace each connection before API Gateway's 2-hour cut (make-before-break).
// The WebSocket, timers, clock, randomness and the diagnosis are injected.
import { backoffDelay, DEFAULT_BACKOFF, plannedReconnectDelay, type BackoffOptions } from './backoff.ts';
import type { Diagnosis } from './diagnosis.ts';
import {
  classifyClose,
  describeClose,
  parseIncoming,
  prepareOutgoing,
  refreshFrame,
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
export type LogDirection = 'sent' | 'received' | 'push' | 'info' | 'error';

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
  /** Checks why a handshake with this token failed (see diagnosis.ts). */
  diagnose: (token: string) => Promise<Diagnosis>;
  /** The issuer no longer accepts the token, or it expired: the page forgets the session. */
  onSessionEnded?: () => void;
  /** How long to wait for the answer to a refresh frame before relying on reconnect-at-expiry. */
  refreshAnswerMs?: number;
}

/** The answer to a refresh normally takes one Lambda invocation. */
const REFRESH_ANSWER_MS = 10_000;

interface PendingRefresh {
  token: string;
  timer: unknown;
}

/** A planned replacement whose handshake is under way; the old connection carries traffic until it opens. */
interface PendingReplacement {
  socket: SocketLike;
  token: string;
  /** A token renewed on the old connection meanwhile, newer than the one the replacement connects with. */
  renewed?: string;
}

export const PLANNED_RECONNECT_MESSAGE = 'Planned reconnect before the 2-hour limit.';

export class SocketClient {
  private socket: SocketLike | undefined;
  private timer: unknown;
  private attempt = 0;
  /** Bumped on every connect/disconnect so late callbacks of an abandoned attempt are ignored. */
  private generation = 0;
  private state: ConnectionState = 'disconnected';
  /** The token the open connection is authorized with (the handshake's, then each accepted refresh's). */
  private connectionToken: string | undefined;
  private pendingRefresh: PendingRefresh | undefined;
  private plannedTimer: unknown;
  private replacement: PendingReplacement | undefined;

  constructor(private readonly deps: SocketClientDeps) {}

  get current(): ConnectionState {
    return this.state;
  }

  /** User-initiated connect. A failed handshake is diagnosed; only a cause that may be transient is retried. */
  async connect(transport: TokenTransport): Promise<void> {
    if (this.state === 'connecting' || this.state === 'connected') return;
    this.cancelTimer();
    this.cancelPlanned();
    this.attempt = 0;
    await this.open(transport, ++this.generation, false);
  }

  disconnect(): void {
    this.generation++;
    this.cancelTimer();
    this.cancelPlanned();
    this.clearRefresh();
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

  /**
   * Hands a renewed access token to the open connection (the `refresh` route): no reconnect. The frame is logged
   * without the token. Not connected, or already on this token: nothing to do.
   */
  refreshToken(token: string): void {
    const socket = this.socket;
    if (this.state !== 'connected' || !socket || token === this.connectionToken) return;
    // Its handshake used an older token: the replacement is handed this one once it carries the traffic.
    if (this.replacement && this.replacement.token !== token) this.replacement.renewed = token;
    if (this.pendingRefresh) this.deps.clearTimer(this.pendingRefresh.timer);
    const generation = this.generation;
    const timer = this.deps.setTimer(() => {
      if (generation !== this.generation || this.pendingRefresh?.timer !== timer) return;
      this.pendingRefresh = undefined;
      this.log(
        'info',
        'No answer to the token refresh; the connection keeps its token and reconnects when it expires.',
      );
    }, this.deps.refreshAnswerMs ?? REFRESH_ANSWER_MS);
    this.pendingRefresh = { token, timer };
    socket.send(refreshFrame(token));
    this.log('sent', '{"action":"refresh","token":"(the renewed access token)"}');
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
    socket.onopen = () => {
      if (generation !== this.generation) return;
      this.attempt = 0;
      this.connectionToken = token;
      this.attach(socket, transport, generation, token, true);
      const how =
        transport === 'subprotocol' ? `subprotocol ${socket.protocol || '(none)'}` : 'token in the query string';
      this.setState('connected', 'Connected.');
      this.log('info', `Connected (${how}).`);
      this.schedulePlanned(socket, transport, generation);
    };
    this.attach(socket, transport, generation, token, false);
  }

  /** The message and close handlers of the connection in use (a planned replacement inherits them on open). */
  private attach(
    socket: SocketLike,
    transport: TokenTransport,
    generation: number,
    token: string,
    opened: boolean,
  ): void {
    let lastErrorReason: string | undefined;
    socket.onmessage = (ev) => {
      if (generation !== this.generation) return;
      if (typeof ev.data !== 'string') {
        this.log('received', '(a binary frame)');
        return;
      }
      const incoming = parseIncoming(ev.data);
      switch (incoming.kind) {
        case 'token_refreshed':
          this.log('info', incoming.text);
          this.settleRefresh(true);
          return;
        case 'refresh_rejected':
          this.log('error', incoming.text);
          this.afterRefreshRejected(socket, transport, generation);
          return;
        case 'error':
          lastErrorReason = incoming.reason;
          this.log('error', incoming.text);
          return;
        case 'push':
          this.log('push', incoming.text);
          return;
        case 'echo':
          this.log('received', incoming.text, incoming.detail);
          return;
        default:
          this.log('received', incoming.text);
      }
    };
    socket.onerror = () => {
      // Always followed by close, which carries what little the browser tells.
    };
    socket.onclose = (ev) => {
      if (generation !== this.generation) return;
      this.socket = undefined;
      this.connectionToken = undefined;
      this.clearRefresh();
      // A replacement still in its handshake is dropped too: the usual handling below takes over.
      this.cancelPlanned();
      const ctx = { code: ev.code, reason: ev.reason, opened, byUser: false, lastErrorReason };
      const message = describeClose(ctx);
      const kind = classifyClose(ctx);
      this.log(kind === 'token_expired' ? 'error' : 'info', message);
      if (kind === 'token_expired') {
        void this.afterExpiry(transport, generation, token, message);
      } else if (kind === 'handshake_failed') {
        void this.afterHandshakeFailure(transport, generation, token, message);
      } else {
        this.scheduleReconnect(transport, generation, message);
      }
    };
  }

  /** Says only what the checks found; retries only when the cause may be transient. */
  private async afterHandshakeFailure(
    transport: TokenTransport,
    generation: number,
    token: string,
    message: string,
  ): Promise<void> {
    this.setState('connecting', message);
    let diagnosis: Diagnosis;
    try {
      diagnosis = await this.deps.diagnose(token);
    } catch {
      diagnosis = { cause: 'unchecked', message: 'The connection could not be opened, retrying.', retry: true };
    }
    if (generation !== this.generation) return;
    this.log('error', diagnosis.message);
    if (diagnosis.retry) {
      this.scheduleReconnect(transport, generation, diagnosis.message);
      return;
    }
    this.setState('refused', diagnosis.message);
    if (diagnosis.cause === 'session_ended') this.deps.onSessionEnded?.();
  }

  private settleRefresh(accepted: boolean): void {
    const pending = this.pendingRefresh;
    if (!pending) return;
    this.clearRefresh();
    if (accepted) this.connectionToken = pending.token;
  }

  /** The fallback: a new connection with the renewed token, since this one keeps only its current expiry. */
  private afterRefreshRejected(socket: SocketLike, transport: TokenTransport, generation: number): void {
    const pending = this.pendingRefresh;
    this.settleRefresh(false);
    if (!pending || generation !== this.generation) return;
    this.cancelPlanned();
    this.detach(socket);
    socket.close(1000, 'reconnecting with a renewed token');
    this.connectionToken = undefined;
    this.log('info', 'Reconnecting with the renewed token.');
    this.attempt = 0;
    void this.open(transport, ++this.generation, false);
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

  /** Arms the replacement of the connection that just opened, at a random point before the 2-hour cut. */
  private schedulePlanned(socket: SocketLike, transport: TokenTransport, generation: number): void {
    this.cancelPlanned();
    const timer = this.deps.setTimer(() => {
      if (this.plannedTimer !== timer) return;
      this.plannedTimer = undefined;
      if (generation === this.generation && this.socket === socket) void this.replace(socket, transport, generation);
    }, plannedReconnectDelay(this.deps.random));
    this.plannedTimer = timer;
  }

  /**
   * Opens a new connection with the latest token while the old one carries the traffic; once the new one is open
   * it takes the handlers and the old one is closed with 1000. If the new one fails, the old one stays, and its
   * cut at 2 hours is handled like any drop.
   */
  private async replace(old: SocketLike, transport: TokenTransport, generation: number): Promise<void> {
    let token: string | undefined;
    try {
      token = await this.deps.getToken();
    } catch {
      token = undefined;
    }
    if (generation !== this.generation || this.socket !== old || this.state !== 'connected') return;
    if (!token) {
      this.log('info', 'Planned reconnect skipped (no valid token); the connection closes at the 2-hour limit.');
      return;
    }
    const target = socketTarget(this.deps.websocketUrl, token, transport, this.deps.tokenQueryParam);
    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(target.url, target.protocols);
    } catch (err) {
      this.log('error', `Planned reconnect failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const replacement: PendingReplacement = { socket, token };
    this.replacement = replacement;
    socket.onmessage = null;
    socket.onerror = () => {
      // Followed by close.
    };
    socket.onclose = () => {
      if (this.replacement !== replacement) return;
      this.replacement = undefined;
      this.detach(socket);
      this.log('info', 'Planned reconnect failed; the current connection stays until its 2-hour limit.');
    };
    socket.onopen = () => {
      if (this.replacement !== replacement) return;
      this.replacement = undefined;
      if (generation !== this.generation || this.socket !== old) {
        this.detach(socket);
        socket.close(1000, 'not needed');
        return;
      }
      this.detach(old);
      old.close(1000, 'replaced by a new connection');
      // A refresh awaiting its answer on the old connection is moot: the new one has its own token.
      this.clearRefresh();
      this.socket = socket;
      this.connectionToken = token;
      this.attach(socket, transport, generation, token, true);
      this.log('info', PLANNED_RECONNECT_MESSAGE);
      this.schedulePlanned(socket, transport, generation);
      if (replacement.renewed) this.refreshToken(replacement.renewed);
    };
  }

  private cancelPlanned(): void {
    if (this.plannedTimer !== undefined) this.deps.clearTimer(this.plannedTimer);
    this.plannedTimer = undefined;
    const replacement = this.replacement;
    this.replacement = undefined;
    if (replacement) {
      this.detach(replacement.socket);
      replacement.socket.close(1000, 'not needed');
    }
  }

  private detach(socket: SocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    if (this.socket === socket) this.socket = undefined;
  }

  private clearRefresh(): void {
    if (this.pendingRefresh) this.deps.clearTimer(this.pendingRefresh.timer);
    this.pendingRefresh = undefined;
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
