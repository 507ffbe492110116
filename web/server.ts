// Serves the web app: index.html, the bundle (built in memory by esbuild at start), the stylesheet and
// /config.json, with a strict Content-Security-Policy. GET and HEAD only; anything unknown is 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseWebConfig, type WebConfig } from './src/config.ts';
import { gatewayHttpUrl } from './src/diagnosis.ts';
import { originOf } from './src/urls.ts';
import { listen } from '../local/ports.ts';

export type { WebConfig } from './src/config.ts';

export interface WebServerOptions {
  host?: string;
  port: number;
  config: WebConfig;
}

export interface RunningWebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const webDir = path.dirname(fileURLToPath(import.meta.url));

interface Asset {
  body: Buffer;
  type: string;
  cache: string;
}

/** Bundles web/src/main.ts for browsers; once per server start, nothing written to disk. */
export async function bundleApp(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(webDir, 'src', 'main.ts')],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('web server: esbuild produced no bundle');
  return output.text;
}

/** The page's CSP: scripts and styles only from this server; fetch/WebSocket only to itself, the hosted UI and the API. */
export function contentSecurityPolicy(config: WebConfig): string {
  // The stage's http(s) origin too: after a failed handshake the page checks that the gateway answers HTTP.
  const connect = [
    "'self'",
    originOf(config.hostedUiUrl),
    originOf(config.websocketUrl),
    originOf(gatewayHttpUrl(config.websocketUrl)),
  ];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(config: WebConfig): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(config),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

async function loadAssets(config: WebConfig): Promise<Map<string, Asset>> {
  const [html, css, icon, js] = await Promise.all([
    readFile(path.join(webDir, 'index.html')),
    readFile(path.join(webDir, 'styles.css')),
    readFile(path.join(webDir, 'favicon.svg')),
    bundleApp(),
  ]);
  const index: Asset = { body: html, type: 'text/html; charset=utf-8', cache: 'no-store' };
  return new Map<string, Asset>([
    ['/', index],
    ['/index.html', index],
    ['/app.js', { body: Buffer.from(js, 'utf8'), type: 'text/javascript; charset=utf-8', cache: 'no-cache' }],
    ['/styles.css', { body: css, type: 'text/css; charset=utf-8', cache: 'no-cache' }],
    ['/favicon.svg', { body: icon, type: 'image/svg+xml', cache: 'no-cache' }],
    [
      '/config.json',
      { body: Buffer.from(JSON.stringify(config), 'utf8'), type: 'application/json; charset=utf-8', cache: 'no-store' },
    ],
  ]);
}

function pathnameOf(rawUrl: string | undefined): string | undefined {
  // Origin-form only ("/path?query"); absolute-form, "*" and oddities are not routes here.
  if (rawUrl === undefined || !rawUrl.startsWith('/') || rawUrl.startsWith('//')) return undefined;
  try {
    return new URL(rawUrl, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

function handler(assets: Map<string, Asset>, headers: Record<string, string>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, asset: Asset, extra: Record<string, string> = {}): void => {
      res.writeHead(status, {
        ...headers,
        'Content-Type': asset.type,
        'Content-Length': String(asset.body.length),
        'Cache-Control': asset.cache,
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    };
    const text = (body: string): Asset => ({
      body: Buffer.from(`${body}\n`, 'utf8'),
      type: 'text/plain; charset=utf-8',
      cache: 'no-store',
    });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, text('Method not allowed'), { Allow: 'GET, HEAD' });
      return;
    }
    const pathname = pathnameOf(req.url);
    const asset = pathname === undefined ? undefined : assets.get(pathname);
    if (!asset) {
      send(404, text('Not found'));
      return;
    }
    send(200, asset);
  };
}

async function listenOrExplain(server: Server, port: number, host: string): Promise<void> {
  try {
    await listen(server, port, host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `web server: port ${port} on ${host} is already in use; stop what uses it or set WEB_PORT to another port (0 picks a free one)`
        : code === 'EACCES'
          ? `web server: no permission to listen on ${host}:${port}; use a port above 1023`
          : `web server: cannot listen on ${host}:${port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`web server: port must be an integer from 0 to 65535, got ${String(options.port)}`);
  }
  const config = parseWebConfig(options.config);
  const assets = await loadAssets(config);
  const server = createServer(handler(assets, securityHeaders(config)));
  // Bounded: a client that never finishes its request cannot hold a socket for ever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  await listenOrExplain(server, options.port, host);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
