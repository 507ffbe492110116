import { request } from 'node:http';
import { createServer } from 'node:net';
import { expect } from 'chai';
import { contentSecurityPolicy, startWebServer, type RunningWebServer } from '../../../web/server.ts';
import { WebConfigError } from '../../../web/src/config.ts';

const CONFIG = {
  hostedUiUrl: 'http://127.0.0.1:9229',
  clientId: 'localclient',
  websocketUrl: 'ws://127.0.0.1:3001/local',
  redirectUri: 'http://localhost:3000/',
  logoutUri: 'http://localhost:3000/',
  scopes: ['openid', 'email', 'profile'],
};

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so paths reach the server exactly as written (fetch would normalise them). */
function raw(server: RunningWebServer, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')));
    req.end();
  });
}

describe('web: startWebServer', function () {
  this.timeout(20_000);
  let server: RunningWebServer;

  before(async () => {
    server = await startWebServer({ port: 0, config: CONFIG });
  });

  after(async () => {
    await server?.close();
  });

  it('listens on 127.0.0.1 at a free port and reports its URL', () => {
    expect(server.port).to.be.greaterThan(0);
    expect(server.url).to.equal(`http://127.0.0.1:${server.port}/`);
  });

  it('serves index.html at / (also with the OAuth query) and /index.html', async () => {
    for (const path of ['/', '/?code=abc&state=xyz', '/index.html']) {
      const answer = await raw(server, 'GET', path);
      expect(answer.status, path).to.equal(200);
      expect(answer.headers['content-type'], path).to.equal('text/html; charset=utf-8');
      expect(answer.headers['cache-control'], path).to.equal('no-store');
      expect(answer.body, path).to.contain('<script type="module" src="/app.js"></script>');
    }
  });

  it('the page has no inline script or style and no inline event handlers (the CSP forbids them)', async () => {
    const html = (await raw(server, 'GET', '/')).body;
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).to.deep.equal(['<script type="module" src="/app.js">']);
    expect(html).to.not.match(/<style\b|\sstyle=|\son[a-z]+=/i);
  });

  it('sends a strict CSP and the other security headers on every answer, 404 included', async () => {
    for (const path of ['/', '/app.js', '/styles.css', '/config.json', '/favicon.svg', '/missing']) {
      const { headers } = await raw(server, 'GET', path);
      expect(headers['content-security-policy'], path).to.equal(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' http://127.0.0.1:9229 ws://127.0.0.1:3001 http://127.0.0.1:3001; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(headers['x-content-type-options'], path).to.equal('nosniff');
      expect(headers['referrer-policy'], path).to.equal('no-referrer');
      expect(headers['x-frame-options'], path).to.equal('DENY');
    }
  });

  it('lists each connect-src origin once', () => {
    const csp = contentSecurityPolicy({
      ...CONFIG,
      hostedUiUrl: 'https://auth.example.com',
      websocketUrl: 'wss://auth.example.com/prod',
    });
    expect(csp).to.contain("connect-src 'self' https://auth.example.com wss://auth.example.com;");
  });

  it('serves the bundle, built and minified, with a JavaScript type', async () => {
    const answer = await raw(server, 'GET', '/app.js');
    expect(answer.status).to.equal(200);
    expect(answer.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    expect(answer.body).to.contain('/config.json');
    expect(answer.body.split('\n').length, 'a minified bundle has few lines').to.be.lessThan(5);
    expect(answer.body).to.not.contain('import ');
    expect(answer.body).to.not.contain('sourceMappingURL');
  });

  it('serves the icon as SVG', async () => {
    const icon = await raw(server, 'GET', '/favicon.svg');
    expect(icon.status).to.equal(200);
    expect(icon.headers['content-type']).to.equal('image/svg+xml');
    expect(icon.body).to.match(/^<svg /);
  });

  it('serves the stylesheet and the validated config', async () => {
    const css = await raw(server, 'GET', '/styles.css');
    expect(css.headers['content-type']).to.equal('text/css; charset=utf-8');
    expect(css.body).to.contain(':focus-visible');
    const config = await raw(server, 'GET', '/config.json');
    expect(config.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(config.headers['cache-control']).to.equal('no-store');
    expect(JSON.parse(config.body)).to.deep.equal({ ...CONFIG, hostedUiUrl: 'http://127.0.0.1:9229' });
  });

  it('answers HEAD with the headers and no body', async () => {
    const answer = await raw(server, 'HEAD', '/app.js');
    expect(answer.status).to.equal(200);
    expect(Number(answer.headers['content-length'])).to.be.greaterThan(1000);
    expect(answer.body).to.equal('');
  });

  it('refuses other methods with 405 and Allow: GET, HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const answer = await raw(server, method, '/');
      expect(answer.status, method).to.equal(405);
      expect(answer.headers['allow'], method).to.equal('GET, HEAD');
    }
  });

  it('answers 404 for every other path, including traversal and odd request targets', async () => {
    for (const path of [
      '/nope',
      '/app.js/',
      '/index.htm',
      '/../package.json',
      '/web/server.ts',
      '/src/main.ts',
      '//evil.example/',
      '/%2e%2e/package.json',
      '*',
      'http://evil.example/',
    ]) {
      const answer = await raw(server, 'GET', path);
      expect(answer.status, path).to.equal(404);
      expect(answer.body, path).to.equal('Not found\n');
    }
  });

  it('fails with a clear error when the port is in use', async () => {
    let err: unknown;
    try {
      await startWebServer({ port: server.port, config: CONFIG });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.equal(
      `web server: port ${server.port} on 127.0.0.1 is already in use; stop what uses it or set WEB_PORT to another port (0 picks a free one)`,
    );
  });

  it('refuses a bad config or port before listening', async () => {
    let err: unknown;
    try {
      await startWebServer({ port: 0, config: { ...CONFIG, websocketUrl: 'ws://api.example.com/prod' } });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(WebConfigError);
    err = undefined;
    try {
      await startWebServer({ port: 70000, config: CONFIG });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.contain('port must be an integer');
  });

  it('close() stops listening', async () => {
    const other = await startWebServer({ port: 0, config: CONFIG });
    await other.close();
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(other.port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    expect(free, 'the port is still held after close()').to.equal(true);
  });
});
