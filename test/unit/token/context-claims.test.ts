import { expect } from 'chai';
import {
  contextKeyOf,
  parseContextClaims,
  pickContextClaims,
  RESERVED_CLAIMS,
} from '../../../functions/shared/token/context-claims.ts';
import { ConfigError } from '../../../functions/shared/env.ts';

function configError(raw: string): ConfigError {
  try {
    parseContextClaims(raw);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`CONTEXT_CLAIMS=${raw} was accepted`);
}

describe('token: context claims', () => {
  it('maps a claim name to claim_ + the name with every non-alphanumeric replaced by _', () => {
    expect(contextKeyOf('custom:tenant')).to.equal('claim_custom_tenant');
    expect(contextKeyOf('a.b-c d/é')).to.equal('claim_a_b_c_d__');
    expect(contextKeyOf('Tier2')).to.equal('claim_Tier2');
  });

  it('parses a comma-separated list, trimming and dropping repeats of the same name', () => {
    expect(parseContextClaims(' custom:tenant , tier,custom:tenant ')).to.deep.equal([
      { name: 'custom:tenant', key: 'claim_custom_tenant' },
      { name: 'tier', key: 'claim_tier' },
    ]);
    expect(parseContextClaims(undefined)).to.deep.equal([]);
    expect(parseContextClaims('')).to.deep.equal([]);
  });

  it('refuses two names that map to the same key, naming both', () => {
    const err = configError('custom:tenant,custom_tenant');
    expect(err.variable).to.equal('CONTEXT_CLAIMS');
    expect(err.message).to.include('"custom:tenant"').and.include('"custom_tenant"').and.include('claim_custom_tenant');
  });

  it('refuses every claim the context already carries, naming the claim and CONTEXT_CLAIMS', () => {
    for (const name of RESERVED_CLAIMS) {
      const err = configError(`tier,${name}`);
      expect(err.message).to.include('CONTEXT_CLAIMS').and.include(`"${name}"`);
    }
  });

  it('refuses names with spaces or control characters, and more than 20 claims', () => {
    expect(configError('a\u0001b').message).to.include('invalid claim name');
    expect(configError(`${'x'.repeat(129)}`).message).to.include('invalid claim name');
    const many = Array.from({ length: 21 }, (_, i) => `c${i}`).join(',');
    expect(configError(many).message).to.include('more than 20');
  });

  it('copies strings, numbers and booleans as they are, string arrays as a JSON array string', () => {
    const claims = parseContextClaims('custom:tenant,level,admin,teams,empty');
    const picked = pickContextClaims(
      { 'custom:tenant': 'acme', level: 3, admin: false, teams: ['a,b', 'c"d'], empty: [] },
      claims,
    );
    expect(picked.context).to.deep.equal({
      claim_custom_tenant: 'acme',
      claim_level: 3,
      claim_admin: false,
      claim_teams: '["a,b","c\\"d"]',
      claim_empty: '[]',
    });
    expect(picked.stored).to.deep.equal({
      'custom:tenant': 'acme',
      level: '3',
      admin: 'false',
      teams: '["a,b","c\\"d"]',
      empty: '[]',
    });
    expect(picked.skipped).to.deep.equal([]);
  });

  it('leaves absent claims out and skips objects, other arrays, null and non-finite numbers by name', () => {
    const claims = parseContextClaims('obj,mixed,nums,nil,huge,absent,ok');
    const picked = pickContextClaims(
      { obj: { a: 1 }, mixed: ['a', 1], nums: [1, 2], nil: null, huge: JSON.parse('1e400') as number, ok: 'yes' },
      claims,
    );
    expect(picked.context).to.deep.equal({ claim_ok: 'yes' });
    expect(picked.stored).to.deep.equal({ ok: 'yes' });
    expect(picked.skipped).to.deep.equal(['obj', 'mixed', 'nums', 'nil', 'huge']);
  });

  it('keeps a claim named __proto__ as data and never reads inherited properties', () => {
    const claims = parseContextClaims('__proto__,toString');
    const payload = JSON.parse('{"__proto__":"x"}') as Record<string, unknown>;
    const picked = pickContextClaims(payload, claims);
    expect(Object.getPrototypeOf(picked.stored)).to.equal(Object.prototype);
    expect(Object.keys(picked.stored)).to.deep.equal(['__proto__']);
    expect(picked.context).to.deep.equal({ claim___proto__: 'x' });
  });
});
