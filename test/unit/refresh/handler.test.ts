import { expect } from 'chai';
import sinon from 'sinon';
import { DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { createRefreshHandler, type RefreshDeps } from '../../../functions/refresh/handler.ts';
import type { RefreshStore, StoredRead } from '../../../functions/refresh/refresh-store.ts';
import type { StoredConnection } from '../../../functions/refresh/refresh-rules.ts';
import { createTokenVerifier } from '../../../functions/shared/token/verifier.ts';
import { createLogger } from '../../../functions/shared/log.ts';
import { accessClaims, rsaKey, signRs256, NOW_S } from '../authorizer/helpers.ts';
import { heldKeys, ISSUER, verifierConfig } from '../token/helpers.ts';

const key = rsaKey('k1');
const forger = rsaKey('k1');
const SUB = '1d7856e9-7bd7-45fe-beb1-77798de950bc';
const CONNECTION_ID = 'R1kmxc2VNjMCFIA=';
const NOW_MS = NOW_S * 1000;

const token = (overrides: Record<string, unknown> = {}, signer = key.privateKey): string =>
  signRs256({ alg: 'RS256', kid: 'k1' }, accessClaims(ISSUER, overrides), signer);

function event(body: unknown): Record<string, unknown> {
  return {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      routeKey: 'refresh',
      eventType: 'MESSAGE',
      requestId: 'api-req-1',
      connectionId: CONNECTION_ID,
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      stage: 'dev',
      authorizer: { sub: SUB, exp: String(NOW_S + 60) },
    },
  };
}

const storedItem = (overrides: Partial<StoredConnection> = {}): StoredConnection => ({
  sub: SUB,
  tokenExp: NOW_S + 60,
  ttl: NOW_S + 7200,
  connectedAt: NOW_MS - 10_000,
  refreshCount: undefined,
  refreshWindowStart: undefined,
  ...overrides,
});

interface Harness {
  handler: (e: unknown, c?: unknown) => Promise<{ statusCode: number }>;
  frames: Record<string, unknown>[];
  closed: string[];
  updates: sinon.SinonStub;
  lines: string[];
}

function harness(
  reads: StoredRead[],
  options: { updateResults?: ('updated' | 'conflict')[]; deps?: Partial<RefreshDeps> } = {},
): Harness {
  const frames: Record<string, unknown>[] = [];
  const closed: string[] = [];
  const lines: string[] = [];
  const send = sinon.stub().callsFake((command: unknown) => {
    if (command instanceof PostToConnectionCommand) {
      frames.push(
        JSON.parse(Buffer.from(command.input.Data as Uint8Array).toString('utf8')) as Record<string, unknown>,
      );
    } else if (command instanceof DeleteConnectionCommand) closed.push(String(command.input.ConnectionId));
    return Promise.resolve({});
  });
  let readIndex = 0;
  const updates = sinon.stub();
  for (const [i, r] of (options.updateResults ?? ['updated']).entries()) updates.onCall(i).resolves(r);
  const store: RefreshStore = {
    read: () => Promise.resolve(reads[Math.min(readIndex++, reads.length - 1)] as StoredRead),
    update: updates,
  };
  const handler = createRefreshHandler({
    verifier: createTokenVerifier({
      config: verifierConfig(),
      keys: heldKeys({ k1: key.publicKey }),
      now: () => NOW_MS,
    }),
    store,
    management: { forEvent: () => ({ send }) },
    storesClaims: false,
    now: () => NOW_MS,
    log: createLogger('refresh', (line) => lines.push(line)),
    ...options.deps,
  });
  return { handler, frames, closed, updates, lines };
}

