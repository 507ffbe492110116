// Direct tests of the stack's configuration parsing, log forwarding and the CLI helpers.
import { expect } from 'chai';
import { stackOptionsFromEnv } from '../../../local/config.ts';
import { createStackLog } from '../../../local/stack-log.ts';
import { ArgsError, exclusive, parseArgs, positiveInt } from '../../../scripts/cli/args.ts';
import { parseLocalConfig, parseTerraformOutputs, TargetError } from '../../../scripts/cli/target.ts';
import { connectionRequest } from '../../../scripts/cli/connection-request.ts';
import { mapLimit, percentile } from '../../../scripts/cli/stats.ts';
import { callbackListenAddress } from '../../../scripts/cli/browser-sign-in.ts';

describe('local stack configuration from the environment', () => {
  it('uses the documented defaults', () => {
    const o = stackOptionsFromEnv({});
    expect(o.ports).to.deep.equal({ web: 3000, gateway: 3001, lambda: 3002, issuer: 9229, dynamodb: 8000 });
    expect(o.env).to.deep.equal({});
    expect(o).to.include({
      stage: 'dev',
      tableName: 'connections-local',
      idleTimeoutMs: 600_000,
      maxConnectionDurationMs: 7_200_000,
      build: true,
    });
    expect(o.demoUser).to.deep.equal({ username: 'demo', password: 'Demo-passw0rd!' });
  });
  it('reads ports (0 allowed), lifetimes, policies and the demo user', () => {
    const o = stackOptionsFromEnv({
      GATEWAY_PORT: '0',
      WEB_PORT: '8080',
      ACCESS_TOKEN_TTL_SECONDS: '2',
      REQUIRED_SCOPES: 'a b',
      ALLOWED_GROUPS: 'admins',
      TOKEN_SOURCES: 'query',
      DEMO_USERNAME: 'me',
      DEMO_PASSWORD: 'P4ss-word!',
      IDLE_TIMEOUT_SECONDS: '5',
      MAX_CONNECTION_SECONDS: '60',
      STAGE: 'prod',
    });
    expect(o.ports).to.include({ gateway: 0, web: 8080 });
    expect(o).to.include({
      accessTokenTtlSeconds: 2,
      idleTimeoutMs: 5000,
      maxConnectionDurationMs: 60_000,
      stage: 'prod',
    });
    expect(o.env).to.deep.equal({
      REQUIRED_SCOPES: 'a b',
      ALLOWED_GROUPS: 'admins',
      TOKEN_SOURCES: 'query',
    });
    expect(o.demoUser).to.deep.equal({ username: 'me', password: 'P4ss-word!' });
  });
  it('names the variable of every bad value', () => {
    const bad: Record<string, string> = {
      GATEWAY_PORT: '70000',
      WEB_PORT: 'x',
      ISSUER_PORT: '-1',
      DYNAMODB_PORT: '1.5',
      STAGE: 'a b',
      CONNECTIONS_TABLE: 'x',
      ACCESS_TOKEN_TTL_SECONDS: '0',
      IDLE_TIMEOUT_SECONDS: 'soon',
      LOG_LEVEL: 'loud',
      LOCAL_BUILD: 'sometimes',
      LAMBDA_PORT: '65536',
      MAX_CONNECTIONS_PER_USER: 'many',
      THROTTLING_RATE_LIMIT: 'fast',
      COGNITO_REVOCATION_CHECK: 'maybe',
    };
    for (const [name, value] of Object.entries(bad)) {
      expect(() => stackOptionsFromEnv({ [name]: value }), name).to.throw(new RegExp(name));
    }
  });
});

describe('stack log', () => {
  it('filters by level and tags forwarded JSON lines with their component', () => {
    const lines: string[] = [];
    const log = createStackLog('warn', (l) => lines.push(l));
    log.emit('info', 'gateway', 'connected', {});
    log.emit('warn', 'gateway', 'slow', { ms: 5 });
    log.forward('default', '{"level":"info","reason":"echoed"}');
    log.forward('default', '{"level":"error","reason":"store_failed"}');
    log.forward('default', 'plain text');
    expect(
      lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((r) => [r.component, r.reason]),
    ).to.deep.equal([
      ['gateway', 'slow'],
      ['default', 'store_failed'],
    ]);
  });
  it('wraps non-JSON output in a JSON line', () => {
    const lines: string[] = [];
    createStackLog('info', (l) => lines.push(l)).forward('connect', 'hello "world"');
    expect(JSON.parse(lines[0] as string)).to.include({
      component: 'connect',
      reason: 'output',
      text: 'hello "world"',
    });
  });
});

