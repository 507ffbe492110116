// The API Gateway management API (@connections) for the default route: one client per endpoint, created on
// first use and reused across invocations, plus the two calls we make with their "gone" outcome made explicit.
import {
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
  type GetConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { errorName, httpStatusOf } from '../../shared/guards.ts';
import { requestContextOf } from './websocket-event.ts';

export interface ManagementLike {
  send(command: PostToConnectionCommand | DeleteConnectionCommand | GetConnectionCommand): Promise<unknown>;
}

export interface ManagementClients {
  /** The client for this event's API and stage. Throws when the event lacks a usable domainName/stage. */
  forEvent(event: unknown): ManagementLike;
}

// A hostname with an optional port; API Gateway stage names are [A-Za-z0-9_-], up to 128.
const DOMAIN_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::\d{1,5})?$/;
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;
// One Lambda normally serves one API and stage; the cap only guards memory if events say otherwise.
export const MAX_CACHED_CLIENTS = 8;

/** `https://{domainName}/{stage}` from the event's requestContext, validated before it becomes a URL. */
export function endpointFromEvent(event: unknown): string {
  const ctx = requestContextOf(event);
  const domainName = ctx?.['domainName'];
  const stage = ctx?.['stage'];
  if (typeof domainName !== 'string' || !DOMAIN_NAME.test(domainName))
    throw new Error('requestContext.domainName is missing or invalid');
  if (typeof stage !== 'string' || !STAGE.test(stage)) throw new Error('requestContext.stage is missing or invalid');
  return `https://${domainName}/${stage}`;
}

/**
 * With an endpoint in the environment, one client built without `endpoint` (the SDK reads the variable; an
 * explicit endpoint would override it). Otherwise one client per event endpoint, built with it.
 */
export function createManagementClients(deps: {
  readonly endpointFromEnv: string | undefined;
  readonly createClient: (endpoint: string | undefined) => ManagementLike;
  readonly maxClients?: number;
}): ManagementClients {
  const maxClients = deps.maxClients ?? MAX_CACHED_CLIENTS;
  let envClient: ManagementLike | undefined;
  const byEndpoint = new Map<string, ManagementLike>();
  return {
    forEvent(event) {
      if (deps.endpointFromEnv !== undefined) {
        envClient ??= deps.createClient(undefined);
        return envClient;
      }
      const endpoint = endpointFromEvent(event);
      let client = byEndpoint.get(endpoint);
      if (client === undefined) {
        if (byEndpoint.size >= maxClients) {
          const oldest = byEndpoint.keys().next().value;
          if (oldest !== undefined) byEndpoint.delete(oldest);
        }
        client = deps.createClient(endpoint);
        byEndpoint.set(endpoint, client);
      }
      return client;
    },
  };
}

/** 410: the connection is closed or never existed. A bare 410 without the error type header surfaces as "Unknown". */
export function isGoneError(err: unknown): boolean {
  return err instanceof GoneException || errorName(err) === 'GoneException' || httpStatusOf(err) === 410;
}

export async function postToConnection(
  client: ManagementLike,
  connectionId: string,
  data: Uint8Array,
): Promise<'sent' | 'gone'> {
  try {
    await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    return 'sent';
  } catch (err) {
    if (isGoneError(err)) return 'gone';
    throw err;
  }
}

export async function deleteConnection(client: ManagementLike, connectionId: string): Promise<'closed' | 'gone'> {
  try {
    await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    return 'closed';
  } catch (err) {
    if (isGoneError(err)) return 'gone';
    throw err;
  }
}
