import { expect } from 'chai';
import {
  claimsFor,
  DEFAULT_USER_CLAIMS,
  parseUserClaims,
  validateUserClaims,
} from '../../../../local/issuer/user-claims.ts';

function reasonOf(text: string): string {
  const result = parseUserClaims(text);
  if (result.ok) throw new Error(`accepted ${text}`);
  return result.reason;
}

describe('issuer user claims (LOCAL_USER_CLAIMS)', function () {
  it('accepts strings, numbers and booleans per user, matched case-insensitively', function () {
    const result = parseUserClaims('{"Demo":{"custom:tenant":"acme","custom:level":3,"beta":true}}');
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(claimsFor(result.claims, 'demo')).to.deep.equal({ 'custom:tenant': 'acme', 'custom:level': 3, beta: true });
    expect(claimsFor(result.claims, 'nobody')).to.deep.equal({});
    expect(claimsFor(result.claims, 'constructor')).to.deep.equal({});
  });

  it('gives the demo user custom:tenant = acme by default', function () {
    expect(claimsFor(DEFAULT_USER_CLAIMS, 'demo')).to.deep.equal({ 'custom:tenant': 'acme' });
  });

  it('names bad JSON', function () {
    expect(reasonOf('{demo:')).to.match(/^LOCAL_USER_CLAIMS is not valid JSON/);
  });

  it('refuses every wrong shape with a message naming the place', function () {
    expect(reasonOf('[]')).to.match(/must be a JSON object of usernames/);
    expect(reasonOf('"x"')).to.match(/must be a JSON object of usernames/);
    expect(reasonOf('{"demo":["custom:tenant"]}')).to.match(/LOCAL_USER_CLAIMS\.demo must be an object/);
    expect(reasonOf('{"demo":{"custom:tenant":{"a":1}}}')).to.match(
      /custom:tenant must be a string, a number or a boolean/,
    );
    expect(reasonOf('{"demo":{"custom:tenant":null}}')).to.match(/must be a string, a number or a boolean/);
    expect(reasonOf('{"demo":{"custom:tenant":["a"]}}')).to.match(/must be a string, a number or a boolean/);
    expect(reasonOf('{"demo":{"has space":"x"}}')).to.match(/claim name "has space"/);
    expect(reasonOf('{"demo":{"__proto__":"x"}}')).to.match(/claim name "__proto__"/);
    expect(reasonOf('{"__proto__":{"a":"x"}}')).to.match(/username "__proto__"/);
    expect(reasonOf('{"demo":{"a":"x"},"DEMO":{"b":"y"}}')).to.match(/names user DEMO twice/);
    expect(reasonOf(`{"demo":{"a":"${'x'.repeat(2049)}"}}`)).to.match(/at most 2048 characters/);
  });

  it('refuses claims the pool sets itself', function () {
    for (const name of ['sub', 'exp', 'scope', 'cognito:groups', 'token_use', 'client_id', 'username', 'auth_time']) {
      expect(reasonOf(JSON.stringify({ demo: { [name]: 'x' } }))).to.include(`claim ${name} is set by the pool itself`);
    }
  });

  it('validates the option value the same way, naming the option', function () {
    const result = validateUserClaims({ demo: { iss: 'x' } });
    expect(result).to.deep.equal({
      ok: false,
      reason: 'userClaims.demo: claim iss is set by the pool itself and cannot be overridden',
    });
  });
});
