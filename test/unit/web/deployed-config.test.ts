import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  DeployedConfigError,
  parseServeArgs,
  readConfigFile,
  readTerraformOutputs,
  webConfigFromTerraformOutputs,
  type RunCommand,
} from '../../../web/deployed-config.ts';
import { rejectionOf, thrownBy } from '../../support/failures.ts';

function out(value: unknown, type: unknown = 'string'): { value: unknown; type: unknown; sensitive: boolean } {
  return { value, type, sensitive: false };
}

/** The shape `terraform output -json` prints for this project's root module. */
const OUTPUTS = {
  websocket_url: out('wss://abc123.execute-api.eu-west-1.amazonaws.com/prod'),
  hosted_ui_url: out('https://myapp-1a2b3c.auth.eu-west-1.amazoncognito.com'),
  client_id: out('4h5j6k7l8m9n0p1q2r3s4t5u6v'),
  redirect_uri: out('http://localhost:3000/'),
  callback_urls: out(['http://localhost:3000/', 'https://app.example.com/'], ['list', 'string']),
  logout_uri: out('http://localhost:3000/'),
  scopes: out(['openid', 'email', 'profile'], ['list', 'string']),
  token_query_param: out('token'),
  region: out('eu-west-1'),
};

const EXPECTED = {
  websocketUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  hostedUiUrl: 'https://myapp-1a2b3c.auth.eu-west-1.amazoncognito.com',
  clientId: '4h5j6k7l8m9n0p1q2r3s4t5u6v',
  redirectUri: 'http://localhost:3000/',
  logoutUri: 'http://localhost:3000/',
  scopes: ['openid', 'email', 'profile'],
  tokenQueryParam: 'token',
};

function caught(fn: () => unknown): Error {
  return thrownBy(fn);
}

