// Authorizer benchmark. The parent process serves the JWKS and a local DynamoDB (dynalite, with the revocations
// table), then runs the measurements in a worker process whose stdout is a pipe the parent reads, as Lambda's
// stdout is: the per-decision log line then costs what it costs there. Side by side, per call of the BUILT
// authorizer (dist/authorizer, loaded in the worker):
// - the default configuration (logging on: one decision line per call, written to the pipe);
// - logging off (the same handler with stdout's write replaced by a no-op: everything but the system call);
// - raw crypto.verify of the same token, jsonwebtoken with a cached KeyObject, aws-jwt-verify, a PEM string;
// - revocation on (REVOCATIONS_TABLE, one GetItem per call against dynalite) against off.
// Then bundle sizes and cold load times. Run after the build: `make bench`. Tunables: BENCH_ROUNDS,
// BENCH_ITERATIONS, BENCH_REVOCATION_ITERATIONS, BENCH_LOAD_RUNS.
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, sign, verify as cryptoVerify, createPublicKey } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import jwt from 'jsonwebtoken';
import { CognitoJwtVerifier } from 'aws-jwt-verify';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');
const dist = path.join(root, 'dist');
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 15);
const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 2000);
const REVOCATION_ITERATIONS = Number(process.env['BENCH_REVOCATION_ITERATIONS'] ?? 200);
const LOAD_RUNS = Number(process.env['BENCH_LOAD_RUNS'] ?? 7);

