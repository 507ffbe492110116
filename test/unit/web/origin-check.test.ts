import { expect } from 'chai';
import { checkOrigin } from '../../../web/src/origin-check.ts';

describe('web: origin check', () => {
  it('accepts the registered origin, whatever the path or query', () => {
    expect(checkOrigin('http://localhost:3000/', 'http://localhost:3000/')).to.deep.equal({ ok: true });
    expect(checkOrigin('http://localhost:3000/', 'http://localhost:3000/index.html?x=1')).to.deep.equal({ ok: true });
    expect(checkOrigin('https://app.example.com/cb', 'https://app.example.com/')).to.deep.equal({ ok: true });
  });

  it('detects 127.0.0.1 for localhost, another port or scheme, and links to the registered callback', () => {
    for (const here of ['http://127.0.0.1:3000/', 'http://localhost:3001/', 'https://localhost:3000/']) {
      const check = checkOrigin('http://localhost:3000/', here);
      expect(check.ok, here).to.equal(false);
      if (check.ok) continue;
      expect(check.reason).to.equal('wrong_origin');
      expect(check.link).to.equal('http://localhost:3000/');
      expect(check.message).to.contain(new URL(here).origin).and.contain('http://localhost:3000');
    }
  });

  it('does not claim a wrong origin from a URL it cannot parse', () => {
    expect(checkOrigin('not a url', 'http://localhost:3000/')).to.deep.equal({ ok: true });
  });
});
