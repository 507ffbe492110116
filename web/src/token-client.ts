// Calls to the hosted UI's token endpoint with an injected fetch, bounded in time, with the response validated.
import type { FormRequest } from './urls.ts';
import type { TokenSet } from '../../shared/token-set.ts';

/** The app always asks for the openid scope, so it requires the ID token. */
export type Tokens = TokenSet & { idToken: string };

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

export class TokenError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TokenError';
  }
}

const MAX_TOKEN = 16 * 1024;
const MAX_BODY = 64 * 1024;

function tokenField(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > MAX_TOKEN)
    throw new TokenError(`The token response has no valid ${name}.`, 'bad_response');
  return value;
}

export function parseTokenResponse(text: string, expectRefresh: boolean): Tokens {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new TokenError('The token endpoint did not answer with JSON.', 'bad_response', { cause: err });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new TokenError('The token response is not a JSON object.', 'bad_response');
  const record = body as Record<string, unknown>;
  const type = record['token_type'];
  if (typeof type !== 'string' || type.toLowerCase() !== 'bearer')
    throw new TokenError('The token response is not a Bearer token.', 'bad_response');
  const expiresIn = record['expires_in'];
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)
    throw new TokenError('The token response has no valid expires_in.', 'bad_response');
  const tokens: Tokens = {
    accessToken: tokenField(record, 'access_token', true) as string,
    idToken: tokenField(record, 'id_token', true) as string,
    expiresIn,
    tokenType: type,
  };
  const refresh = tokenField(record, 'refresh_token', expectRefresh);
  if (refresh !== undefined) tokens.refreshToken = refresh;
  return tokens;
}

/** An OAuth error body's `error` code, when there is one, for a message that says what went wrong. */
function oauthError(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['error'] : undefined;
    return typeof error === 'string' && /^[\w.-]{1,64}$/.test(error) ? error : undefined;
  } catch {
    return undefined;
  }
}

export interface PostOptions {
  fetch: FetchLike;
  timeoutMs?: number;
}

export async function postForm(
  request: FormRequest,
  options: PostOptions,
): Promise<{ status: number; ok: boolean; text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
  try {
    const response = await options.fetch(request.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: request.body.toString(),
      signal: controller.signal,
    });
    const text = await response.text();
    if (text.length > MAX_BODY)
      throw new TokenError('The token endpoint answered with an oversized body.', 'bad_response');
    return { status: response.status, ok: response.ok, text };
  } catch (err) {
    if (err instanceof TokenError) throw err;
    const aborted = controller.signal.aborted;
    throw new TokenError(
      aborted ? 'The token endpoint did not answer in time.' : 'The token endpoint could not be reached.',
      aborted ? 'timeout' : 'network',
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** POSTs a grant to /oauth2/token; `expectRefresh` for the code exchange, which must return a refresh token. */
export async function requestTokens(
  request: FormRequest,
  expectRefresh: boolean,
  options: PostOptions,
): Promise<Tokens> {
  const response = await postForm(request, options);
  if (!response.ok) {
    const error = oauthError(response.text);
    throw new TokenError(
      `The token endpoint refused the request (${response.status}${error ? ` ${error}` : ''}).`,
      error ?? `http_${response.status}`,
    );
  }
  return parseTokenResponse(response.text, expectRefresh);
}
