// The gateway's management API paths (local/gateway/management.ts).
import { expect } from 'chai';
import { parseManagementPath } from '../../../../local/gateway/management.ts';

describe('gateway management paths', () => {
  it('accepts /@connections/{id} and /<stage>/@connections/{id}, decoding the id', () => {
    expect(parseManagementPath('/@connections/abc%3D', 'dev')).to.equal('abc=');
    expect(parseManagementPath('/dev/@connections/a%2Bb%2F%3D', 'dev')).to.equal('a+b/=');
  });
  it('refuses other stages, other paths, empty and malformed ids', () => {
    for (const p of [
      '/prod/@connections/x',
      '/dev/@connections/',
      '/dev/@connections/a/b',
      '/dev/x',
      '/dev/@connections/%E0%A4%A',
    ]) {
      expect(parseManagementPath(p, 'dev'), p).to.equal(undefined);
    }
  });
});
