// Opening and closing many WebSocket clients for the load scenarios, at most `parallel` handshakes at a time.
import WebSocket from 'ws';
import { mapLimit } from './stats.ts';

export interface OpenedSockets {
  sockets: WebSocket[];
  /** Handshakes refused or failed. */
  failed: number;
}

export async function openSockets(
  url: string,
  count: number,
  parallel: number,
  timeoutMs: number,
): Promise<OpenedSockets> {
  const sockets: WebSocket[] = [];
  let failed = 0;
  await mapLimit(
    Array.from({ length: count }),
    parallel,
    () =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
        ws.once('open', () => {
          sockets.push(ws);
          resolve();
        });
        ws.once('unexpected-response', (_req, res) => {
          failed += 1;
          res.resume();
          resolve();
        });
        ws.once('error', () => {
          failed += 1;
          resolve();
        });
      }),
  );
  return { sockets, failed };
}

/** Closes every socket with 1000 and waits for each close. */
export function closeSockets(sockets: readonly WebSocket[]): Promise<void> {
  return Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1000);
        }),
    ),
  ).then(() => undefined);
}
