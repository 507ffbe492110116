// A small WebSocket client for tests: connection outcomes as values (status codes instead of exceptions),
// received messages queued so a test can await the next one with a bound.
import WebSocket from 'ws';

export interface OpenOptions {
  headers?: Record<string, string>;
  protocols?: string[];
  timeoutMs?: number;
}

export type OpenResult = { ok: true; client: TestClient } | { ok: false; status: number; body: string };

export class TestClient {
  private readonly queue: Array<{ data: string; isBinary: boolean }> = [];
  private waiters: Array<(m: { data: string; isBinary: boolean }) => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const message = { data: isBinary ? data.toString('base64') : data.toString('utf8'), isBinary };
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.queue.push(message);
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') }));
    });
    ws.on('error', () => {});
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  /** The next message, or a rejection naming what was awaited after `timeoutMs`. */
  next(timeoutMs = 5000): Promise<{ data: string; isBinary: boolean }> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (m: { data: string; isBinary: boolean }): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push(waiter);
    });
  }

  async nextJson<T = Record<string, unknown>>(timeoutMs = 5000): Promise<T> {
    return JSON.parse((await this.next(timeoutMs)).data) as T;
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  async close(code = 1000, reason = ''): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
    return this.closed;
  }
}

export function openClient(url: string, options: OpenOptions = {}): Promise<OpenResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], {
      headers: options.headers ?? {},
      handshakeTimeout: options.timeoutMs ?? 10_000,
    });
    ws.once('open', () => resolve({ ok: true, client: new TestClient(ws) }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ ok: false, status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => reject(err));
  });
}

/** Opens a client that must succeed; the failure message names the status. */
export async function mustOpen(url: string, options: OpenOptions = {}): Promise<TestClient> {
  const result = await openClient(url, options);
  if (!result.ok) throw new Error(`handshake rejected with ${result.status}: ${result.body}`);
  return result.client;
}

/** Resolves when `check` returns true, polling; rejects naming `what` after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
