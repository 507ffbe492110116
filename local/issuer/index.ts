// A local, Cognito-compatible user pool: discovery, JWKS, the hosted UI (authorize, login, sign-up, logout),
// the token, userInfo and revoke endpoints, and Cognito's JSON API (POST / with X-Amz-Target) for GetUser,
// GlobalSignOut, RevokeToken and the admin operations. Runs in-process for tests and for the local stack.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLogger, describeError, type Logger } from '../../functions/shared/log.ts';
import { checkAccessToken } from './access-token-check.ts';
import type { CognitoPool, UserView } from './cognito-api.ts';
import { handleJsonApi, isJsonApiRequest } from './cognito-http.ts';
import { callbackOrigins } from './clients.ts';
import { IssuerState } from './issuer-state.ts';
import { StateDir } from './state-dir.ts';
import { claimsFor } from './user-claims.ts';
import { corsHeaders, preflightHeaders } from './cors.ts';
import { HostedUi, sendPage } from './hosted-ui.ts';
import { BadRequest, readForm, sendJson } from './http.ts';
import { KeyRing } from './keys.ts';
import { resolveOptions, type IssuerOptions } from './options.ts';
import { errorPage } from './pages.ts';
import { HOSTED_UI_CSS } from './styles.ts';
import { handleRevokeRequest, handleTokenRequest } from './token-endpoint.ts';
import { TokenIssuer } from './token-issuer.ts';
import { userInfo } from './userinfo.ts';
import { UserStore, type IssuerUser, type StoredUser } from './users.ts';
import { listen } from '../ports.ts';

export type { IssuerClient } from './clients.ts';
export type { IssuerUser } from './users.ts';
export type { IssuerOptions } from './options.ts';
export { parseUserClaims, DEFAULT_USER_CLAIMS, type UserClaims } from './user-claims.ts';

