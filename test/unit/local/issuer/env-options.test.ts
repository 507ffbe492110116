import { expect } from 'chai';
import { optionsFromEnv } from '../../../../local/issuer/env-options.ts';

describe('standalone issuer configuration (cli.ts environment)', function () {
  it('reads LOCAL_USER_CLAIMS and ISSUER_STATE_DIR', function () {
    const options = optionsFromEnv({
      LOCAL_USER_CLAIMS: '{"demo":{"custom:tenant":"globex"}}',
      ISSUER_STATE_DIR: '/tmp/issuer-state',
    });
    expect(options.userClaims).to.deep.equal({ demo: { 'custom:tenant': 'globex' } });
    expect(options.stateDir).to.equal('/tmp/issuer-state');
  });

  it('leaves both unset by default (the issuer then uses its defaults)', function () {
    const options = optionsFromEnv({});
    expect(options).to.not.have.property('userClaims');
    expect(options).to.not.have.property('stateDir');
  });

  it('names LOCAL_USER_CLAIMS once, and the place, when it is refused', function () {
    expect(() => optionsFromEnv({ LOCAL_USER_CLAIMS: '{"demo":{"sub":"x"}}' })).to.throw(
      'Invalid configuration: LOCAL_USER_CLAIMS at .demo: claim sub is set by the pool itself and cannot be overridden',
    );
    expect(() => optionsFromEnv({ LOCAL_USER_CLAIMS: '{oops' })).to.throw(
      /^Invalid configuration: LOCAL_USER_CLAIMS is not valid JSON/,
    );
  });
});
