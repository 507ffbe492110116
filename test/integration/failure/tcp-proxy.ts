// A loopback TCP proxy a test can take down (connections refused), freeze (connections accepted, nothing
// forwarded either way) and bring back, in front of a real endpoint. Bytes pass through untouched, so SigV4
// signatures (which cover the Host header the client sent) still verify behind it.
import net from 'node:net';

export type ProxyMode = 'up' | 'down' | 'frozen';

export interface TcpProxy {
  readonly url: string;
  /** Where to forward; may be set after the proxy started (the stack's port is known only then). */
  target: { host: string; port: number } | undefined;
  mode(): ProxyMode;
  setMode(mode: ProxyMode): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(): Promise<TcpProxy> {
  let mode: ProxyMode = 'up';
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
  };
  const proxy: TcpProxy = {
    url: '',
    target: undefined,
    mode: () => mode,
    setMode: async (next) => {
      if (next === mode) return;
      if (mode === 'down') await listen();
      // Whatever was in flight belonged to the previous mode: drop it, as a network change would.
      for (const socket of open) socket.destroy();
      if (next === 'down') await new Promise<void>((resolve) => server.close(() => resolve()));
      mode = next;
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      if (mode !== 'down') await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((client) => {
    track(client);
    const target = proxy.target;
    if (mode === 'frozen' || target === undefined) {
      // Accepted, read, never answered: a frozen endpoint.
      client.on('data', () => undefined);
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  let port = 0;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  (proxy as { url: string }).url = `http://127.0.0.1:${port}`;
  return proxy;
}
