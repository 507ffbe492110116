// Authorizer benchmark: warm verification time per call of the BUILT authorizer handler (dist/authorizer,
// loaded in this process, JWKS from a loopback server, LOG_LEVEL=warn so decision lines are not printed),
// side by side with raw crypto.verify of the same token, jsonwebtoken given a PEM string (the naive path) and
// aws-jwt-verify's CognitoJwtVerifier with a pre-hydrated JWKS cache. Then bundle sizes and cold load times.
// Run after the build: `make bench` or `npm run bench`. Tunables: BENCH_ROUNDS, BENCH_ITERATIONS, BENCH_LOAD_RUNS.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign, verify as cryptoVerify } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { CognitoJwtVerifier } from 'aws-jwt-verify';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 15);
const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 2000);
const LOAD_RUNS = Number(process.env['BENCH_LOAD_RUNS'] ?? 7);

const USER_POOL_ID = 'us-east-1_bench0001';
const CLIENT_ID = 'benchclient1';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}`;
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/$connect';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

// --- a Cognito-shaped access token signed by a key generated now ---------------------------------------------
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'bench-key-1';
const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
const jwks = { keys: [jwk] };
const now = Math.floor(Date.now() / 1000);
const claims = {
  sub: '1d7856e9-7bd7-45fe-beb1-77798de950bc',
  'cognito:groups': ['admins'],
  iss: ISSUER,
  version: 2,
  client_id: CLIENT_ID,
  origin_jti: '323decee-01d5-4c0a-b86e-8fa0e44b88a9',
  event_id: '7c659f99-9598-4e9e-aba9-ac0088502953',
  token_use: 'access',
  scope: 'openid profile email',
  auth_time: now - 60,
  exp: now + 3600,
  iat: now - 30,
  jti: '834587a8-763b-4c2d-9641-f65d89613767',
  username: 'jane',
};
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const signingInput = `${b64({ kid, alg: 'RS256' })}.${b64(claims)}`;
const signature = sign('RSA-SHA256', Buffer.from(signingInput), privateKey);
const token = `${signingInput}.${signature.toString('base64url')}`;
const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
const event = {
  type: 'REQUEST',
  methodArn: METHOD_ARN,
  headers: {
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'Sec-WebSocket-Version': '13',
    Authorization: `Bearer ${token}`,
  },
  multiValueHeaders: {
    Host: ['abc123.execute-api.us-east-1.amazonaws.com'],
    'Sec-WebSocket-Version': ['13'],
    Authorization: [`Bearer ${token}`],
  },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  requestContext: { routeKey: '$connect', eventType: 'CONNECT', requestId: 'bench', stage: 'dev', apiId: 'abc123' },
};

// --- JWKS on loopback --------------------------------------------------------------------------------------
let jwksRequests = 0;
const server = http.createServer((_req, res) => {
  jwksRequests += 1;
  const body = JSON.stringify(jwks);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${USER_POOL_ID}/.well-known/jwks.json`;

const authorizerEnv = { USER_POOL_ID, CLIENT_IDS: CLIENT_ID, JWKS_URI: jwksUri, LOG_LEVEL: 'warn' };
const connectionEnv = {
  CONNECTIONS_TABLE: 'bench-connections',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
  AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:1',
};

// --- candidates --------------------------------------------------------------------------------------------
const bundlePath = path.join(dist, 'authorizer', 'index.js');
if (!existsSync(bundlePath)) fail(`${path.relative(root, bundlePath)} is missing: run \`make build\` first`);
Object.assign(process.env, authorizerEnv);
const require = createRequire(import.meta.url);
const { handler } = require(bundlePath) as {
  handler: (e: unknown) => Promise<{ policyDocument: { Statement: { Effect: string }[] } }>;
};

const first = await handler(event);
if (first.policyDocument.Statement[0]?.Effect !== 'Allow') fail('the built handler did not allow the benchmark token');

const publicKeyObject = publicKey;
const sigInput = Buffer.from(signingInput);
const awsVerifier = CognitoJwtVerifier.create({ userPoolId: USER_POOL_ID, tokenUse: 'access', clientId: CLIENT_ID });
awsVerifier.cacheJwks(jwks as Parameters<typeof awsVerifier.cacheJwks>[0]);

// Sanity: every path must accept the token, or the timings mean nothing.
if (!cryptoVerify('RSA-SHA256', sigInput, publicKeyObject, signature)) fail('crypto.verify rejected the token');
jwt.verify(token, pem, { algorithms: ['RS256'], issuer: ISSUER });
awsVerifier.verifySync(token);

