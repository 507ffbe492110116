// The page: wires the DOM to AuthSession and SocketClient. Every piece of text goes in with textContent.
import { AuthSession } from './auth-session.ts';
import { parseWebConfig, type WebConfig } from './config.ts';
import { diagnoseHandshake, SESSION_ENDED_MESSAGE, type ProbeFetch } from './diagnosis.ts';
import { formatTime, type MessageFormat } from './messages.ts';
import { checkOrigin } from './origin-check.ts';
import { SocketClient, type ConnectionState, type LogEntry, type SocketLike } from './socket-client.ts';
import { decodePayload, formatRemaining } from './token-claims.ts';
import type { TokenTransport } from './urls.ts';

const MAX_LOG_ENTRIES = 500;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el as T;
}

const ui = {
  notice: byId<HTMLDivElement>('notice'),
  who: byId<HTMLElement>('who'),
  expiry: byId<HTMLElement>('expiry'),
  signIn: byId<HTMLButtonElement>('sign-in'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  connect: byId<HTMLButtonElement>('connect'),
  disconnect: byId<HTMLButtonElement>('disconnect'),
  status: byId<HTMLElement>('status'),
  statusDetail: byId<HTMLElement>('status-detail'),
  sendForm: byId<HTMLFormElement>('send-form'),
  message: byId<HTMLTextAreaElement>('message'),
  send: byId<HTMLButtonElement>('send'),
  sendError: byId<HTMLElement>('send-error'),
  log: byId<HTMLOListElement>('log'),
  clearLog: byId<HTMLButtonElement>('clear-log'),
};

function showNotice(level: 'info' | 'error', text: string, link?: string): void {
  ui.notice.textContent = text;
  if (link !== undefined) {
    const a = document.createElement('a');
    a.href = link;
    a.id = 'notice-link';
    a.textContent = link;
    ui.notice.append(' ', a, '.');
  }
  ui.notice.dataset['level'] = level;
  ui.notice.hidden = false;
}

function checked(name: string): string | undefined {
  const input = document.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
  return input?.value;
}

function appendLog(entry: LogEntry): void {
  const item = document.createElement('li');
  item.dataset['direction'] = entry.direction;
  const time = document.createElement('time');
  time.dateTime = entry.at.toISOString();
  time.textContent = formatTime(entry.at);
  const dir = document.createElement('span');
  dir.className = 'direction';
  dir.textContent = {
    sent: '→ sent',
    received: '← received',
    push: '← push',
    info: '· info',
    error: '! error',
  }[entry.direction];
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = entry.text;
  item.append(time, dir, text);
  if (entry.detail !== undefined) {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'connection data';
    const pre = document.createElement('pre');
    pre.textContent = entry.detail;
    details.append(summary, pre);
    text.append(details);
  }
  ui.log.append(item);
  while (ui.log.children.length > MAX_LOG_ENTRIES) ui.log.firstElementChild?.remove();
  item.scrollIntoView({ block: 'nearest' });
}

/** The browser WebSocket behind the small SocketLike interface the client is written (and tested) against. */
function browserSocket(url: string, protocols: string[]): SocketLike {
  const ws = new WebSocket(url, protocols);
  const socket: SocketLike = {
    get protocol() {
      return ws.protocol;
    },
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
  };
  ws.onopen = (ev) => socket.onopen?.(ev);
  ws.onmessage = (ev: MessageEvent<unknown>) => socket.onmessage?.({ data: ev.data });
  ws.onclose = (ev) => socket.onclose?.({ code: ev.code, reason: ev.reason });
  ws.onerror = (ev) => socket.onerror?.(ev);
  return socket;
}

const STATE_LABELS: Record<ConnectionState, string> = {
  disconnected: 'Disconnected',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  refused: 'Refused',
};

function wire(config: WebConfig): void {
  const auth = new AuthSession({
    config,
    fetch: (url, init) => fetch(url, init),
    storage: sessionStorage,
    crypto,
    nowMs: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    navigate: (url) => location.assign(url),
    replaceUrl: (path) => history.replaceState(null, '', path),
    onChange: (notice) => {
      // Errors go to the banner; routine events (signed in, token renewed) to the log.
      if (notice?.level === 'error') showNotice(notice.level, notice.text);
      else if (notice) client.log('info', notice.text);
      render();
    },
    onRenewed: (token) => client.refreshToken(token),
  });

  const probeFetch: ProbeFetch = (url, init) => fetch(url, init);

  const client = new SocketClient({
    websocketUrl: config.websocketUrl,
    ...(config.tokenQueryParam === undefined ? {} : { tokenQueryParam: config.tokenQueryParam }),
    createSocket: browserSocket,
    getToken: () => auth.accessToken(),
    onState: (state, detail) => {
      ui.status.textContent = STATE_LABELS[state];
      ui.status.dataset['state'] = state;
      ui.statusDetail.textContent = detail;
      render();
      keepFocus(state);
      // A renewal during the handshake left the new connection on the older token: hand it the current one.
      if (state === 'connected') void auth.accessToken().then((token) => token && client.refreshToken(token));
    },
    onLog: appendLog,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => new Date(),
    random: Math.random,
    diagnose: (token) => {
      const exp = decodePayload(token)?.['exp'];
      return diagnoseHandshake(
        {
          websocketUrl: config.websocketUrl,
          hostedUiUrl: config.hostedUiUrl,
          scopes: config.scopes,
          fetch: probeFetch,
          nowMs: () => Date.now(),
        },
        token,
        typeof exp === 'number' ? exp : undefined,
      );
    },
    onSessionEnded: () => auth.endSession(SESSION_ENDED_MESSAGE),
  });

  /** A button that becomes disabled drops keyboard focus; hand it to the control that is useful next. */
  function keepFocus(state: ConnectionState): void {
    const active = document.activeElement;
    const lost =
      active === null || active === document.body || (active instanceof HTMLButtonElement && active.disabled);
    if (!lost) return;
    if (state === 'connected') ui.message.focus();
    else if (!ui.connect.disabled) ui.connect.focus();
  }

  function renderExpiry(): void {
    const claims = auth.claims;
    ui.expiry.textContent = claims ? formatRemaining(claims.exp, Date.now()) : '–';
  }

  function render(): void {
    const claims = auth.claims;
    ui.who.textContent = claims ? `Signed in as ${claims.username}` : 'Not signed in.';
    ui.who.dataset['username'] = claims?.username ?? '';
    ui.signIn.hidden = auth.signedIn;
    ui.signOut.hidden = !auth.signedIn;
    const state = client.current;
    const idle = state === 'disconnected' || state === 'refused';
    ui.connect.disabled = !auth.signedIn || !idle;
    ui.disconnect.disabled = idle;
    ui.send.disabled = state !== 'connected';
    renderExpiry();
  }

  ui.signIn.addEventListener('click', () => {
    ui.signIn.disabled = true;
    auth.signIn().catch((err: unknown) => {
      ui.signIn.disabled = false;
      showNotice('error', `Could not start sign-in: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  ui.signOut.addEventListener('click', () => {
    client.disconnect();
    void auth.signOut();
  });
  ui.connect.addEventListener('click', () => {
    ui.notice.hidden = true;
    const transport: TokenTransport = checked('transport') === 'query' ? 'query' : 'subprotocol';
    void client.connect(transport);
  });
  ui.disconnect.addEventListener('click', () => client.disconnect());
  ui.sendForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const format: MessageFormat = checked('format') === 'json' ? 'json' : 'text';
    const result = client.send(ui.message.value, format);
    ui.sendError.textContent = result.ok ? '' : result.message;
  });
  // Ctrl+Enter (or Cmd+Enter) sends; plain Enter keeps its newline in the text area.
  ui.message.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      ui.sendForm.requestSubmit();
    }
  });
  ui.clearLog.addEventListener('click', () => ui.log.replaceChildren());

  const origin = checkOrigin(config.redirectUri, location.href);
  if (!origin.ok) {
    showNotice('error', origin.message, origin.link);
    ui.signIn.disabled = true;
  }

  setInterval(renderExpiry, 1000);
  render();
  void auth.completeSignIn(location.href).then(render);
}

async function start(): Promise<void> {
  let config: WebConfig;
  try {
    const response = await fetch('/config.json', { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    config = parseWebConfig(await response.json());
  } catch (err) {
    showNotice(
      'error',
      `The app could not load its configuration (/config.json): ${err instanceof Error ? err.message : String(err)}`,
    );
    ui.signIn.disabled = true;
    return;
  }
  wire(config);
}

void start();
