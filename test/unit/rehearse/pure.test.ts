import { expect } from 'chai';
import { declaredVariables, fullVars } from '../../../scripts/rehearse/features.ts';
import { cliConfig, renderOverride } from '../../../scripts/rehearse/terraform.ts';
import { missingMotoOutcome, findOnPath } from '../../../scripts/rehearse/moto.ts';
import { designedIdentitySources, functionNameOfUri } from '../../../scripts/rehearse/wiring.ts';
import { normalizeStatements } from '../../../scripts/rehearse/design.ts';
import { managedResources, stateOutputs } from '../../../scripts/rehearse/state.ts';
import { Checks } from '../../../scripts/rehearse/checks.ts';

describe('rehearsal pure pieces', () => {
  it('turns on only the features the stack declares, and names the others', () => {
    const declared = declaredVariables(
      'variable "name" {\n}\n  variable "allowed_groups" {\nvariable "token_sources" {',
    );
    const { vars, absent } = fullVars(declared, { zipDir: '/d', kmsKeyArn: 'k', invokerArn: 'i', topicArn: 't' });
    expect(vars).to.deep.equal({ name: 'rh-full', allowed_groups: ['rehearsal'], token_sources: ['header'] });
    expect(absent).to.include('revocation_enabled').and.include('table_kms_key_arn').and.not.include('name');
  });

  it('renders the override for an http endpoint only', () => {
    expect(renderOverride('a = "@ENDPOINT@"\nb = "@ENDPOINT@"', 'http://127.0.0.1:5')).to.equal(
      'a = "http://127.0.0.1:5"\nb = "http://127.0.0.1:5"',
    );
    expect(() => renderOverride('x', 'http://a" b')).to.throw(/not an endpoint/);
  });

  it('chooses the provider source like tf-check.sh', () => {
    const has = (dirs: string[]) => (d: string) => dirs.includes(d);
    const mirror = cliConfig({ TF_PROVIDER_MIRROR: '/m' }, has(['/m']), '/c');
    expect(mirror.ok && mirror.text)
      .to.include('filesystem_mirror')
      .and.include('"/m"');
    const image = cliConfig({}, has(['/opt/tf-plugins']), '/c');
    expect(image.ok && image.note).to.equal('provider mirror /opt/tf-plugins');
    const registry = cliConfig({ TF_PROVIDER_MIRROR: 'none' }, has(['/opt/tf-plugins']), '/c');
    expect(registry.ok && registry.text).to.equal('plugin_cache_dir = "/c"\n');
    const bad = cliConfig({ TF_PROVIDER_MIRROR: '/nothing' }, has([]), '/c');
    expect(bad.ok).to.equal(false);
  });

  it('fails without moto_server in CI and skips elsewhere', () => {
    expect(missingMotoOutcome({ CI: 'true' })).to.include({ fail: true });
    expect(missingMotoOutcome({ CI: 'true' }).message).to.include('pip install "moto[server]"');
    expect(missingMotoOutcome({})).to.include({ fail: false });
    expect(missingMotoOutcome({ CI: 'false' }).fail).to.equal(false);
    expect(findOnPath('surely-not-a-command-here', '/nonexistent')).to.equal(undefined);
  });

  it('designs identity sources for exactly one token source', () => {
    expect(designedIdentitySources(['header'], 'X-Token', 't')).to.deep.equal(['route.request.header.X-Token']);
    expect(designedIdentitySources(['query'], 'A', 'tok')).to.deep.equal(['route.request.querystring.tok']);
    expect(designedIdentitySources(['protocol'], 'A', 't')).to.deep.equal([
      'route.request.header.Sec-WebSocket-Protocol',
    ]);
    expect(designedIdentitySources(['header', 'query'], 'A', 't')).to.deep.equal([]);
  });

  it('reads the function name of an invoke URI', () => {
    expect(
      functionNameOfUri(
        'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:1:function:ws-x/invocations',
      ),
    ).to.equal('ws-x');
    expect(functionNameOfUri('arn:aws:apigateway:r:lambda:path/x')).to.equal(undefined);
  });

  it('compares policies regardless of order and of single strings vs lists, but not of extra keys', () => {
    const a = normalizeStatements({ Statement: [{ Effect: 'Allow', Action: ['b', 'a'], Resource: 'r' }] });
    const b = normalizeStatements({ Statement: { Effect: 'Allow', Action: ['a', 'b'], Resource: ['r'] } });
    expect(a).to.deep.equal(b);
    const c = normalizeStatements({
      Statement: [{ Effect: 'Allow', Action: ['a', 'b'], Resource: 'r', Condition: {} }],
    });
    expect(c).to.not.deep.equal(b);
  });

  it('counts managed instances of a version 4 state and reads its outputs', () => {
    const state = {
      version: 4,
      outputs: { api_id: { value: 'abc', type: 'string' } },
      resources: [
        { mode: 'data', type: 'aws_caller_identity', name: 'c', instances: [{ attributes: {} }] },
        {
          module: 'module.m',
          mode: 'managed',
          type: 'aws_x',
          name: 'y',
          instances: [{ index_key: 'k', attributes: { a: 1 } }, { index_key: 'l' }],
        },
      ],
    };
    expect(managedResources(state).map((r) => r.address)).to.deep.equal([
      'module.m.aws_x.y["k"]',
      'module.m.aws_x.y["l"]',
    ]);
    expect(stateOutputs(state)).to.deep.equal({ api_id: 'abc' });
    expect(() => managedResources({ version: 3 })).to.throw(/version 4/);
  });

  it('counts passed checks and keeps every failure', () => {
    const seen: string[] = [];
    const checks = new Checks((l) => seen.push(l));
    checks.check('a', true);
    checks.equal('b', [1], [2]);
    checks.equal('c', 'x', 'x');
    expect(checks.passed).to.equal(2);
    expect(checks.failures).to.deep.equal(['b: expected [2], got [1]']);
    expect(seen).to.deep.equal(checks.failures);
  });
});

describe('rehearsal bundle reading', () => {
  it('reads back the entries of a zip the build writes', async () => {
    const { createZip } = await import('../../../scripts/zip.mjs');
    const { readZip } = await import('../../../scripts/rehearse/unzip.ts');
    const zip = createZip([
      { name: 'index.js', data: Buffer.from('exports.handler = 1;\n'.repeat(50)) },
      { name: 'lib/a.txt', data: Buffer.from('a') },
    ]);
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).to.deep.equal(['index.js', 'lib/a.txt']);
    expect(entries[0]?.data.toString()).to.equal('exports.handler = 1;\n'.repeat(50));
    expect(() => readZip(Buffer.from('not a zip'))).to.throw(/not a zip/);
  });

  it('splits a Lambda handler and refuses one that leaves the bundle', async () => {
    const { splitHandler } = await import('../../../scripts/rehearse/traffic.ts');
    expect(splitHandler('index.handler')).to.deep.equal({ ok: true, file: 'index.js', exportName: 'handler' });
    expect(splitHandler('src/app.main')).to.deep.equal({ ok: true, file: 'src/app.js', exportName: 'main' });
    expect(splitHandler('../x.handler').ok).to.equal(false);
    expect(splitHandler('/etc/x.handler').ok).to.equal(false);
    expect(splitHandler('handler').ok).to.equal(false);
  });
});
