// The forwarding headers API Gateway sets on the handshake before the authorizer and $connect see it
// (README.md, "Fidelity, with sources", has the observations): the peer address is appended as the last X-Forwarded-For
// entry after whatever the client sent, X-Forwarded-Proto and X-Forwarded-Port are the gateway's own, and a
// trace id is added only when the request carries none.
import type { HeaderMaps } from './http-input.ts';

export interface GatewayHop {
  /** The TCP peer: what `requestContext.identity.sourceIp` reports. */
  sourceIp: string;
  /** The gateway's own listening port and scheme. */
  port: number;
  proto: 'http' | 'https';
  /** Called only when the request has no X-Amzn-Trace-Id. */
  traceId: () => string;
}

/** Removes every casing of `name`; returns the casing the client used first, if any. */
function take(maps: HeaderMaps, name: string): { key?: string; values: string[] } {
  const lower = name.toLowerCase();
  let key: string | undefined;
  const values: string[] = [];
  for (const k of Object.keys(maps.multiValueHeaders)) {
    if (k.toLowerCase() !== lower) continue;
    key ??= k;
    values.push(...(maps.multiValueHeaders[k] ?? []));
    delete maps.multiValueHeaders[k];
    delete maps.headers[k];
  }
  return key === undefined ? { values } : { key, values };
}

function set(maps: HeaderMaps, name: string, value: string): void {
  maps.headers[name] = value;
  maps.multiValueHeaders[name] = [value];
}

/** Returns new maps with the gateway's forwarding headers applied. */
export function applyForwardingHeaders(input: HeaderMaps, hop: GatewayHop): HeaderMaps {
  const maps: HeaderMaps = { headers: { ...input.headers }, multiValueHeaders: { ...input.multiValueHeaders } };
  const xff = take(maps, 'X-Forwarded-For');
  const sent = xff.values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  set(maps, xff.key ?? 'X-Forwarded-For', [...sent, hop.sourceIp].join(', '));
  const port = take(maps, 'X-Forwarded-Port');
  set(maps, port.key ?? 'X-Forwarded-Port', String(hop.port));
  const proto = take(maps, 'X-Forwarded-Proto');
  set(maps, proto.key ?? 'X-Forwarded-Proto', hop.proto);
  const hasTrace = Object.keys(maps.headers).some((k) => k.toLowerCase() === 'x-amzn-trace-id');
  if (!hasTrace) set(maps, 'X-Amzn-Trace-Id', hop.traceId());
  return maps;
}
