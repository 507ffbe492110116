// Forwarding headers as API Gateway sets them: the real peer last in X-Forwarded-For, the gateway's own port
// and scheme, a trace id only when absent.
import { expect } from 'chai';
import { applyForwardingHeaders } from '../../../../local/gateway/forwarding.ts';
import { headerMaps } from '../../../../local/gateway/http-input.ts';

const hop = { sourceIp: '127.0.0.1', port: 3001, proto: 'http' as const, traceId: () => 'Root=1-new' };

describe('local/gateway forwarding headers', () => {
  it('adds all four when the client sent none', () => {
    const out = applyForwardingHeaders(headerMaps(['Host', 'h']), hop);
    expect(out.headers).to.deep.equal({
      Host: 'h',
      'X-Forwarded-For': '127.0.0.1',
      'X-Forwarded-Port': '3001',
      'X-Forwarded-Proto': 'http',
      'X-Amzn-Trace-Id': 'Root=1-new',
    });
  });

  it('keeps a client-sent X-Forwarded-For in front of the real peer, which is always last', () => {
    const out = applyForwardingHeaders(
      headerMaps(['x-forwarded-for', '203.0.113.7', 'X-Forwarded-For', '198.51.100.1, 10.0.0.1']),
      hop,
    );
    expect(out.headers['x-forwarded-for']).to.equal('203.0.113.7, 198.51.100.1, 10.0.0.1, 127.0.0.1');
    expect(out.multiValueHeaders['x-forwarded-for']).to.deep.equal(['203.0.113.7, 198.51.100.1, 10.0.0.1, 127.0.0.1']);
    expect(Object.keys(out.headers).filter((k) => k.toLowerCase() === 'x-forwarded-for')).to.have.length(1);
  });

  it('replaces client-sent X-Forwarded-Proto and X-Forwarded-Port with its own', () => {
    const out = applyForwardingHeaders(
      headerMaps(['X-Forwarded-Proto', 'https', 'x-forwarded-port', '443', 'X-FORWARDED-PORT', '8443']),
      hop,
    );
    expect(out.headers['X-Forwarded-Proto']).to.equal('http');
    expect(out.headers['x-forwarded-port']).to.equal('3001');
    expect(out.headers['X-FORWARDED-PORT']).to.equal(undefined);
  });

  it('keeps a client-sent X-Amzn-Trace-Id and adds none', () => {
    let called = false;
    const out = applyForwardingHeaders(headerMaps(['x-amzn-trace-id', 'Root=1-client']), {
      ...hop,
      traceId: () => ((called = true), 'x'),
    });
    expect(out.headers['x-amzn-trace-id']).to.equal('Root=1-client');
    expect(out.headers['X-Amzn-Trace-Id']).to.equal(undefined);
    expect(called).to.equal(false);
  });

  it('does not modify its input', () => {
    const input = headerMaps(['X-Forwarded-For', '1.2.3.4']);
    applyForwardingHeaders(input, hop);
    expect(input.headers).to.deep.equal({ 'X-Forwarded-For': '1.2.3.4' });
  });
});
