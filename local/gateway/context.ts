// What the handshake, live-connection and routing modules share: the API, the functions, the settings and the
// gateway's mutable state (open connections, work in progress). Built once by the server.
import type { Invoke } from '../lambda-runner/pool.ts';
import type { Logger } from '../../functions/shared/log.ts';
import type { ApiInfo, AuthorizerContext, HandshakeInfo, RequestIds } from './events.ts';
import type { IdentitySource } from './authorizer-outcome.ts';
import type { ManagedConnection } from './management.ts';
import type { WebSocket } from 'ws';
import type { Throttle } from './throttle.ts';

export interface GatewayFunctions {
  authorizer?: Invoke;
  connect?: Invoke;
  disconnect?: Invoke;
  default?: Invoke;
  /** Custom routes: route key (the `action` value) → function. */
  routes?: Record<string, Invoke>;
}

export interface LiveConnection extends ManagedConnection {
  info: HandshakeInfo;
  authorizer?: AuthorizerContext;
  socket: WebSocket;
  /** Set when the gateway closes the socket, so $disconnect reports the gateway's code and reason. */
  serverClose?: { code: number; reason: string };
  timers: NodeJS.Timeout[];
  /** Set when a frame over 32 KB arrived: the message it belongs to is not delivered. */
  oversizeFrame?: boolean;
}

export interface GatewayContext {
  api: ApiInfo;
  stage: string;
  functions: GatewayFunctions;
  routes: ReadonlyMap<string, Invoke>;
  routeKeys: ReadonlySet<string>;
  identitySources: IdentitySource[];
  idleTimeoutMs: number;
  maxDurationMs: number;
  closeGraceMs: number;
  log: Logger;
  now: () => number;
  /** The stage throttle: one token per handshake and per message. */
  throttle: Throttle;
  deliverDisconnect?: (connectionId: string) => boolean;
  connections: Map<string, LiveConnection>;
  /** Registers work that shutdown and idle() wait for. */
  track<T>(promise: Promise<T>): Promise<T>;
  requestIds(): RequestIds;
  closing(): boolean;
  /** The port the gateway listens on (X-Forwarded-Port). */
  port(): number;
}
