// The hosted UI flow: authorize, the login and sign-up forms, the session cookie, logout.
// Security properties, each relied on by tests:
// - nothing redirects until client_id and redirect_uri are validated (authorize-params.ts);
// - a form carries its pending request itself, MAC'd and bound to an HttpOnly SameSite=Lax browser cookie
//   (pending-forms.ts): a cross-site POST (which carries no such cookie) cannot complete a sign-in, each form
//   is single-use, and a flood of anonymous authorize requests stores nothing and evicts no one's form;
// - after 5 wrong passwords for a username, sign-in is locked for a growing period, as Cognito's (lockout.ts);
// - every reflected value is HTML-escaped (pages.ts); pages send a restrictive CSP.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeQuery, redirectWith, validateAuthorize, type AuthorizeRequest } from './authorize-params.ts';
import { randomId } from './base64url.ts';
import type { ResolvedClient } from './clients.ts';
import { ExpiringStore } from './expiring-store.ts';
import { SignInLockout } from './lockout.ts';
import { PendingForms } from './pending-forms.ts';
import type { ClaimValue } from './user-claims.ts';
import { BadRequest, parseCookies, readForm, redirect, serializeCookie, singleParam } from './http.ts';
import { errorPage, loginPage, signupPage } from './pages.ts';
import { TokenIssuer } from './token-issuer.ts';
import { UserInputError, subjectOf, validateNewUser, type StoredUser, type UserStore } from './users.ts';
import type { Logger } from '../../functions/shared/log.ts';

export const SESSION_COOKIE = 'cognito';
export const XSRF_COOKIE = 'XSRF-TOKEN';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

interface Session {
  sub: string;
  authTime: number;
}

export interface HostedUiDeps {
  findClient: (clientId: string) => ResolvedClient | undefined;
  users: UserStore;
  tokens: TokenIssuer;
  log: Logger;
  now: () => number;
  sessionTtlSeconds: number;
  loginTtlSeconds: number;
  claimsFor?: (username: string) => Record<string, ClaimValue>;
}

/** Security headers of every page; form-action also lists the client's callback origins because browsers
 * apply form-action to the redirect that follows a form post. */
