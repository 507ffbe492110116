// The CLI browser sign-in (scripts/cli/browser-sign-in.ts).
import { expect } from 'chai';
import { callbackListenAddress } from '../../../../scripts/cli/browser-sign-in.ts';

describe('CLI browser sign-in', () => {
  it('only catches redirects on http://localhost', () => {
    expect(callbackListenAddress('http://localhost:3000/cb')).to.deep.equal({
      host: '127.0.0.1',
      port: 3000,
      path: '/cb',
    });
    expect(() => callbackListenAddress('https://app.example.com/')).to.throw(/localhost/);
  });
});
