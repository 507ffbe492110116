// A free TCP port on the host, for servers that cannot report the port they picked (moto_server) or whose port
// must be known before they start (the web app, named in the issuer's callback URLs).
import { createServer } from 'node:net';

export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
