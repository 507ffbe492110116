// How a token travels on the handshake: query parameter (default), header, or the `bearer, <token>` subprotocol.
import type { Target } from './target.ts';

export function connectionRequest(
  target: Target,
  token: string,
  mode: 'query' | 'header' | 'protocol',
): {
  url: string;
  headers: Record<string, string>;
  protocols: string[];
} {
  if (mode === 'header')
    return { url: target.websocketUrl, headers: { [target.tokenHeader]: `Bearer ${token}` }, protocols: [] };
  if (mode === 'protocol') return { url: target.websocketUrl, headers: {}, protocols: ['bearer', token] };
  const url = new URL(target.websocketUrl);
  url.searchParams.set(target.tokenQueryParam, token);
  return { url: url.toString(), headers: {}, protocols: [] };
}