describe('CLI helpers', () => {
  it('parses known flags, refuses unknown ones, missing values and conflicting choices', () => {
    const spec = { booleans: ['id', 'json'], values: ['config'] };
    const parsed = parseArgs(['--id', '--config=a.json'], spec);
    expect([...parsed.flags]).to.deep.equal(['id']);
    expect(parsed.values.get('config')).to.equal('a.json');
    expect(() => parseArgs(['--nope'], spec)).to.throw(ArgsError, /unknown option --nope/);
    expect(() => parseArgs(['--config'], spec)).to.throw(ArgsError, /needs a value/);
    expect(() => parseArgs(['x'], spec)).to.throw(ArgsError, /unexpected argument/);
    expect(() => exclusive(parseArgs(['--id', '--json'], spec), ['id', 'json'])).to.throw(ArgsError, /choose one/);
    expect(() => positiveInt(parseArgs([], { booleans: [], values: ['n'] }), 'n', 5, 10)).to.not.throw();
    expect(() => positiveInt(parseArgs(['--n', '0'], { booleans: [], values: ['n'] }), 'n', 5, 10)).to.throw(ArgsError);
  });
  it('reads stack.json and terraform outputs, refusing incomplete ones', () => {
    const local = parseLocalConfig(
      JSON.stringify({
        websocketUrl: 'ws://127.0.0.1:3001/dev',
        hostedUiUrl: 'http://127.0.0.1:9229',
        clientId: 'c',
        redirectUri: 'http://localhost:3000/',
      }),
      'f',
    );
    expect(local).to.include({ kind: 'local', tokenQueryParam: 'token' });
    expect(() => parseLocalConfig('{}', 'f')).to.throw(TargetError, /websocketUrl/);
    expect(() => parseLocalConfig('nope', 'f')).to.throw(TargetError, /not JSON/);
    const deployed = parseTerraformOutputs(
      JSON.stringify({
        websocket_url: { value: 'wss://a.execute-api.eu-west-1.amazonaws.com/dev' },
        hosted_ui_url: { value: 'https://x.auth.eu-west-1.amazoncognito.com' },
        client_id: { value: 'c' },
        redirect_uri: { value: 'http://localhost:3000/' },
        token_query_param: { value: 'access_token' },
        scopes: { value: ['openid'] },
      }),
    );
    expect(deployed).to.include({ kind: 'deployed', tokenQueryParam: 'access_token' });
    expect(deployed.scopes).to.deep.equal(['openid']);
    expect(() => parseTerraformOutputs(JSON.stringify({ websocket_url: { value: 'http://x' } }))).to.throw(
      TargetError,
      /websocket_url/,
    );
  });
  it('puts the token where the mode says', () => {
    const target = parseLocalConfig(
      JSON.stringify({
        websocketUrl: 'ws://h/dev',
        hostedUiUrl: 'http://i',
        clientId: 'c',
        redirectUri: 'http://localhost:1/',
      }),
      'f',
    );
    expect(connectionRequest(target, 't.o.k', 'query').url).to.equal('ws://h/dev?token=t.o.k');
    expect(connectionRequest(target, 't', 'header').headers).to.deep.equal({ Authorization: 'Bearer t' });
    expect(connectionRequest(target, 't', 'protocol').protocols).to.deep.equal(['bearer', 't']);
  });
  it('only catches redirects on http://localhost', () => {
    expect(callbackListenAddress('http://localhost:3000/cb')).to.deep.equal({
      host: '127.0.0.1',
      port: 3000,
      path: '/cb',
    });
    expect(() => callbackListenAddress('https://app.example.com/')).to.throw(/localhost/);
  });
  it('computes nearest-rank percentiles and bounds parallelism', async () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([
      percentile(samples, 50),
      percentile(samples, 95),
      percentile(samples, 99),
      percentile(samples, 100),
    ]).to.deep.equal([50, 95, 99, 100]);
    expect(Number.isNaN(percentile([], 50))).to.equal(true);
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return n * 2;
    });
    expect(out).to.deep.equal([2, 4, 6, 8, 10, 12]);
    expect(peak).to.equal(2);
  });
});