interface Candidate {
  readonly name: string;
  readonly iterations: number;
  run(n: number): Promise<void> | void;
}
const candidates: Candidate[] = [
  {
    // The reference: what verifying this token costs with nothing but node:crypto (split, decode the
    // signature, one-shot verify with a KeyObject).
    name: 'raw crypto.verify of the token (split + base64url + verify)',
    iterations: ITERATIONS,
    run(n) {
      for (let i = 0; i < n; i += 1) {
        const dot = token.lastIndexOf('.');
        const ok = cryptoVerify(
          'RSA-SHA256',
          Buffer.from(token.slice(0, dot)),
          publicKeyObject,
          Buffer.from(token.slice(dot + 1), 'base64url'),
        );
        if (!ok) throw new Error('rejected');
      }
    },
  },
  {
    name: 'crypto.verify alone (pre-split buffers: the floor)',
    iterations: ITERATIONS,
    run(n) {
      for (let i = 0; i < n; i += 1)
        if (!cryptoVerify('RSA-SHA256', sigInput, publicKeyObject, signature)) throw new Error('rejected');
    },
  },
  {
    name: 'authorizer handler (dist bundle, full $connect event)',
    iterations: ITERATIONS,
    async run(n) {
      for (let i = 0; i < n; i += 1) await handler(event);
    },
  },
  {
    // The floor of the mandated path: jsonwebtoken alone, with the cached KeyObject, no claim checks.
    name: 'jwt.verify with a cached KeyObject alone',
    iterations: ITERATIONS,
    run(n) {
      for (let i = 0; i < n; i += 1)
        jwt.verify(token, publicKeyObject, { algorithms: ['RS256'], issuer: ISSUER, clockTolerance: 5 });
    },
  },
  {
    name: 'aws-jwt-verify verifySync (cached JWKS)',
    iterations: ITERATIONS,
    run(n) {
      for (let i = 0; i < n; i += 1) awsVerifier.verifySync(token);
    },
  },
  {
    name: 'jwt.verify with a PEM string (naive)',
    iterations: Math.max(50, Math.floor(ITERATIONS / 5)),
    run(n) {
      for (let i = 0; i < n; i += 1) jwt.verify(token, pem, { algorithms: ['RS256'], issuer: ISSUER });
    },
  },
];
const [reference, , handlerCandidate, , awsCandidate] = candidates as [
  Candidate,
  Candidate,
  Candidate,
  Candidate,
  Candidate,
  Candidate,
];

// Warm up every path (JIT, key caches), then interleave rounds so drift in machine load hits all paths alike;
// ratios are taken within each round (same load) and their median reported.
for (const c of candidates) await c.run(Math.min(1000, c.iterations));
const perCall = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
const ratios = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
for (let r = 0; r < ROUNDS; r += 1) {
  const order = r % 2 === 0 ? candidates : [...candidates].reverse();
  const round = new Map<string, number>();
  for (const c of order) {
    const t0 = process.hrtime.bigint();
    await c.run(c.iterations);
    round.set(c.name, Number(process.hrtime.bigint() - t0) / 1000 / c.iterations);
  }
  const ref = round.get(reference.name) ?? NaN;
  for (const c of candidates) {
    const us = round.get(c.name) ?? NaN;
    perCall.get(c.name)?.push(us);
    ratios.get(c.name)?.push(us / ref);
  }
}

const med = (name: string): number => median(perCall.get(name) ?? []);
const ratio = (name: string): number => median(ratios.get(name) ?? []);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `\nVerification, warm (Node ${process.version}, ${cpu}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}; RS256-2048; median of ${ROUNDS} rounds)\n`,
);
console.log(
  '| path | iterations/round | µs/call (median) | min–max of rounds | × raw crypto.verify (median of per-round ratios) |',
);
console.log('|---|---:|---:|---:|---:|');
for (const c of candidates) {
  const xs = perCall.get(c.name) ?? [];
  console.log(
    `| ${c.name} | ${c.iterations} | ${med(c.name).toFixed(1)} | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} | ${ratio(c.name).toFixed(2)} |`,
  );
}
const handlerRatio = ratio(handlerCandidate.name);
const handlerVsAws = median(
  (perCall.get(handlerCandidate.name) ?? []).map((h, i) => h / (perCall.get(awsCandidate.name)?.[i] ?? NaN)),
);
console.log(
  `\ntarget handler ≤ 1.5× raw crypto.verify: ${handlerRatio <= 1.5 ? 'met' : 'MISSED'} (${handlerRatio.toFixed(2)}×)`,
);
console.log(
  `target handler faster than aws-jwt-verify: ${handlerVsAws < 1 ? 'met' : 'MISSED'} (handler/aws-jwt-verify = ${handlerVsAws.toFixed(2)}, per-round median)`,
);
console.log(`JWKS requests during the whole benchmark: ${jwksRequests}`);

// --- bundles: size and cold load time ----------------------------------------------------------------------
const names = readdirSync(dist, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(dist, e.name, 'index.js')))
  .map((e) => e.name)
  .sort();
const loader = `const t=process.hrtime.bigint();try{require(process.argv[1])}catch(e){process.stdout.write('ERR '+String(e&&e.message).slice(0,200));process.exit(0)}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));process.exit(0)`;
console.log(`\nBundles (load = \`require\` in a fresh Node process, median of ${LOAD_RUNS} runs)\n`);
console.log('| function | index.js | zip | load (ms) |');
console.log('|---|---:|---:|---:|');
for (const name of names) {
  const js = statSync(path.join(dist, name, 'index.js')).size;
  const zipPath = path.join(dist, `${name}.zip`);
  const zip = existsSync(zipPath) ? `${(statSync(zipPath).size / 1024).toFixed(1)} KiB` : 'missing';
  const times: number[] = [];
  let error: string | undefined;
  for (let i = 0; i < LOAD_RUNS; i += 1) {
    const out = execFileSync(process.execPath, ['-e', loader, path.join(dist, name, 'index.js')], {
      env: { PATH: process.env['PATH'] ?? '', ...authorizerEnv, ...connectionEnv },
      encoding: 'utf8',
      timeout: 20_000,
    });
    if (out.startsWith('ERR ')) {
      error = out.slice(4);
      break;
    }
    times.push(Number(out));
  }
  const load = error ? `failed: ${error}` : median(times).toFixed(1);
  console.log(`| ${name} | ${(js / 1024).toFixed(1)} KiB | ${zip} | ${load} |`);
}

server.close();
process.exit(0);