export function pageHeaders(formTargets: string[] = []): Record<string, string> {
  const formAction = ["'self'", ...new Set(formTargets)].join(' ');
  return {
    'Content-Type': 'text/html;charset=UTF-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

export function sendPage(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
  formTargets: string[] = [],
): void {
  res.writeHead(status, { ...pageHeaders(formTargets), 'Content-Length': Buffer.byteLength(html), ...headers });
  res.end(html);
}

export class HostedUi {
  private readonly pending: PendingForms;
  private readonly sessions: ExpiringStore<Session>;
  private readonly lockout: SignInLockout;

  constructor(private readonly deps: HostedUiDeps) {
    this.pending = new PendingForms({ ttlMs: deps.loginTtlSeconds * 1000, now: deps.now });
    this.lockout = new SignInLockout({ now: deps.now });
    this.sessions = new ExpiringStore({ ttlMs: deps.sessionTtlSeconds * 1000, maxEntries: 10_000, now: deps.now });
  }

  /** GET /oauth2/authorize, GET /login, GET /signup: validate, then a form, a code redirect, or an error. */
  authorize(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, page: 'login' | 'signup'): void {
    const validation = validateAuthorize(query, this.deps.findClient);
    if (validation.kind === 'page-error') {
      this.deps.log('warn', 'authorize_rejected', { detail: validation.reason });
      sendPage(res, 400, errorPage(validation.message));
      return;
    }
    if (validation.kind === 'redirect-error') {
      this.deps.log('warn', 'authorize_rejected', { detail: validation.reason });
      redirect(
        res,
        redirectWith(validation.redirectUri, {
          error: validation.error,
          error_description: validation.description,
          state: validation.state,
        }),
      );
      return;
    }
    const request = validation.request;
    const session = this.currentSession(req);
    if (page === 'login' && session && request.prompt !== 'login') {
      // Cognito's single sign-on: a live hosted-UI session skips the form.
      this.deps.log('info', 'session_reused', { clientId: request.clientId, sub: session.user.sub });
      this.completeSignIn(res, request, session.user, session.session.authTime);
      return;
    }
    if (request.prompt === 'none') {
      redirect(
        res,
        redirectWith(request.redirectUri, {
          error: 'login_required',
          error_description: 'no hosted UI session',
          state: request.state,
        }),
      );
      return;
    }
    this.showForm(req, res, request, page, 200, {});
  }

  // A form shown again with its errors is a 200, as Cognito's hosted UI: the error is in the page (role=alert),
  // a 401 would need a WWW-Authenticate challenge, and browsers log 4xx documents as console errors.

  /** POST /login */
  async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const taken = await this.takePending(req, res);
    if (!taken) return;
    const { form, pending } = taken;
    const username = singleParam(form, 'username') ?? '';
    const password = singleParam(form, 'password') ?? '';
    const lock = username === '' ? { ok: true as const } : this.lockout.check(username);
    if (!lock.ok) {
      // Checked before the password, as Cognito: attempts during a lock neither count nor reveal anything.
      this.deps.log('warn', 'login_locked', { clientId: pending.request.clientId, retryAfter: lock.retryAfterSeconds });
      this.showForm(req, res, pending.request, 'login', 200, {
        username,
        errors: [
          `Password attempts exceeded. Too many failed sign-in attempts: try again in ${lock.retryAfterSeconds} second${lock.retryAfterSeconds === 1 ? '' : 's'}.`,
        ],
      });
      return;
    }
    if (username === '' || password === '') {
      this.showForm(req, res, pending.request, 'login', 200, {
        username,
        errors: ['Enter your username and password.'],
      });
      return;
    }
    if (username.length > 128 || password.length > 256) {
      this.showForm(req, res, pending.request, 'login', 200, {
        username: '',
        errors: ['Incorrect username or password.'],
      });
      return;
    }
    // Counted as a failure before the hash wait, in the same tick as the check above: concurrent guesses lock the
    // account as sequential ones do (none can pass the check while another's hash runs). A success clears it.
    this.lockout.recordFailure(username);
    const user = await this.deps.users.authenticate(username, password);
    if (!user) {
      this.deps.log('warn', 'login_failed', { clientId: pending.request.clientId });
      // Cognito's wording; it does not say which of the two was wrong.
      this.showForm(req, res, pending.request, 'login', 200, { username, errors: ['Incorrect username or password.'] });
      return;
    }
    this.lockout.recordSuccess(username);
    if (!user.enabled) {
      // Said only after the right password, as Cognito's hosted UI does.
      this.deps.log('warn', 'login_refused', { clientId: pending.request.clientId, detail: 'user_disabled' });
      this.showForm(req, res, pending.request, 'login', 200, { username, errors: ['User is disabled.'] });
      return;
    }
    this.deps.log('info', 'login_succeeded', { clientId: pending.request.clientId, sub: user.sub });
    this.startSession(res, user, pending.request);
  }

  /** POST /signup */
  async signup(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const taken = await this.takePending(req, res);
    if (!taken) return;
    const { form, pending } = taken;
    const username = singleParam(form, 'username') ?? '';
    const email = singleParam(form, 'email') ?? '';
    const password = singleParam(form, 'password') ?? '';
    const problems: UserInputError[] = [];
    if (email === '') problems.push(new UserInputError('email', 'Enter a valid email address.'));
    problems.push(...validateNewUser({ username, email: email === '' ? undefined : email, password }));
    let user: StoredUser | undefined;
    if (problems.length === 0) {
      try {
        user = await this.deps.users.addAsync({ username, email, password });
      } catch (err) {
        if (!(err instanceof UserInputError)) throw err;
        problems.push(err); // e.g. the username was taken meanwhile
      }
    }
    if (!user) {
      this.deps.log('info', 'signup_rejected', { fields: [...new Set(problems.map((p) => p.field))].join(',') });
      const errors = [...new Set(problems.map((p) => p.message))];
      this.showForm(req, res, pending.request, 'signup', 200, { username, email, errors });
      return;
    }
    this.deps.log('info', 'signup_succeeded', { clientId: pending.request.clientId, sub: user.sub });
    this.startSession(res, user, pending.request);
  }

  /** GET /logout: clears the session, then redirects only to a registered logout URL (or back to sign-in). */
  logout(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    let clientId: string | undefined;
    let logoutUri: string | undefined;
    let redirectUri: string | undefined;
    try {
      clientId = singleParam(query, 'client_id');
      logoutUri = singleParam(query, 'logout_uri');
      redirectUri = singleParam(query, 'redirect_uri');
    } catch (err) {
      if (err instanceof BadRequest) return sendPage(res, 400, errorPage(err.message));
      throw err;
    }
    const client = clientId ? this.deps.findClient(clientId) : undefined;
    if (!client) {
      this.deps.log('warn', 'logout_rejected', { detail: clientId ? 'unknown_client' : 'missing_client_id' });
      return sendPage(
        res,
        400,
        errorPage(clientId ? 'The client_id is not an app client of this user pool.' : 'client_id is required.'),
      );
    }
    let target: string;
    if (logoutUri !== undefined) {
      if (!client.logoutUrls.includes(logoutUri)) {
        this.deps.log('warn', 'logout_rejected', { detail: 'unregistered_logout_uri' });
        return sendPage(res, 400, errorPage('logout_uri is not a sign-out URL of this app client.'));
      }
      target = logoutUri;
    } else if (redirectUri !== undefined) {
      // Cognito's other form: sign out, then show the sign-in page for the same app.
      if (!client.callbackUrls.includes(redirectUri)) {
        this.deps.log('warn', 'logout_rejected', { detail: 'unregistered_redirect_uri' });
        return sendPage(res, 400, errorPage('redirect_uri is not a callback URL of this app client.'));
      }
      target = `/oauth2/authorize?${query.toString()}`;
    } else {
      return sendPage(res, 400, errorPage('logout_uri is required.'));
    }
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (id) this.sessions.delete(id);
    this.deps.log('info', 'logged_out', { clientId: client.clientId });
    redirect(res, target, { 'Set-Cookie': serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }) });
  }

  private currentSession(req: IncomingMessage): { session: Session; user: StoredUser } | undefined {
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (!id || !COOKIE_VALUE.test(id)) return undefined;
    const session = this.sessions.get(id);
    const user = session ? this.deps.users.findBySub(session.sub) : undefined;
    return session && user?.enabled ? { session, user } : undefined;
  }

  private showForm(
    req: IncomingMessage,
    res: ServerResponse,
    request: AuthorizeRequest,
    page: 'login' | 'signup',
    status: number,
    fields: { username?: string; email?: string; errors?: string[] },
  ): void {
    const existing = parseCookies(req.headers.cookie).get(XSRF_COOKIE);
    const browserBinding = existing && COOKIE_VALUE.test(existing) ? existing : randomId();
    const requestId = this.pending.issue(request, browserBinding);
    const query = authorizeQuery(request);
    const html =
      page === 'login'
        ? loginPage({ requestId, signupHref: `/signup?${query}`, ...fields })
        : signupPage({ requestId, loginHref: `/login?${query}`, ...fields });
    const client = this.deps.findClient(request.clientId);
    const origins = client ? client.callbackUrls.map((url) => new URL(url).origin) : [];
    sendPage(
      res,
      status,
      html,
      { 'Set-Cookie': serializeCookie(XSRF_COOKIE, browserBinding, { maxAgeSeconds: this.deps.loginTtlSeconds }) },
      origins,
    );
  }

  /** Reads a form post and consumes its pending request; answers the error itself and returns undefined. */
  private async takePending(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ form: URLSearchParams; pending: { request: AuthorizeRequest } } | undefined> {
    const form = await readForm(req);
    const requestId = singleParam(form, 'request_id');
    const cookie = parseCookies(req.headers.cookie).get(XSRF_COOKIE) ?? '';
    const taken = requestId ? this.pending.take(requestId, cookie) : ({ ok: false, reason: 'missing' } as const);
    if (!taken.ok) {
      this.deps.log('warn', 'form_rejected', { detail: taken.reason });
      if (taken.reason === 'binding_mismatch') {
        sendPage(
          res,
          403,
          errorPage('This form was not opened in this browser. Go back to the app and sign in again.'),
        );
      } else {
        sendPage(
          res,
          400,
          errorPage('This sign-in page has expired or was already used. Go back to the app and sign in again.'),
        );
      }
      return undefined;
    }
    return { form, pending: { request: taken.request } };
  }

  /** A new hosted-UI session (cookie) for a user who just proved who they are, then the code redirect. */
  private startSession(res: ServerResponse, user: StoredUser, request: AuthorizeRequest): void {
    const id = randomId();
    const authTime = Math.floor(this.deps.now() / 1000);
    this.sessions.set(id, { sub: user.sub, authTime });
    const cookie = serializeCookie(SESSION_COOKIE, id, { maxAgeSeconds: this.deps.sessionTtlSeconds });
    this.completeSignIn(res, request, user, authTime, { 'Set-Cookie': cookie });
  }

  private completeSignIn(
    res: ServerResponse,
    request: AuthorizeRequest,
    user: StoredUser,
    authTime: number,
    headers: Record<string, string> = {},
  ): void {
    const auth = TokenIssuer.authentication({
      subject: subjectOf(user, this.deps.claimsFor?.(user.username) ?? {}),
      clientId: request.clientId,
      scopes: request.scopes,
      authTime,
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
    });
    const code = this.deps.tokens.issueCode({
      auth,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
    });
    redirect(res, redirectWith(request.redirectUri, { code, state: request.state }), headers);
  }
}