export interface RunningIssuer {
  url: string; // http://127.0.0.1:<port>, the hosted UI base URL (like https://<prefix>.auth.<region>.amazoncognito.com)
  port: number;
  issuer: string;
  jwksUri: string;
  poolId: string;
  region: string;
  authorizeUrl: string;
  tokenUrl: string;
  userInfoUrl: string;
  logoutUrl: string;
  revokeUrl: string;
  /** Cognito's JSON API endpoint (the SDK's `endpoint`): the same origin as the hosted UI. */
  cognitoEndpoint: string;
  addUser(user: IssuerUser): void;
  rotateKeys(): void;
  dropOldKeys(): void;
  close(): Promise<void>;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

async function listenOrExplain(server: Server, host: string, port: number): Promise<number> {
  try {
    return await listen(server, port, host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? 'the port is already in use (set another port, or 0 for a free one)'
        : code === 'EACCES'
          ? 'permission denied'
          : (err as Error).message;
    throw new Error(`Issuer cannot listen on ${host}:${port}: ${why}`, { cause: err });
  }
}

export async function startIssuer(options: IssuerOptions): Promise<RunningIssuer> {
  const config = resolveOptions(options);
  const log: Logger = createLogger('issuer', config.log);
  const stateDir = config.stateDir !== undefined ? await StateDir.open(config.stateDir) : undefined;
  const state = stateDir
    ? new IssuerState(stateDir, config.poolId, (err) =>
        log('error', 'state_write_failed', { error: describeError(err) }),
      )
    : undefined;
  const saved = state?.load() ?? {};
  const users = new UserStore(config.poolId, config.passwordHashCost, config.now);
  if (saved.users !== undefined) {
    try {
      users.import(saved.users);
    } catch (err) {
      throw new Error(`Issuer state file ${stateDir?.path}/users.json: ${describeError(err)}`, { cause: err });
    }
  }
  for (const user of config.users) {
    try {
      users.seed(user);
    } catch (err) {
      throw new Error(`Issuer option users: ${JSON.stringify(user?.username)}: ${describeError(err)}`, { cause: err });
    }
  }
  let keys: KeyRing;
  try {
    keys = saved.keys !== undefined ? KeyRing.fromExported(saved.keys) : await KeyRing.create();
  } catch (err) {
    throw new Error(`Issuer state file ${stateDir?.path}/keys.json: ${describeError(err)}`, { cause: err });
  }
  const findClient = (clientId: string) => config.clients.get(clientId);
  const origins = callbackOrigins(config.clients.values());

  const server = createServer();
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  const port = await listenOrExplain(server, config.host, config.port);
  const urlHost =
    config.host === '0.0.0.0' || config.host === '::'
      ? '127.0.0.1'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
  const url = `http://${urlHost}:${port}`;
  const issuer = `${url}/${config.poolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;

  const tokens = new TokenIssuer(keys, issuer, config, config.now);
  tokens.import(saved.grants);
  if (state) {
    state.attach({ keys: () => keys.export(), users: () => users.export(), grants: () => tokens.export() });
    tokens.onChange = (urgent) => (urgent ? state.saveNow('grants') : state.saveSoon('grants'));
    users.onChange = () => state.saveNow('users');
    state.saveNow('keys');
    state.saveNow('users');
    state.saveNow('grants');
  }
  const userClaims = (username: string) => claimsFor(config.userClaims, username);
  const accessTokenDeps = {
    keys,
    issuer,
    now: config.now,
    familyStatus: (originJti: string) => tokens.familyStatus(originJti),
    userState: (sub: string) => {
      const user = users.findBySub(sub);
      return user ? (user.enabled ? ('enabled' as const) : ('disabled' as const)) : undefined;
    },
  };
  const view = (user: StoredUser | undefined): UserView | undefined => {
    if (!user) return undefined;
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(userClaims(user.username))) {
      if (name.startsWith('custom:')) attributes[name] = String(value);
    }
    return {
      username: user.username,
      sub: user.sub,
      enabled: user.enabled,
      ...(user.email !== undefined ? { email: user.email } : {}),
      emailVerified: user.emailVerified,
      createdAt: user.createdAt,
      modifiedAt: user.modifiedAt,
      attributes,
    };
  };
  const pool: CognitoPool = {
    poolId: config.poolId,
    checkAccessToken: (token) => checkAccessToken(token, accessTokenDeps),
    findUser: (username) => view(users.find(username)),
    globalSignOut: (sub) => void tokens.revokeUser(sub),
    setEnabled: (username, enabled) => {
      const user = users.setEnabled(username, enabled);
      if (user && !enabled) tokens.revokeUser(user.sub); // as Cognito: disabling revokes the user's tokens
      return user !== undefined;
    },
    deleteUser: (username) => {
      const user = users.delete(username);
      if (user) tokens.revokeUser(user.sub);
      return user !== undefined;
    },
    revokeRefreshToken: (token, clientId) => {
      if (!findClient(clientId)) return 'unknown_client';
      return tokens.revokeRefreshToken(token, clientId) === 'revoked' ? 'revoked' : 'unknown_token';
    },
  };
  const hostedUi = new HostedUi({
    claimsFor: userClaims,
    findClient,
    users,
    tokens,
    log,
    now: config.now,
    sessionTtlSeconds: config.sessionTtlSeconds,
    loginTtlSeconds: config.loginTtlSeconds,
  });

  const scopesSupported = [
    ...new Set([
      'openid',
      'email',
      'phone',
      'profile',
      ...[...config.clients.values()].flatMap((c) => c.allowedScopes),
    ]),
  ];
  const discovery = {
    authorization_endpoint: `${url}/oauth2/authorize`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: jwksUri,
    response_types_supported: ['code'],
    revocation_endpoint: `${url}/oauth2/revoke`,
    scopes_supported: scopesSupported,
    subject_types_supported: ['public'],
    token_endpoint: `${url}/oauth2/token`,
    // Cognito's list; these local clients are public (PKCE, no secret), which Cognito also serves this way.
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${url}/oauth2/userInfo`,
  };

  const wellKnown = `/${config.poolId}/.well-known/`;
  const apiPaths = new Map<string, string[]>([
    ['/oauth2/token', ['POST']],
    ['/oauth2/userInfo', ['GET', 'POST']],
    ['/oauth2/revoke', ['POST']],
    [`${wellKnown}openid-configuration`, ['GET']],
    [`${wellKnown}jwks.json`, ['GET']],
  ]);
  const pagePaths = new Map<string, string[]>([
    ['/oauth2/authorize', ['GET']],
    ['/login', ['GET', 'POST']],
    ['/signup', ['GET', 'POST']],
    ['/logout', ['GET']],
    ['/static/hosted-ui.css', ['GET']],
  ]);

  async function route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const authorization = req.headers.authorization;
    if (isJsonApiRequest(req, path)) {
      return handleJsonApi(req, res, {
        pool,
        log,
        region: config.region,
        ...(config.awsCredentials ? { credentials: config.awsCredentials } : {}),
      });
    }
    const apiMethods = apiPaths.get(path);
    if (apiMethods) {
      const cors = corsHeaders(origin, origins);
      if (method === 'OPTIONS') {
        res.writeHead(204, preflightHeaders(origin, origins, apiMethods));
        res.end();
        return;
      }
      if (!apiMethods.includes(method)) {
        sendJson(res, 405, { error: 'invalid_request' }, { ...cors, Allow: [...apiMethods, 'OPTIONS'].join(', ') });
        return;
      }
      if (path.endsWith('openid-configuration'))
        return sendJson(res, 200, discovery, { ...cors, 'Cache-Control': 'no-cache' });
      if (path.endsWith('jwks.json')) return sendJson(res, 200, keys.jwks(), { ...cors, 'Cache-Control': 'no-cache' });
      if (path === '/oauth2/userInfo') {
        if (method === 'POST') req.resume();
        const outcome = userInfo(authorization, {
          checkAccessToken: (token) => pool.checkAccessToken(token),
          users,
          claimsFor: userClaims,
        });
        log(
          outcome.status === 200 ? 'info' : 'warn',
          outcome.reason === 'userinfo' ? 'userinfo_served' : 'userinfo_rejected',
          { detail: outcome.reason },
        );
        const challenge: Record<string, string> =
          outcome.status === 200 ? {} : { 'WWW-Authenticate': `Bearer error="${outcome.body.error}"` };
        return sendJson(res, outcome.status, outcome.body, { ...cors, ...NO_STORE, ...challenge });
      }
      const form = await readForm(req);
      if (path === '/oauth2/token') {
        const outcome = handleTokenRequest(form, authorization, { findClient, tokens, users, claimsFor: userClaims });
        if (!outcome.ok) {
          log('warn', 'token_rejected', { error: outcome.error, detail: outcome.reason });
          return sendJson(res, 400, { error: outcome.error }, { ...cors, ...NO_STORE });
        }
        log('info', 'tokens_issued', { detail: outcome.reason, clientId: outcome.clientId, sub: outcome.sub });
        return sendJson(res, 200, outcome.body, { ...cors, ...NO_STORE });
      }
      const outcome = handleRevokeRequest(form, authorization, { findClient, tokens, users });
      if (!outcome.ok) {
        log('warn', 'revoke_rejected', { error: outcome.error, detail: outcome.reason });
        return sendJson(res, 400, { error: outcome.error }, { ...cors, ...NO_STORE });
      }
      log('info', 'revoke_handled', { detail: outcome.reason });
      res.writeHead(200, { ...cors, ...NO_STORE, 'Content-Length': 0 });
      res.end();
      return;
    }

    if (path === '/favicon.ico') {
      res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' }); // no icon, and no 404 in the browser console
      res.end();
      return;
    }
    const pageMethods = pagePaths.get(path);
    if (!pageMethods) return sendPage(res, 404, errorPage('There is no page at this address.'));
    if (!pageMethods.includes(method)) {
      return sendPage(res, 405, errorPage(`${method} is not allowed here.`), { Allow: pageMethods.join(', ') });
    }
    if (path === '/static/hosted-ui.css') {
      res.writeHead(200, {
        'Content-Type': 'text/css;charset=UTF-8',
        'Cache-Control': 'public, max-age=300',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(HOSTED_UI_CSS);
      return;
    }
    if (path === '/logout') return hostedUi.logout(req, res, query);
    if (method === 'POST') return path === '/login' ? hostedUi.login(req, res) : hostedUi.signup(req, res);
    return hostedUi.authorize(req, res, query, path === '/signup' ? 'signup' : 'login');
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let parsed: URL;
    try {
      parsed = new URL(req.url ?? '/', 'http://issuer.invalid');
    } catch {
      sendPage(res, 400, errorPage('The request address is malformed.'));
      return;
    }
    const { pathname: path, searchParams: query } = parsed;
    route(req, res, path, query).catch((err: unknown) => {
      const isApi = apiPaths.has(path);
      if (err instanceof BadRequest) {
        log('warn', 'bad_request', { detail: err.reason, path: isApi ? path : undefined });
        if (res.headersSent) return void res.end();
        if (isApi) {
          const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
          return sendJson(
            res,
            400,
            { error: 'invalid_request', error_description: err.message },
            { ...corsHeaders(origin, origins), ...NO_STORE, Connection: 'close' },
          );
        }
        return sendPage(res, 400, errorPage(err.message), { Connection: 'close' });
      }
      // A bug, not bad input: log it briefly, answer 500, keep serving.
      log('error', 'internal_error', { error: describeError(err) });
      if (res.headersSent) return void res.destroy();
      if (isJsonApiRequest(req, path)) {
        const body = JSON.stringify({ __type: 'InternalErrorException', message: 'Internal error.' });
        res.writeHead(500, {
          'Content-Type': 'application/x-amz-json-1.1',
          'x-amzn-ErrorType': 'InternalErrorException',
        });
        return void res.end(body);
      }
      return isApi
        ? sendJson(res, 500, { error: 'server_error' })
        : sendPage(res, 500, errorPage('Something went wrong.'));
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  log('info', 'issuer_started', {
    issuer,
    url,
    clients: config.clients.size,
    stateDir: stateDir?.path,
    adminApi: config.awsCredentials !== undefined,
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    issuer,
    jwksUri,
    poolId: config.poolId,
    region: config.region,
    authorizeUrl: `${url}/oauth2/authorize`,
    tokenUrl: `${url}/oauth2/token`,
    userInfoUrl: `${url}/oauth2/userInfo`,
    logoutUrl: `${url}/logout`,
    revokeUrl: `${url}/oauth2/revoke`,
    cognitoEndpoint: url,
    addUser: (user) => void users.add(user),
    rotateKeys: () => {
      keys.rotate();
      state?.saveNow('keys');
    },
    dropOldKeys: () => {
      keys.dropOld();
      state?.saveNow('keys');
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive clients must not hold a test run open
      }).then(() => state?.flush());
      return closing;
    },
  };
}