const USER_POOL_ID = 'us-east-1_bench0001';
const CLIENT_ID = 'benchclient1';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}`;
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/$connect';
const REVOCATIONS_TABLE = 'bench-revocations';
const REGION = 'us-east-1';
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

/** What the parent hands the worker. */
interface WorkerInput {
  readonly token: string;
  readonly publicKeyPem: string;
  readonly jwks: unknown;
  readonly jwksUri: string;
  readonly dynamoEndpoint: string;
}

/** Per-round µs/call of each candidate, and the names in display order. */
interface WorkerOutput {
  readonly names: string[];
  readonly iterations: Record<string, number>;
  readonly rounds: Record<string, number>[];
  /** The same rounds in CPU time of the worker (user + system): what descheduling on a loaded machine cannot inflate. */
  readonly cpuRounds: Record<string, number>[];
  readonly reference: string;
  readonly checks: Record<string, string>;
}

const CANDIDATE = {
  raw: 'raw crypto.verify of the token (split + base64url + verify)',
  floor: 'crypto.verify alone (pre-split buffers: the floor)',
  logOn: 'authorizer handler, logging on (default; line to a pipe another process reads)',
  logOff: 'authorizer handler, logging off (write replaced by a no-op)',
  jwtKey: 'jwt.verify with a cached KeyObject alone',
  aws: 'aws-jwt-verify verifySync (cached JWKS)',
  pem: 'jwt.verify with a PEM string (naive)',
  revOff: 'authorizer handler, revocation off (logging on)',
  revOn: 'authorizer handler, revocation on (GetItem per call, dynalite on loopback)',
} as const;

// ------------------------------------------------------------------------------------------------------------
// Worker: loads the bundle (twice: without and with REVOCATIONS_TABLE) and measures.
// ------------------------------------------------------------------------------------------------------------
async function worker(input: WorkerInput): Promise<WorkerOutput> {
  const { token } = input;
  type Handler = (e: unknown, c?: unknown) => Promise<{ policyDocument: { Statement: { Effect: string }[] } }>;
  const require = createRequire(import.meta.url);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  // Each configuration gets its own copy of the bundle, so module-scope state (config, caches) is separate.
  const load = (name: string, env: Record<string, string>): Handler => {
    const copy = path.join(scratch, `${name}.cjs`);
    copyFileSync(path.join(dist, 'authorizer', 'index.js'), copy);
    for (const key of ['REVOCATIONS_TABLE', 'AWS_ENDPOINT_URL_DYNAMODB', 'LOG_LEVEL']) delete process.env[key];
    Object.assign(process.env, env);
    return (require(copy) as { handler: Handler }).handler;
  };
  const base = { USER_POOL_ID, CLIENT_IDS: CLIENT_ID, JWKS_URI: input.jwksUri, AWS_REGION: REGION, ...CREDENTIALS };
  const plain = load('plain', base);
  const revoking = load('revoking', {
    ...base,
    REVOCATIONS_TABLE,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamoEndpoint,
  });
  rmSync(scratch, { recursive: true, force: true });

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
    requestContext: {
      routeKey: '$connect',
      eventType: 'CONNECT',
      requestId: 'bench-api',
      stage: 'dev',
      apiId: 'abc123',
    },
  };
  const context = { awsRequestId: '8f5e1c2a-0d6b-4a57-9c1e-3b2d4f6a7e90' };

  const checks: Record<string, string> = {};
  for (const [name, h] of [
    ['plain', plain],
    ['revoking', revoking],
  ] as const) {
    const first = await h(event, context);
    const effect = first.policyDocument.Statement[0]?.Effect ?? 'none';
    if (effect !== 'Allow') fail(`the ${name} handler did not allow the benchmark token (${effect})`);
    checks[name] = effect;
  }

  const publicKey = createPublicKey(input.publicKeyPem);
  const dot = token.lastIndexOf('.');
  const sigInput = Buffer.from(token.slice(0, dot));
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const awsVerifier = CognitoJwtVerifier.create({ userPoolId: USER_POOL_ID, tokenUse: 'access', clientId: CLIENT_ID });
  awsVerifier.cacheJwks(input.jwks as Parameters<typeof awsVerifier.cacheJwks>[0]);
  if (!cryptoVerify('RSA-SHA256', sigInput, publicKey, signature)) fail('crypto.verify rejected the token');
  jwt.verify(token, input.publicKeyPem, { algorithms: ['RS256'], issuer: ISSUER });
  awsVerifier.verifySync(token);

  const realWrite = process.stdout.write.bind(process.stdout);
  const silent = (() => true) as typeof process.stdout.write;

  interface Candidate {
    readonly name: string;
    readonly iterations: number;
    run(n: number): Promise<void> | void;
  }
  const candidates: Candidate[] = [
    {
      name: CANDIDATE.raw,
      iterations: ITERATIONS,
      run(n) {
        for (let i = 0; i < n; i += 1) {
          const d = token.lastIndexOf('.');
          const ok = cryptoVerify(
            'RSA-SHA256',
            Buffer.from(token.slice(0, d)),
            publicKey,
            Buffer.from(token.slice(d + 1), 'base64url'),
          );
          if (!ok) throw new Error('rejected');
        }
      },
    },
    {
      name: CANDIDATE.floor,
      iterations: ITERATIONS,
      run(n) {
        for (let i = 0; i < n; i += 1)
          if (!cryptoVerify('RSA-SHA256', sigInput, publicKey, signature)) throw new Error('rejected');
      },
    },
    {
      name: CANDIDATE.logOn,
      iterations: ITERATIONS,
      async run(n) {
        for (let i = 0; i < n; i += 1) await plain(event, context);
      },
    },
    {
      name: CANDIDATE.logOff,
      iterations: ITERATIONS,
      async run(n) {
        process.stdout.write = silent;
        try {
          for (let i = 0; i < n; i += 1) await plain(event, context);
        } finally {
          process.stdout.write = realWrite;
        }
      },
    },
    {
      name: CANDIDATE.jwtKey,
      iterations: ITERATIONS,
      run(n) {
        for (let i = 0; i < n; i += 1)
          jwt.verify(token, publicKey, { algorithms: ['RS256'], issuer: ISSUER, clockTolerance: 5 });
      },
    },
    {
      name: CANDIDATE.aws,
      iterations: ITERATIONS,
      run(n) {
        for (let i = 0; i < n; i += 1) awsVerifier.verifySync(token);
      },
    },
    {
      name: CANDIDATE.pem,
      iterations: Math.max(50, Math.floor(ITERATIONS / 5)),
      run(n) {
        for (let i = 0; i < n; i += 1) jwt.verify(token, input.publicKeyPem, { algorithms: ['RS256'], issuer: ISSUER });
      },
    },
    {
      name: CANDIDATE.revOff,
      iterations: REVOCATION_ITERATIONS,
      async run(n) {
        for (let i = 0; i < n; i += 1) await plain(event, context);
      },
    },
    {
      name: CANDIDATE.revOn,
      iterations: REVOCATION_ITERATIONS,
      async run(n) {
        for (let i = 0; i < n; i += 1) {
          const result = await revoking(event, context);
          if (result.policyDocument.Statement[0]?.Effect !== 'Allow') throw new Error('revocation run refused');
        }
      },
    },
  ];

  // Warm up every path (JIT, key caches, the DynamoDB connection), then interleave rounds so drift in machine
  // load hits all paths alike; ratios are taken within each round (same load).
  for (const c of candidates) await c.run(Math.min(500, c.iterations));
  const rounds: Record<string, number>[] = [];
  const cpuRounds: Record<string, number>[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const order = r % 2 === 0 ? candidates : [...candidates].reverse();
    const round: Record<string, number> = {};
    const cpuRound: Record<string, number> = {};
    for (const c of order) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await c.run(c.iterations);
      round[c.name] = Number(process.hrtime.bigint() - t0) / 1000 / c.iterations;
      const used = process.cpuUsage(c0);
      cpuRound[c.name] = (used.user + used.system) / c.iterations;
    }
    rounds.push(round);
    cpuRounds.push(cpuRound);
  }
  return {
    names: candidates.map((c) => c.name),
    iterations: Object.fromEntries(candidates.map((c) => [c.name, c.iterations])),
    rounds,
    cpuRounds,
    reference: CANDIDATE.raw,
    checks,
  };
}

// ------------------------------------------------------------------------------------------------------------
// Parent: fixtures, the worker, the report.
// ------------------------------------------------------------------------------------------------------------
async function startDynalite(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const require = createRequire(import.meta.url);
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => http.Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  });
  await client.send(
    new CreateTableCommand({
      TableName: REVOCATIONS_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'sub', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'sub', KeyType: 'HASH' }],
    }),
  );
  // Another user's record, so the table is not empty; the benchmark user is not revoked.
  await client.send(
    new PutItemCommand({ TableName: REVOCATIONS_TABLE, Item: { sub: { S: 'someone-else' }, revokedAt: { N: '1' } } }),
  );
  client.destroy();
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function runWorker(input: WorkerInput): Promise<{ output: WorkerOutput; lines: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, here, '--worker'], {
      env: { ...process.env, BENCH_INPUT: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let lines = 0;
    let bytes = 0;
    let output: WorkerOutput | undefined;
    // The reader at the other end of the pipe: it consumes every line, as Lambda's log collector does.
    child.stdout?.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // Native search: the reader must cost little, like Lambda's collector, which runs outside the function.
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
    });
    child.on('message', (message) => (output = message as WorkerOutput));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && output) resolve({ output, lines, bytes });
      else reject(new Error(`the benchmark worker exited with ${code}`));
    });
  });
}

async function parent(): Promise<void> {
  const bundlePath = path.join(dist, 'authorizer', 'index.js');
  if (!existsSync(bundlePath)) fail(`${path.relative(root, bundlePath)} is missing: run \`make build\` first`);

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'bench-key-1';
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
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
  const token = `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), privateKey).toString('base64url')}`;

  let jwksRequests = 0;
  const server = http.createServer((_req, res) => {
    jwksRequests += 1;
    const body = JSON.stringify(jwks);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${USER_POOL_ID}/.well-known/jwks.json`;
  const dynamo = await startDynalite();

  const { output, lines, bytes } = await runWorker({
    token,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwks,
    jwksUri,
    dynamoEndpoint: dynamo.endpoint,
  });

  const per = (name: string): number[] => output.rounds.map((r) => r[name] ?? NaN);
  const ratioTo = (name: string, ref: string): number =>
    median(output.rounds.map((r) => (r[name] ?? NaN) / (r[ref] ?? NaN)));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nVerification, warm (Node ${process.version}, ${cpu}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}; RS256-2048; median of ${ROUNDS} rounds)\n`,
  );
  console.log(
    '| path | iterations/round | µs/call (median) | min–max of rounds | × raw crypto.verify (median of per-round ratios) |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const name of output.names) {
    const xs = per(name);
    console.log(
      `| ${name} | ${output.iterations[name]} | ${median(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} | ${ratioTo(name, output.reference).toFixed(2)} |`,
    );
  }
  // CPU time: a loaded machine deschedules the worker at random, which wall time counts and CPU time does not.
  const cpuRatio = (name: string): number =>
    median(output.cpuRounds.map((r) => (r[name] ?? NaN) / (r[output.reference] ?? NaN)));
  console.log(
    '\nThe same rounds in CPU time of the worker process (user + system, µs/call; × raw by per-round ratio)\n',
  );
  console.log('| path | CPU µs/call (median) | × raw crypto.verify |');
  console.log('|---|---:|---:|');
  for (const name of output.names) {
    console.log(
      `| ${name} | ${median(output.cpuRounds.map((r) => r[name] ?? NaN)).toFixed(1)} | ${cpuRatio(name).toFixed(2)} |`,
    );
  }
  const on = ratioTo(CANDIDATE.logOn, CANDIDATE.raw);
  const off = ratioTo(CANDIDATE.logOff, CANDIDATE.raw);
  const vsAws = ratioTo(CANDIDATE.logOn, CANDIDATE.aws);
  const revocationCost = median(output.rounds.map((r) => (r[CANDIDATE.revOn] ?? NaN) - (r[CANDIDATE.revOff] ?? NaN)));
  console.log(`\ntarget logging on ≤ 2.0× raw crypto.verify: ${on <= 2.0 ? 'met' : 'MISSED'} (${on.toFixed(2)}×)`);
  console.log(`target logging off ≤ 1.54× raw crypto.verify: ${off <= 1.54 ? 'met' : 'MISSED'} (${off.toFixed(2)}×)`);
  console.log(
    `in CPU time: logging on ${cpuRatio(CANDIDATE.logOn).toFixed(2)}×, logging off ${cpuRatio(CANDIDATE.logOff).toFixed(2)}× raw crypto.verify`,
  );
  console.log(`handler (logging on) / aws-jwt-verify: ${vsAws.toFixed(2)} (per-round median)`);
  console.log(
    `revocation read: +${revocationCost.toFixed(0)} µs per handshake against dynalite on loopback (${ratioTo(CANDIDATE.revOn, CANDIDATE.revOff).toFixed(1)}× the handler without it; DynamoDB in the region adds its own round trip instead)`,
  );
  console.log(
    `decision lines read from the worker's stdout pipe: ${lines} (${(bytes / Math.max(1, lines)).toFixed(0)} bytes each)`,
  );
  console.log(`JWKS requests during the whole benchmark: ${jwksRequests}`);

  // --- bundles: size and cold load time --------------------------------------------------------------------
  const authorizerEnv = { USER_POOL_ID, CLIENT_IDS: CLIENT_ID, JWKS_URI: jwksUri };
  const connectionEnv = {
    CONNECTIONS_TABLE: 'bench-connections',
    AWS_REGION: REGION,
    ...CREDENTIALS,
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
    AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:1',
  };
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
      times.push(Number(out.split('\n').pop()));
    }
    const load = error ? `failed: ${error}` : median(times).toFixed(1);
    console.log(`| ${name} | ${(js / 1024).toFixed(1)} KiB | ${zip} | ${load} |`);
  }

  server.close();
  await dynamo.close();
}

if (process.argv.includes('--worker')) {
  const input = JSON.parse(process.env['BENCH_INPUT'] ?? 'null') as WorkerInput | null;
  if (!input) fail('the worker needs BENCH_INPUT');
  const output = await worker(input);
  process.send?.(output, () => process.exit(0));
} else {
  await parent();
  process.exit(0);
}
