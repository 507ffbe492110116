import { expect } from 'chai';
import sinon from 'sinon';
import { createAuthorizer, type AuthorizerHandler } from '../../../functions/authorizer/authorize.ts';
import type { AuthorizerConfig } from '../../../functions/authorizer/config.ts';
import { createJwksCache, type JwksCache, type KeySource } from '../../../functions/shared/token/jwks-cache.ts';
import type { AuthorizerResult } from '../../../functions/authorizer/policy.ts';
import { createLogger, type Logger } from '../../../functions/shared/log.ts';
import { createTokenVerifier } from '../../../functions/shared/token/verifier.ts';
import { createDecisionLog } from '../../../functions/authorizer/decision-log.ts';
import { nodeHttpGet } from '../../../functions/shared/token/http-request.ts';
import {
  accessClaims,
  CLIENT_ID,
  connectEvent,
  ecJwk,
  fakeClock,
  METHOD_ARN,
  NOW_S,
  rsaKey,
  serveJson,
  signHs256,
  signRs256,
  startJwksServer,
  testConfig,
  unsigned,
  type JwksServer,
} from './helpers.ts';
import { rejectionOf } from '../../support/failures.ts';
import { captureLog, type LogCapture } from '../../support/log-capture.ts';

const k1 = rsaKey('k1');
const attacker = rsaKey('k1'); // same kid, different key material
const small = rsaKey('small', 1024);
const enc = rsaKey('enc', 2048, { use: 'enc' });
const ps = rsaKey('ps', 2048, { alg: 'PS256' });
const ec = ecJwk('ec');