describe('web: deployed-stack config (make web)', () => {
  describe('from terraform output -json', () => {
    it('unwraps { value, type, sensitive } into a WebConfig', () => {
      expect(webConfigFromTerraformOutputs(OUTPUTS)).to.deep.equal(EXPECTED);
    });

    it('falls back to callback_urls[0], logout_urls[0], the redirect URI as sign-out URL, and default scopes', () => {
      const { redirect_uri: _r, logout_uri: _l, scopes: _s, token_query_param: _t, ...rest } = OUTPUTS;
      const { tokenQueryParam: _q, ...withoutParam } = EXPECTED;
      expect(
        webConfigFromTerraformOutputs({
          ...rest,
          logout_urls: out(['https://app.example.com/bye'], ['list', 'string']),
        }),
      ).to.deep.equal({
        ...withoutParam,
        logoutUri: 'https://app.example.com/bye',
      });
      const config = webConfigFromTerraformOutputs(rest);
      expect(config.logoutUri).to.equal('http://localhost:3000/');
      expect(config.scopes).to.deep.equal(['openid', 'email', 'profile']);
    });

    it('accepts scopes as one space-separated string', () => {
      expect(webConfigFromTerraformOutputs({ ...OUTPUTS, scopes: out('openid  email') }).scopes).to.deep.equal([
        'openid',
        'email',
      ]);
    });

    it('names every missing or null output in one message', () => {
      const { websocket_url: _w, redirect_uri: _r, callback_urls: _c, ...rest } = OUTPUTS;
      const err = caught(() => webConfigFromTerraformOutputs({ ...rest, hosted_ui_url: out(null) }));
      expect(err).to.be.instanceOf(DeployedConfigError);
      expect(err.message).to.contain('websocket_url, hosted_ui_url, redirect_uri (or callback_urls)');
      expect(err.message).to.contain('--config');
    });

    it('says to apply first when there are no outputs, and refuses non-objects', () => {
      expect(caught(() => webConfigFromTerraformOutputs({})).message).to.contain('terraform apply');
      expect(caught(() => webConfigFromTerraformOutputs([])).message).to.contain('JSON object');
    });

    it('refuses an output not in the terraform shape, and an invalid value, naming it', () => {
      expect(caught(() => webConfigFromTerraformOutputs({ ...OUTPUTS, client_id: 'bare' })).message).to.contain(
        'client_id is not in the { value, type, sensitive } shape',
      );
      const insecure = caught(() =>
        webConfigFromTerraformOutputs({
          ...OUTPUTS,
          websocket_url: out('ws://abc123.execute-api.eu-west-1.amazonaws.com/prod'),
        }),
      );
      expect(insecure).to.be.instanceOf(DeployedConfigError);
      expect(insecure.message).to.equal(
        'terraform output: web config websocketUrl must use wss:// unless on localhost',
      );
    });
  });

  describe('running terraform', () => {
    it('runs terraform -chdir=<dir> output -json', async () => {
      const run = sinon.spy(() => Promise.resolve({ stdout: JSON.stringify(OUTPUTS), stderr: '' }));
      expect(await readTerraformOutputs('terraform', run)).to.deep.equal(EXPECTED);
      expect(run.firstCall.args).to.deep.equal(['terraform', ['-chdir=terraform', 'output', '-json']]);
    });

    function failure(run: RunCommand): Promise<DeployedConfigError> {
      return rejectionOf(readTerraformOutputs('terraform', run), DeployedConfigError);
    }

    it('says when terraform is not installed', async () => {
      const err = await failure(() =>
        Promise.reject(Object.assign(new Error('spawn terraform ENOENT'), { code: 'ENOENT' })),
      );
      expect(err.message).to.equal(
        'terraform is not installed or not on PATH: install Terraform, or pass --config <file.json>',
      );
      expect((err.cause as NodeJS.ErrnoException).code, 'the spawn error is kept as the cause').to.equal('ENOENT');
    });

    it('passes on the first lines of terraform stderr when it fails', async () => {
      const err = await failure(() =>
        Promise.reject(
          Object.assign(new Error('exit 1'), {
            code: 1,
            stderr: '\nError: Backend initialization required\n  please run "terraform init"\n',
          }),
        ),
      );
      expect(err.message).to.contain('Backend initialization required');
      expect(err.message).to.contain('Run terraform init and apply first');
    });

    it('says when terraform prints something other than JSON', async () => {
      const err = await failure(() => Promise.resolve({ stdout: 'Warning: No outputs found', stderr: '' }));
      expect(err.message).to.equal('terraform output -json did not print JSON');
    });
  });

  describe('--config file', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'web-config-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function file(name: string, content: string): Promise<string> {
      const p = path.join(dir, name);
      await writeFile(p, content);
      return p;
    }

    it('reads a WebConfig file', async () => {
      expect(await readConfigFile(await file('web.json', JSON.stringify(EXPECTED)))).to.deep.equal(EXPECTED);
    });

    it('reads saved terraform output -json', async () => {
      expect(await readConfigFile(await file('tf.json', JSON.stringify(OUTPUTS)))).to.deep.equal(EXPECTED);
    });

    it("reads the local stack's .local/stack.json (no logoutUri or scopes)", async () => {
      const stack = {
        websocketUrl: 'ws://127.0.0.1:3001/local',
        hostedUiUrl: 'http://127.0.0.1:9229',
        clientId: 'localclient',
        redirectUri: 'http://localhost:3000/',
        region: 'us-east-1',
        tableName: 't',
      };
      expect(await readConfigFile(await file('stack.json', JSON.stringify(stack)))).to.deep.equal({
        websocketUrl: 'ws://127.0.0.1:3001/local',
        hostedUiUrl: 'http://127.0.0.1:9229',
        clientId: 'localclient',
        redirectUri: 'http://localhost:3000/',
        logoutUri: 'http://localhost:3000/',
        scopes: ['openid', 'email', 'profile'],
      });
    });

    it('names the file for a missing file, bad JSON and a bad value', async () => {
      const missing = path.join(dir, 'nope.json');
      for (const [p, words] of [
        [missing, `${missing}: no such file`],
        [await file('bad.json', '{'), 'not valid JSON'],
        [await file('arr.json', '[]'), 'expected a JSON object'],
        [await file('val.json', JSON.stringify({ ...EXPECTED, clientId: 'has space' })), 'web config clientId'],
      ] as const) {
        let err: unknown;
        try {
          await readConfigFile(p);
        } catch (e) {
          err = e;
        }
        expect(err, p).to.be.instanceOf(DeployedConfigError);
        expect((err as Error).message, p).to.contain(words);
        expect((err as Error).message, p).to.contain(path.basename(p));
      }
    });
  });

  describe('arguments', () => {
    it('defaults to terraform/ and port 3000', () => {
      expect(parseServeArgs([], {})).to.deep.equal({ terraformDir: 'terraform', port: 3000 });
    });

    it('takes --config in both forms, --terraform-dir, and WEB_PORT', () => {
      expect(parseServeArgs(['--config', 'a.json'], { WEB_PORT: '8080' })).to.deep.equal({
        terraformDir: 'terraform',
        port: 8080,
        configFile: 'a.json',
      });
      expect(parseServeArgs(['--config=b.json', '--terraform-dir', 'infra'], { WEB_PORT: '0' })).to.deep.equal({
        terraformDir: 'infra',
        port: 0,
        configFile: 'b.json',
      });
    });

    it('takes WEB_CONFIG as the config file (make web), with --config winning', () => {
      expect(parseServeArgs([], { WEB_CONFIG: '.local/stack.json' })).to.deep.equal({
        terraformDir: 'terraform',
        port: 3000,
        configFile: '.local/stack.json',
      });
      expect(parseServeArgs(['--config', 'a.json'], { WEB_CONFIG: 'b.json' }).configFile).to.equal('a.json');
      expect(parseServeArgs([], { WEB_CONFIG: '' }).configFile, 'empty means unset').to.equal(undefined);
    });

    it('refuses unknown arguments, a missing value and a bad WEB_PORT', () => {
      expect(caught(() => parseServeArgs(['--port', '1'], {})).message).to.contain('unknown argument "--port"');
      expect(caught(() => parseServeArgs(['--config'], {})).message).to.equal('--config needs a value');
      expect(caught(() => parseServeArgs(['--config='], {})).message).to.equal('--config needs a value');
      for (const bad of ['abc', '70000', '-1', '3000x'])
        expect(caught(() => parseServeArgs([], { WEB_PORT: bad })).message, bad).to.contain('WEB_PORT');
    });
  });
});
