// The verifier as the entry points assemble it (startVerifier): a JWKS server on loopback, and a DynamoDB endpoint
// that never answers. With REVOCATIONS_TABLE the read is made and fails closed within its budget; without it no
// call is made at all. A failed JWKS fetch is counted as the JwksFetchFailure metric.
import { expect } from 'chai';
import { startVerifier } from '../../../functions/shared/token/runtime.ts';
import { createLogger } from '../../../functions/shared/log.ts';
import {
  accessClaims,
  rsaKey,
  serveJson,
  signRs256,
  startJwksServer,
  type JwksServer,
} from '../../unit/authorizer/helpers.ts';
import { verifierConfig } from '../../unit/token/helpers.ts';
import { startFrozenEndpoint } from './dynalite.ts';

const key = rsaKey('k1');

describe('lifetime: verifier runtime (startVerifier)', function () {
  this.timeout(20_000);
  let jwks: JwksServer;
  let frozen: Awaited<ReturnType<typeof startFrozenEndpoint>>;
  const saved = { ...process.env };

  before(async () => {
    jwks = await startJwksServer(serveJson({ keys: [key.jwk] }));
    frozen = await startFrozenEndpoint();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: frozen.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  });
  after(async () => {
    for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    await jwks.close();
    await frozen.close();
  });

  const issuer = (): string => `${jwks.url}/pool`;
  const token = (): string => {
    const now = Math.floor(Date.now() / 1000);
    return signRs256(
      { alg: 'RS256', kid: 'k1' },
      accessClaims(issuer(), { exp: now + 600, iat: now - 5, auth_time: now - 5 }),
      key.privateKey,
    );
  };

  it('makes no revocation call at all when REVOCATIONS_TABLE is absent', async () => {
    const before = frozen.connections;
    const { verifier, keys } = startVerifier(
      verifierConfig({ issuer: issuer(), jwksUri: jwks.jwksUrl }),
      createLogger('authorizer', () => undefined),
    );
    await keys.refresh();
    expect(await verifier.verify(token())).to.deep.include({ ok: true });
    expect(frozen.connections).to.equal(before);
  });

  it('fails closed (revocation_unavailable) within about a second when the table does not answer', async () => {
    const { verifier, keys } = startVerifier(
      verifierConfig({ issuer: issuer(), jwksUri: jwks.jwksUrl, revocationsTable: 'revocations-local' }),
      createLogger('authorizer', () => undefined),
    );
    await keys.refresh();
    const started = Date.now();
    expect(await verifier.verify(token())).to.deep.include({ ok: false, reason: 'revocation_unavailable' });
    expect(Date.now() - started).to.be.below(1500);
    expect(frozen.connections).to.be.at.least(1);
  });

  it('counts a failed JWKS fetch as the JwksFetchFailure metric', async () => {
    const lines: string[] = [];
    const down = await startJwksServer(serveJson('nope', 500));
    try {
      const { keys } = startVerifier(
        verifierConfig({ issuer: issuer(), jwksUri: down.jwksUrl }),
        createLogger('authorizer', { sink: (l) => lines.push(l), level: 'info', namespace: 'WebSocketAuth' }),
      );
      expect(await keys.refresh()).to.equal(false);
      const record = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((r) => r['reason'] === 'jwks_fetch_failed');
      expect(record).to.include({ JwksFetchFailure: 1, Function: 'authorizer' });
    } finally {
      await down.close();
    }
  });
});
