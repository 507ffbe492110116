import { expect } from 'chai';
import { unwrapTerraformOutputs } from '../../../shared/terraform-outputs.ts';

describe('shared: terraform output -json reader', () => {
  it('unwraps every { value, type, sensitive } entry to its value, null included', () => {
    expect(
      unwrapTerraformOutputs({
        websocket_url: { value: 'wss://x/prod', type: 'string', sensitive: false },
        scopes: { value: ['openid'], type: ['list', 'string'], sensitive: false },
        gone: { value: null, type: 'string', sensitive: false },
      }),
    ).to.deep.equal({ ok: true, values: { websocket_url: 'wss://x/prod', scopes: ['openid'], gone: null } });
  });

  it('says why other JSON is not terraform output', () => {
    expect(unwrapTerraformOutputs([])).to.deep.equal({ ok: false, reason: 'not_an_object' });
    expect(unwrapTerraformOutputs(null)).to.deep.equal({ ok: false, reason: 'not_an_object' });
    expect(unwrapTerraformOutputs({})).to.deep.equal({ ok: false, reason: 'no_outputs' });
    expect(unwrapTerraformOutputs({ client_id: 'bare' })).to.deep.equal({
      ok: false,
      reason: 'not_an_output',
      name: 'client_id',
    });
    expect(unwrapTerraformOutputs({ client_id: { type: 'string' } })).to.deep.equal({
      ok: false,
      reason: 'not_an_output',
      name: 'client_id',
    });
  });
});