describe('authorizer (createAuthorizer with a real JWKS cache over HTTP)', () => {
  let server: JwksServer;
  let attackerServer: JwksServer;
  let clock: ReturnType<typeof fakeClock>;
  let logs: LogCapture;
  let cache: JwksCache;
  let issuer: string;

  function assemble(
    config: AuthorizerConfig,
    keys: KeySource,
    log: Logger,
    write: (line: string) => void = (line) => logs.sink(line.trimEnd()),
  ): AuthorizerHandler {
    return createAuthorizer({
      config,
      verifier: createTokenVerifier({ config, keys, now: clock.now }),
      decisions: createDecisionLog({ namespace: 'WebSocketAuth', level: 'info', now: clock.now, write }),
      log,
    });
  }

  async function build(overrides: Partial<AuthorizerConfig> = {}, keys?: KeySource): Promise<AuthorizerHandler> {
    const config = testConfig({ issuer, jwksUri: server.jwksUrl, ...overrides });
    // Through `logs` at call time: the capture is replaced after the warm-up fetch, so tests see only their lines.
    const log = createLogger('authorizer', (line) => logs.sink(line));
    cache = createJwksCache({ jwksUri: config.jwksUri, get: nodeHttpGet, now: clock.now, log });
    await cache.refresh();
    logs = captureLog();
    return assemble(config, keys ?? cache, log);
  }

  const token = (
    overrides: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
    key = k1.privateKey,
  ): string => signRs256({ alg: 'RS256', kid: 'k1', ...header }, accessClaims(issuer, overrides), key);

  const withHeader = (t: string): Record<string, unknown> =>
    connectEvent({ headers: { Authorization: `Bearer ${t}` } });

  async function expectUnauthorized(handler: AuthorizerHandler, event: unknown, reason: string): Promise<void> {
    let caught: unknown;
    try {
      await handler(event);
    } catch (err) {
      caught = err;
    }
    expect(caught, `expected a rejection (${reason})`).to.be.instanceOf(Error);
    expect((caught as Error).message).to.equal('Unauthorized');
    const last = logs.records().at(-1);
    expect(last?.['reason']).to.equal(reason);
    expect(last?.['decision']).to.equal('unauthorized');
  }

  before(async () => {
    server = await startJwksServer(serveJson({ keys: [k1.jwk, small.jwk, enc.jwk, ps.jwk, ec] }));
    attackerServer = await startJwksServer(serveJson({ keys: [attacker.jwk] }));
    issuer = `${server.url}/pool`;
  });
  after(async () => {
    await server.close();
    await attackerServer.close();
  });
  beforeEach(() => {
    clock = fakeClock();
    logs = captureLog();
  });

  describe('allow', () => {
    it('allows exactly methodArn with principalId = sub and the flat context of the contract', async () => {
      const handler = await build();
      const t = token();
      const result = await handler(withHeader(t), { awsRequestId: 'lambda-1' });
      expect(result).to.deep.equal({
        principalId: '1d7856e9-7bd7-45fe-beb1-77798de950bc',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }],
        },
        context: {
          sub: '1d7856e9-7bd7-45fe-beb1-77798de950bc',
          username: 'jane',
          clientId: CLIENT_ID,
          scope: 'openid profile email',
          groups: 'admins,staff',
          groupsJson: '["admins","staff"]',
          tokenUse: 'access',
          exp: NOW_S + 3600,
          authTime: NOW_S - 100,
        },
      } satisfies AuthorizerResult);
      expect(logs.records()).to.have.length(1);
      expect(logs.records()[0]).to.include({
        reason: 'allow',
        decision: 'allow',
        source: 'header',
        requestId: 'lambda-1',
        apiRequestId: 'req-1',
        Allow: 1,
      });
    });

    it('puts only primitives in the context and the token nowhere in the result or the logs', async () => {
      const handler = await build();
      const t = token();
      const result = await handler(withHeader(t));
      for (const value of Object.values(result.context ?? {}))
        expect(typeof value).to.be.oneOf(['string', 'number', 'boolean']);
      const [, , signature] = t.split('.');
      for (const text of [JSON.stringify(result), ...logs.records().map((l) => JSON.stringify(l))]) {
        expect(text).to.not.contain(t);
        expect(text).to.not.contain(signature);
      }
    });

    it('accepts the token from the query string and from Sec-WebSocket-Protocol', async () => {
      const handler = await build();
      const t = token();
      expect((await handler(connectEvent({ query: { token: t } }))).policyDocument.Statement[0].Effect).to.equal(
        'Allow',
      );
      expect(
        (await handler(connectEvent({ headers: { 'Sec-WebSocket-Protocol': `bearer, ${t}` } }))).principalId,
      ).to.equal('1d7856e9-7bd7-45fe-beb1-77798de950bc');
      expect(logs.records().map((l) => l['source'])).to.deep.equal(['query', 'protocol']);
    });

    it('gives machine tokens (no username, no groups) empty strings', async () => {
      const handler = await build();
      const result = await handler(withHeader(token({ username: undefined, 'cognito:groups': undefined })));
      expect(result.context).to.include({ username: '', groups: '' });
    });

    it('tolerates clock skew within the tolerance on exp, nbf and iat', async () => {
      const handler = await build();
      const t = token({ exp: NOW_S - 4, nbf: NOW_S + 4, iat: NOW_S + 4 });
      expect((await handler(withHeader(t))).principalId).to.be.a('string');
    });

    it('ignores jku, jwk, x5u and x5c in the header: keys come only from the configured JWKS', async () => {
      const handler = await build();
      const forged = {
        jku: attackerServer.jwksUrl,
        x5u: attackerServer.jwksUrl,
        jwk: attacker.jwk,
        x5c: ['MIIB'],
      };
      attackerServer.requests = 0;
      await expectUnauthorized(handler, withHeader(token({}, forged, attacker.privateKey)), 'bad_signature');
      expect(attackerServer.requests).to.equal(0);
      // The same headers on a genuinely signed token change nothing either.
      expect((await handler(withHeader(token({}, forged)))).policyDocument.Statement[0].Effect).to.equal('Allow');
    });

    it('verifies ID tokens against aud and reads cognito:username', async () => {
      const handler = await build({ tokenUse: 'id' });
      const idToken = token({
        token_use: 'id',
        client_id: undefined,
        aud: CLIENT_ID,
        scope: undefined,
        username: undefined,
        'cognito:username': 'jane',
      });
      const result = await handler(withHeader(idToken));
      expect(result.context).to.include({ tokenUse: 'id', username: 'jane', clientId: CLIENT_ID, scope: '' });
      await expectUnauthorized(handler, withHeader(token({ token_use: 'id', aud: 'someone-else' })), 'bad_client');
      await expectUnauthorized(handler, withHeader(token()), 'bad_token_use');
    });
  });

  describe('deny (authenticated but forbidden: 403)', () => {
    it('denies methodArn when a required scope is missing', async () => {
      const handler = await build({ requiredScopes: ['openid', 'chat/write'] });
      const result = await handler(withHeader(token()));
      expect(result).to.deep.equal({
        principalId: '1d7856e9-7bd7-45fe-beb1-77798de950bc',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }],
        },
      });
      expect(logs.records()[0]).to.include({ reason: 'missing_scope', decision: 'deny' });
      expect(
        (await handler(withHeader(token({ scope: 'openid chat/write' })))).policyDocument.Statement[0].Effect,
      ).to.equal('Allow');
    });

    it('denies when the user is in none of ALLOWED_GROUPS, allows when in one', async () => {
      const handler = await build({ allowedGroups: ['operators', 'staff'] });
      expect(
        (await handler(withHeader(token({ 'cognito:groups': ['admins'] })))).policyDocument.Statement[0].Effect,
      ).to.equal('Deny');
      expect(logs.records()[0]).to.include({ reason: 'group_not_allowed' });
      expect(
        (await handler(withHeader(token({ 'cognito:groups': undefined })))).policyDocument.Statement[0].Effect,
      ).to.equal('Deny');
      expect((await handler(withHeader(token()))).policyDocument.Statement[0].Effect).to.equal('Allow');
    });
  });

  describe('groups, context claims and the 8 KB limit', () => {
    it('gives groupsJson exactly and matches ALLOWED_GROUPS on exact names, not the comma-joined string', async () => {
      const handler = await build({ allowedGroups: ['admin'] });
      const comma = await handler(withHeader(token({ 'cognito:groups': ['admin,x', 'y'] })));
      expect(comma.policyDocument.Statement[0].Effect).to.equal('Deny');
      const exact = await handler(withHeader(token({ 'cognito:groups': ['admin,x', 'admin'] })));
      expect(exact.policyDocument.Statement[0].Effect).to.equal('Allow');
      expect(exact.context?.groups).to.equal('admin,x,admin');
      expect(JSON.parse(String(exact.context?.groupsJson))).to.deep.equal(['admin,x', 'admin']);
    });

    it('copies CONTEXT_CLAIMS under claim_* keys and logs the claims it had to skip', async () => {
      const handler = await build({
        contextClaims: [
          { name: 'custom:tenant', key: 'claim_custom_tenant' },
          { name: 'teams', key: 'claim_teams' },
          { name: 'profile', key: 'claim_profile' },
          { name: 'absent', key: 'claim_absent' },
        ],
      });
      const result = await handler(
        withHeader(token({ 'custom:tenant': 'acme', teams: ['a', 'b'], profile: { nested: true } })),
      );
      expect(result.policyDocument.Statement[0].Effect).to.equal('Allow');
      expect(result.context).to.deep.include({ claim_custom_tenant: 'acme', claim_teams: '["a","b"]' });
      expect(result.context).not.to.have.any.keys('claim_profile', 'claim_absent');
      expect(logs.records().map((l) => [l['reason'], l['claim']])).to.deep.include([
        'context_claim_skipped',
        'profile',
      ]);
      expect(logs.records().at(-1)).to.include({ reason: 'allow', Allow: 1 });
    });

    it('denies (context_too_large) when the context claims would push the result over 8 KB', async () => {
      const handler = await build({ contextClaims: [{ name: 'blob', key: 'claim_blob' }] });
      const groups = Array.from({ length: 30 }, (_, i) => `g${i}-${'g'.repeat(96)}`);
      // Without the claim the result fits; with it, it does not (and the token stays under 8 KB).
      expect(
        (await handler(withHeader(token({ 'cognito:groups': groups })))).policyDocument.Statement[0].Effect,
      ).to.equal('Allow');
      const result = await handler(withHeader(token({ 'cognito:groups': groups, blob: 'x'.repeat(2000) })));
      expect(result.policyDocument.Statement[0].Effect).to.equal('Deny');
      expect(result).not.to.have.property('context');
      expect(logs.records().at(-1)).to.include({ reason: 'context_too_large', decision: 'deny', Deny: 1 });
    });
  });

  describe('revocation', () => {
    it('refuses (revoked) a token of a session authenticated before the revocation, allows a fresh one', async () => {
      const config = testConfig({ issuer, jwksUri: server.jwksUrl, revocationsTable: 'revocations-local' });
      const log = createLogger('authorizer', logs.sink);
      cache = createJwksCache({ jwksUri: config.jwksUri, get: nodeHttpGet, now: clock.now, log });
      await cache.refresh();
      const revokedAt = NOW_S - 50;
      const revocations = { revokedAt: sinon.stub().resolves({ ok: true, revokedAt }) };
      const handler = createAuthorizer({
        config,
        verifier: createTokenVerifier({ config, keys: cache, now: clock.now, revocations }),
        decisions: createDecisionLog({
          namespace: 'WebSocketAuth',
          level: 'info',
          now: clock.now,
          write: (line) => logs.sink(line.trimEnd()),
        }),
        log,
      });
      await expectUnauthorized(handler, withHeader(token({ auth_time: revokedAt })), 'revoked');
      expect(logs.records().at(-1)).to.include({ Unauthorized: 1, Reason: 'revoked', revokedAt });
      expect(
        (await handler(withHeader(token({ auth_time: revokedAt + 1 })))).policyDocument.Statement[0].Effect,
      ).to.equal('Allow');
      revocations.revokedAt.resolves({ ok: false, error: 'timeout' });
      await expectUnauthorized(handler, withHeader(token()), 'revocation_unavailable');
    });
  });

  describe('rejections: always Error("Unauthorized") with a reason code', () => {
    it('crit_unsupported for a header with crit', async () =>
      expectUnauthorized(await build(), withHeader(token({}, { crit: ['exp'] })), 'crit_unsupported'));
    it('invalid_claim for a float or absurd exp', async () => {
      const handler = await build();
      await expectUnauthorized(handler, withHeader(token({ exp: NOW_S + 100.5 })), 'invalid_claim');
      await expectUnauthorized(handler, withHeader(token({ exp: 1e308 })), 'invalid_claim');
      expect(logs.records().at(-1)).to.include({ claim: 'exp' });
    });
    it('missing_token', async () => expectUnauthorized(await build(), connectEvent(), 'missing_token'));

    it('duplicate_token', async () => {
      const handler = await build();
      await expectUnauthorized(
        handler,
        connectEvent({ headers: { Authorization: token() }, query: { token: token({ jti: 'other' }) } }),
        'duplicate_token',
      );
    });

    it('token_too_large', async () => {
      const handler = await build();
      await expectUnauthorized(handler, withHeader(token({ pad: 'x'.repeat(7000) })), 'token_too_large');
    });

    it('malformed_token (not three parts, not JSON, kid missing)', async () => {
      const handler = await build();
      await expectUnauthorized(handler, withHeader('abc.def'), 'malformed_token');
      await expectUnauthorized(handler, withHeader('abc.def.ghi'), 'malformed_token');
      await expectUnauthorized(
        handler,
        connectEvent({ headers: { Authorization: `Basic ${token()}` } }),
        'malformed_token',
      );
      await expectUnauthorized(
        handler,
        withHeader(signRs256({ alg: 'RS256' }, accessClaims(issuer), k1.privateKey)),
        'malformed_token',
      );
    });

    it('bad_alg for alg none (unsigned)', async () => {
      const handler = await build();
      await expectUnauthorized(
        handler,
        withHeader(unsigned({ alg: 'none', kid: 'k1' }, accessClaims(issuer))),
        'bad_alg',
      );
      await expectUnauthorized(
        handler,
        withHeader(unsigned({ alg: 'RS256', kid: 'k1' }, accessClaims(issuer))),
        'bad_signature',
      );
    });

    it('bad_alg for HS256 signed with the public key (key confusion)', async () => {
      const handler = await build();
      const pem = Buffer.from(k1.publicKey.export({ format: 'pem', type: 'spki' }));
      await expectUnauthorized(
        handler,
        withHeader(signHs256({ alg: 'HS256', kid: 'k1' }, accessClaims(issuer), pem)),
        'bad_alg',
      );
    });

    it('bad_alg for other algorithms (RS512, ES256, lower-case rs256)', async () => {
      const handler = await build();
      for (const alg of ['RS512', 'ES256', 'rs256', 'PS256']) {
        await expectUnauthorized(handler, withHeader(token({}, { alg })), 'bad_alg');
      }
    });

    it('unknown_kid for a random kid, a 1024-bit key, a use:enc key, an alg-mismatched JWK and an EC key', async () => {
      const handler = await build();
      clock.advance(10_000);
      await expectUnauthorized(handler, withHeader(token({}, { kid: 'random' })), 'unknown_kid');
      await expectUnauthorized(handler, withHeader(token({}, { kid: 'small' }, small.privateKey)), 'unknown_kid');
      await expectUnauthorized(handler, withHeader(token({}, { kid: 'enc' }, enc.privateKey)), 'unknown_kid');
      await expectUnauthorized(handler, withHeader(token({}, { kid: 'ps' }, ps.privateKey)), 'unknown_kid');
      await expectUnauthorized(handler, withHeader(token({}, { kid: 'ec' })), 'unknown_kid');
    });

    it('bad_signature for a token signed by another key under a known kid, or tampered with', async () => {
      const handler = await build();
      await expectUnauthorized(handler, withHeader(token({}, {}, attacker.privateKey)), 'bad_signature');
      const [h, , s] = token().split('.');
      const tampered = `${h}.${Buffer.from(JSON.stringify(accessClaims(issuer, { sub: 'someone-else' }))).toString('base64url')}.${s}`;
      await expectUnauthorized(handler, withHeader(tampered), 'bad_signature');
    });

    const claimCases: [string, Record<string, unknown>, string][] = [
      ['expired', { exp: NOW_S - 5 }, 'expired'],
      ['not yet valid (nbf)', { nbf: NOW_S + 60 }, 'not_yet_valid'],
      ['issued in the future (iat)', { iat: NOW_S + 60 }, 'iat_in_future'],
      ['from another issuer', { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other' }, 'bad_issuer'],
      ['an issuer differing only by a trailing slash', { iss: '__ISSUER__/' }, 'bad_issuer'],
      ['an id token where access is configured', { token_use: 'id' }, 'bad_token_use'],
      ['for a client not in the allow-list', { client_id: 'intruder' }, 'bad_client'],
      ['without exp', { exp: undefined }, 'missing_claim'],
      ['without iat', { iat: undefined }, 'missing_claim'],
      ['without sub', { sub: undefined }, 'missing_claim'],
      ['with an empty sub', { sub: '' }, 'missing_claim'],
      ['without token_use', { token_use: undefined }, 'missing_claim'],
      ['without client_id', { client_id: undefined }, 'missing_claim'],
      ['without iss (jsonwebtoken checks the issuer first)', { iss: undefined }, 'bad_issuer'],
      ['with exp as a string', { exp: String(NOW_S + 3600) }, 'invalid_claim'],
      ['with iat as a string', { iat: String(NOW_S) }, 'invalid_claim'],
      ['with sub as a number', { sub: 42 }, 'invalid_claim'],
      ['with cognito:groups as a string', { 'cognito:groups': 'admins' }, 'invalid_claim'],
      ['with scope as an array', { scope: ['openid'] }, 'invalid_claim'],
      ['with username as an object', { username: { first: 'x' } }, 'invalid_claim'],
      ['with client_id as an array', { client_id: [CLIENT_ID] }, 'invalid_claim'],
    ];
    for (const [what, overrides, reason] of claimCases) {
      it(`${reason} for a token ${what}`, async () => {
        const handler = await build();
        const o = Object.fromEntries(
          Object.entries(overrides).map(([k, v]) => [k, v === '__ISSUER__/' ? `${issuer}/` : v]),
        );
        await expectUnauthorized(handler, withHeader(token(o)), reason);
      });
    }

    it('jwks_unavailable when the JWKS cannot be fetched and no keys are held', async () => {
      const down = await startJwksServer(serveJson('nope', 500));
      const config = testConfig({ issuer, jwksUri: down.jwksUrl });
      const log = createLogger('authorizer', logs.sink);
      const keys = createJwksCache({ jwksUri: down.jwksUrl, get: nodeHttpGet, now: clock.now, log });
      const handler = assemble(config, keys, log);
      await expectUnauthorized(handler, withHeader(token()), 'jwks_unavailable');
      await down.close();
    });

    it('jwks_unavailable within the fetch deadline when the JWKS never answers (no hang)', async () => {
      const silent = await startJwksServer(() => undefined);
      const config = testConfig({ issuer, jwksUri: silent.jwksUrl });
      const log = createLogger('authorizer', logs.sink);
      const keys = createJwksCache({
        jwksUri: silent.jwksUrl,
        get: nodeHttpGet,
        now: clock.now,
        log,
        limits: { timeoutMs: 300, connectTimeoutMs: 200, maxBytes: 150 * 1024 },
      });
      const handler = assemble(config, keys, log);
      const started = Date.now();
      await expectUnauthorized(handler, withHeader(token()), 'jwks_unavailable');
      // One attempt, cut at the 200 ms headers deadline.
      expect(Date.now() - started).to.be.below(2000);
      expect(silent.requests).to.equal(1);
      await silent.close();
    });

    it('bad_method_arn when methodArn is missing, malformed or a wildcard', async () => {
      const handler = await build();
      for (const methodArn of [
        undefined,
        42,
        '',
        'arn:aws:execute-api:us-east-1:123456789012:abc123/*/$connect',
        'arn:aws:s3:::bucket',
      ]) {
        await expectUnauthorized(handler, { ...withHeader(token()), methodArn }, 'bad_method_arn');
      }
    });

    it('Unauthorized (internal_error) when something unexpected throws inside', async () => {
      const broken: KeySource = { peek: () => undefined, resolve: () => Promise.reject(new RangeError('kaboom')) };
      const handler = await build({}, broken);
      await expectUnauthorized(handler, withHeader(token()), 'internal_error');
      expect(logs.records().at(-1)?.['error']).to.equal('RangeError: kaboom');
    });

    it('Unauthorized even when the log sink itself throws', async () => {
      await build();
      const config = testConfig({ issuer, jwksUri: server.jwksUrl });
      const handler = assemble(config, cache, sinon.stub().throws(new Error('disk full')), () => {
        throw new Error('disk full');
      });
      for (const event of [withHeader(token()), connectEvent(), null]) {
        const err = await rejectionOf(handler(event));
        expect(err.message).to.equal('Unauthorized');
      }
    });

    it('survives hostile events without any other error', async () => {
      const handler = await build();
      const hostile: unknown[] = [
        undefined,
        null,
        0,
        'x',
        [],
        { methodArn: METHOD_ARN, headers: [] },
        { methodArn: METHOD_ARN, headers: { Authorization: ['a'] } },
        {
          methodArn: METHOD_ARN,
          get headers(): never {
            throw new Error('getter');
          },
        },
        Object.create(null),
      ];
      for (const event of hostile) {
        const err = await rejectionOf(handler(event));
        expect(err.message).to.equal('Unauthorized');
      }
    });
  });

  it('still checks the whole token when its header was seen on a verified token before', async () => {
    const handler = await build();
    const good = token();
    expect((await handler(withHeader(good))).policyDocument.Statement[0].Effect).to.equal('Allow');
    const [h, p, sig] = good.split('.');
    await expectUnauthorized(handler, withHeader(`${h}.${p}.${sig}.extra`), 'malformed_token');
    await expectUnauthorized(handler, withHeader(`${h}.${p}.`), 'bad_signature');
    await expectUnauthorized(handler, withHeader(token({}, {}, attacker.privateKey)), 'bad_signature');
    await expectUnauthorized(handler, withHeader(token({ exp: NOW_S - 60 })), 'expired');
    await expectUnauthorized(handler, withHeader(`${h}.e30.${sig}`), 'bad_signature');
    expect((await handler(withHeader(good))).policyDocument.Statement[0].Effect).to.equal('Allow');
  });

  it('logs one single-line JSON record per decision and never the token', async () => {
    const handler = await build();
    const t = token();
    await handler(withHeader(t));
    await handler(withHeader(token({ exp: NOW_S - 100 }))).catch(() => undefined);
    await handler(withHeader(token({}, {}, attacker.privateKey))).catch(() => undefined);
    expect(logs.reasons()).to.deep.equal(['allow', 'expired', 'bad_signature']);
    for (const line of logs.records()) expect(JSON.stringify(line)).to.not.match(/eyJ/);
  });
});