describe('refresh: handler', () => {
  it('moves the stored expiry with one conditional update and answers token_refreshed', async () => {
    const h = harness([{ status: 'found', item: storedItem() }]);
    const t = token({ exp: NOW_S + 3600 });
    expect(await h.handler(event({ action: 'refresh', token: t }))).to.deep.equal({ statusCode: 200 });
    expect(h.frames).to.deep.equal([{ type: 'token_refreshed', exp: NOW_S + 3600 }]);
    sinon.assert.calledOnce(h.updates);
    const [id, expected, update, claims] = h.updates.firstCall.args as unknown[];
    expect(id).to.equal(CONNECTION_ID);
    expect(expected).to.deep.equal(storedItem());
    expect(update).to.deep.equal({
      tokenExp: NOW_S + 3600,
      ttl: NOW_S + 7200,
      refreshCount: 1,
      refreshWindowStart: NOW_S,
    });
    expect(claims).to.equal(undefined);
    expect(h.closed).to.deep.equal([]);
    // The token is never logged.
    expect(h.lines.join('\n')).not.to.include(t.split('.')[2]);
    expect(h.lines.map((l) => (JSON.parse(l) as { reason: string }).reason)).to.include('token_refreshed');
  });

  const rejected: [string, () => string, string][] = [
    ["another user's token", () => token({ sub: 'someone-else', exp: NOW_S + 3600 }), 'sub_mismatch'],
    ['an older token', () => token({ exp: NOW_S + 30 }), 'not_newer'],
    ['an expired token', () => token({ exp: NOW_S - 10, iat: NOW_S - 3600 }), 'expired'],
    ['a forged token', () => token({ exp: NOW_S + 3600 }, forger.privateKey), 'bad_signature'],
    ['a token of another client', () => token({ exp: NOW_S + 3600, client_id: 'stranger' }), 'bad_client'],
  ];
  for (const [what, make, detail] of rejected) {
    it(`rejects ${what} (${detail}) and keeps the connection`, async () => {
      const h = harness([{ status: 'found', item: storedItem() }]);
      expect(await h.handler(event({ action: 'refresh', token: make() }))).to.deep.equal({ statusCode: 200 });
      expect(h.frames).to.deep.equal([{ type: 'error', reason: 'refresh_rejected', detail }]);
      sinon.assert.notCalled(h.updates);
      expect(h.closed).to.deep.equal([]);
    });
  }

  it('rejects a malformed message (invalid_request) without reading the store', async () => {
    const h = harness([]);
    await h.handler(event('{"action":"refresh"}'));
    expect(h.frames).to.deep.equal([{ type: 'error', reason: 'refresh_rejected', detail: 'invalid_request' }]);
  });

  it('rejects when the connection item is gone (connection_not_found)', async () => {
    const h = harness([{ status: 'missing' }]);
    await h.handler(event({ action: 'refresh', token: token({ exp: NOW_S + 3600 }) }));
    expect(h.frames).to.deep.equal([{ type: 'error', reason: 'refresh_rejected', detail: 'connection_not_found' }]);
  });

  it('closes a connection whose stored expiry has passed, as $default does, even with a good token', async () => {
    const h = harness([{ status: 'found', item: storedItem({ tokenExp: NOW_S - 1 }) }]);
    await h.handler(event({ action: 'refresh', token: token({ exp: NOW_S + 3600 }) }));
    expect(h.frames).to.deep.equal([{ type: 'error', reason: 'token_expired' }]);
    expect(h.closed).to.deep.equal([CONNECTION_ID]);
    sinon.assert.notCalled(h.updates);
  });

  it('re-reads and re-plans when another refresh changed the item in between', async () => {
    const moved = storedItem({ tokenExp: NOW_S + 600, refreshCount: 1, refreshWindowStart: NOW_S });
    const h = harness(
      [
        { status: 'found', item: storedItem() },
        { status: 'found', item: moved },
      ],
      { updateResults: ['conflict', 'updated'] },
    );
    await h.handler(event({ action: 'refresh', token: token({ exp: NOW_S + 3600 }) }));
    sinon.assert.calledTwice(h.updates);
    expect(h.updates.secondCall.args[1]).to.deep.equal(moved);
    expect(h.updates.secondCall.args[2]).to.deep.include({ refreshCount: 2, refreshWindowStart: NOW_S });
    expect(h.frames).to.deep.equal([{ type: 'token_refreshed', exp: NOW_S + 3600 }]);
  });

  it('gives up after repeated conflicts (conflict), connection kept', async () => {
    const h = harness([{ status: 'found', item: storedItem() }], {
      updateResults: ['conflict', 'conflict', 'conflict'],
    });
    await h.handler(event({ action: 'refresh', token: token({ exp: NOW_S + 3600 }) }));
    expect(h.frames).to.deep.equal([{ type: 'error', reason: 'refresh_rejected', detail: 'conflict' }]);
    expect(h.closed).to.deep.equal([]);
  });

  it('tells the client internal_error (API Gateway request id) and answers 500 when the store cannot be read', async () => {
    const h = harness([]);
    const frames: unknown[] = [];
    const failing = createRefreshHandler({
      verifier: createTokenVerifier({ config: verifierConfig(), keys: heldKeys({}), now: () => NOW_MS }),
      store: { read: () => Promise.reject(new Error('boom')), update: sinon.stub() },
      management: {
        forEvent: () => ({
          send: (command: unknown) => {
            if (command instanceof PostToConnectionCommand)
              frames.push(JSON.parse(Buffer.from(command.input.Data as Uint8Array).toString('utf8')));
            return Promise.resolve({});
          },
        }),
      },
      storesClaims: false,
      now: () => NOW_MS,
      log: createLogger('refresh', (line) => h.lines.push(line)),
    });
    expect(await failing(event({ action: 'refresh', token: 'a.b.c' }), { awsRequestId: 'lambda-9' })).to.deep.equal({
      statusCode: 500,
    });
    expect(frames).to.deep.equal([{ type: 'error', reason: 'internal_error', requestId: 'api-req-1' }]);
    const record = JSON.parse(h.lines.at(-1) ?? '{}') as Record<string, unknown>;
    expect(record).to.include({
      reason: 'store_failed',
      InternalError: 1,
      requestId: 'lambda-9',
      apiRequestId: 'api-req-1',
    });
  });

  it('counts Refresh and RefreshRejected as EMF metrics with both request ids', async () => {
    const h = harness([{ status: 'found', item: storedItem() }]);
    await h.handler(event({ action: 'refresh', token: token({ exp: NOW_S + 3600 }) }), { awsRequestId: 'lambda-1' });
    await h.handler(event({ action: 'refresh' }), { awsRequestId: 'lambda-2' });
    const records = h.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r['reason'] === 'token_refreshed')).to.include({
      Refresh: 1,
      requestId: 'lambda-1',
      apiRequestId: 'api-req-1',
    });
    expect(records.find((r) => r['reason'] === 'refresh_rejected')).to.include({
      RefreshRejected: 1,
      detail: 'invalid_request',
      requestId: 'lambda-2',
    });
  });

  it("writes the new token's context claims when CONTEXT_CLAIMS is set", async () => {
    const h = harness([{ status: 'found', item: storedItem() }], {
      deps: {
        storesClaims: true,
        verifier: createTokenVerifier({
          config: verifierConfig({ contextClaims: [{ name: 'custom:tenant', key: 'claim_custom_tenant' }] }),
          keys: heldKeys({ k1: key.publicKey }),
          now: () => NOW_MS,
        }),
      },
    });
    await h.handler(event({ action: 'refresh', token: token({ exp: NOW_S + 3600, 'custom:tenant': 'acme' }) }));
    expect(h.updates.firstCall.args[3]).to.deep.equal({ 'custom:tenant': 'acme' });
  });
});
