// A DynamoDB API on a free loopback port (dynalite, in memory) with the local stack's client and table
// definitions, and a TCP endpoint that accepts connections and never answers (a frozen DynamoDB).
import net from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoClient, startDynamo } from '../../../local/dynamodb.ts';

export const REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = await startDynamo({});
  const client = localDynamoClient(server.endpoint, REGION, TEST_CREDENTIALS);
  return {
    endpoint: server.endpoint,
    client,
    close: () => {
      client.destroy();
      return server.close();
    },
  };
}

/** Accepts TCP connections and reads them, but never writes a byte: every request hangs. */
export async function startFrozenEndpoint(): Promise<{
  endpoint: string;
  connections: number;
  close(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
