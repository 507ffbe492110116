// The hosted UI pages. Plain server-rendered HTML with no script at all; every reflected value goes through
// escapeHtml. Selectors are a contract with the web app's browser tests (see the README section):
// form#login-form, form#signup-form, input[name=username|email|password], button[type=submit], #error-message.
import { escapeHtml } from './html.ts';

export interface PageOptions {
  title: string;
  body: string;
}

export function renderPage({ title, body }: PageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/static/hosted-ui.css">
</head>
<body>
<main>
<p class="brand">Local user pool</p>
${body}
</main>
</body>
</html>
`;
}

function errorBlock(messages: string[]): string {
  if (messages.length === 0) return '';
  const content =
    messages.length === 1
      ? escapeHtml(messages[0] ?? '')
      : `<ul>${messages.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>`;
  return `<div class="error" id="error-message" role="alert">${content}</div>\n`;
}

export interface LoginPageOptions {
  requestId: string;
  signupHref: string;
  username?: string;
  errors?: string[];
}

export function loginPage(options: LoginPageOptions): string {
  return renderPage({
    title: 'Sign in',
    body: `<h1>Sign in</h1>
${errorBlock(options.errors ?? [])}<form id="login-form" method="post" action="/login" novalidate>
<input type="hidden" name="request_id" value="${escapeHtml(options.requestId)}">
<label for="username">Username
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(options.username ?? '')}">
</label>
<label for="password">Password
<input id="password" name="password" type="password" autocomplete="current-password" required>
</label>
<button id="signin-button" type="submit">Sign in</button>
</form>
<p class="alt">Need an account? <a id="signup-link" href="${escapeHtml(options.signupHref)}">Sign up</a></p>`,
  });
}

export interface SignupPageOptions {
  requestId: string;
  loginHref: string;
  username?: string;
  email?: string;
  errors?: string[];
}

export function signupPage(options: SignupPageOptions): string {
  return renderPage({
    title: 'Sign up',
    body: `<h1>Sign up</h1>
${errorBlock(options.errors ?? [])}<form id="signup-form" method="post" action="/signup" novalidate>
<input type="hidden" name="request_id" value="${escapeHtml(options.requestId)}">
<label for="username">Username
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(options.username ?? '')}">
</label>
<label for="email">Email
<input id="email" name="email" type="email" autocomplete="email" required value="${escapeHtml(options.email ?? '')}">
</label>
<label for="password">Password
<input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint">
<span class="hint" id="password-hint">At least 8 characters, with upper- and lower-case letters, a number and a symbol.</span>
</label>
<button id="signup-button" type="submit">Sign up</button>
</form>
<p class="alt">Already have an account? <a id="signin-link" href="${escapeHtml(options.loginHref)}">Sign in</a></p>`,
  });
}

export function errorPage(message: string): string {
  return renderPage({
    title: 'Error',
    body: `<h1>An error was encountered with the requested page.</h1>\n${errorBlock([message])}`,
  });
}
