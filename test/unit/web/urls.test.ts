import { expect } from 'chai';
import {
  authorizeUrl,
  codeExchangeRequest,
  logoutUrl,
  originOf,
  refreshRequest,
  revokeRequest,
  socketTarget,
} from '../../../web/src/urls.ts';
import { CONFIG } from './helpers.ts';

describe('web: URLs', () => {
  it('builds /oauth2/authorize with code flow, PKCE S256, state and space-separated scopes', () => {
    const url = new URL(authorizeUrl(CONFIG, 'the-state', 'the-challenge'));
    expect(url.origin + url.pathname).to.equal('https://demo.auth.us-east-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      response_type: 'code',
      client_id: 'abc123client',
      redirect_uri: 'http://localhost:3000/',
      scope: 'openid email',
      state: 'the-state',
      code_challenge: 'the-challenge',
      code_challenge_method: 'S256',
    });
  });

  it('builds the code exchange with the verifier and the same redirect_uri', () => {
    const request = codeExchangeRequest(CONFIG, 'code-1', 'verifier-1');
    expect(request.url).to.equal('https://demo.auth.us-east-1.amazoncognito.com/oauth2/token');
    expect(Object.fromEntries(request.body)).to.deep.equal({
      grant_type: 'authorization_code',
      client_id: 'abc123client',
      code: 'code-1',
      redirect_uri: 'http://localhost:3000/',
      code_verifier: 'verifier-1',
    });
  });

  it('builds the refresh and revoke requests', () => {
    expect(Object.fromEntries(refreshRequest(CONFIG, 'rt').body)).to.deep.equal({
      grant_type: 'refresh_token',
      client_id: 'abc123client',
      refresh_token: 'rt',
    });
    const revoke = revokeRequest(CONFIG, 'rt');
    expect(revoke.url).to.equal('https://demo.auth.us-east-1.amazoncognito.com/oauth2/revoke');
    expect(Object.fromEntries(revoke.body)).to.deep.equal({ token: 'rt', client_id: 'abc123client' });
  });

  it('builds the hosted UI logout with client_id and logout_uri', () => {
    const url = new URL(logoutUrl(CONFIG));
    expect(url.pathname).to.equal('/logout');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      client_id: 'abc123client',
      logout_uri: 'http://localhost:3000/',
    });
  });

  it('puts the token in the query string, encoded, keeping other parameters', () => {
    const target = socketTarget('wss://api.example.com/prod?room=1', 'a.b+c/d', 'query');
    expect(target.protocols).to.deep.equal([]);
    const url = new URL(target.url);
    expect(url.searchParams.get('room')).to.equal('1');
    expect(url.searchParams.get('token')).to.equal('a.b+c/d');
    expect(
      new URL(socketTarget('wss://api.example.com/prod', 't', 'query', 'access_token').url).searchParams.get(
        'access_token',
      ),
    ).to.equal('t');
  });

  it('offers the token as the subprotocol after "bearer", leaving the URL alone', () => {
    expect(socketTarget('wss://api.example.com/prod', 'tok', 'subprotocol')).to.deep.equal({
      url: 'wss://api.example.com/prod',
      protocols: ['bearer', 'tok'],
    });
  });

  it('originOf gives scheme, host and port only', () => {
    expect(originOf('ws://127.0.0.1:3001/local?x=1')).to.equal('ws://127.0.0.1:3001');
    expect(originOf('wss://api.example.com/prod')).to.equal('wss://api.example.com');
  });
});
