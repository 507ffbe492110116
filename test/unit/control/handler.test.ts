// Every row of the control table (issue 9 and `revoke` of issue 8) through the real handler, store and
// sub-index paging, over in-memory services.
import { expect } from 'chai';
import {
  createControlHandler,
  DEADLINE_MARGIN_MS,
  MAX_LIST_ENTRIES,
  REVOKE_SECOND_SWEEP_MS,
  type ControlDeps,
} from '../../../functions/control/handler.ts';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { createLogger } from '../../../functions/shared/log.ts';
import { connection, FakeManagement, FakeTable, NOW_MS, NOW_S, OTHER_SUB, SUB } from './fakes.ts';

function setup(
  options: {
    table?: FakeTable;
    management?: FakeManagement;
    revocations?: boolean;
    concurrency?: number;
    pageSize?: number;
    sleep?: (ms: number) => Promise<void>;
  } = {},
) {
  const table = options.table ?? new FakeTable();
  const management = options.management ?? new FakeManagement();
  const lines: string[] = [];
  const log = createLogger('control', { sink: (l) => lines.push(l), level: 'debug', now: () => NOW_MS });
  const deps: ControlDeps = {
    config: { tableName: 'conns', revocationsTable: options.revocations === false ? undefined : 'revocations' },
    dynamo: table,
    store: createConnectionStore({ dynamo: table, tableName: 'conns' }),
    management,
    now: () => NOW_MS,
    log,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    pageSize: options.pageSize ?? 2,
    sleep: options.sleep ?? (() => Promise.resolve()),
  };
  const handler = createControlHandler(deps);
  const records = (): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { handler, table, management, records, reasons: () => records().map((r) => r['reason']) };
}

const context = { awsRequestId: 'lambda-req-1', getRemainingTimeInMillis: () => 25_000 };

describe('control: send', () => {
  it('pushes {"type":"push","message":M,"sentAt"} to every live connection of the sub, across pages', async () => {
    const table = new FakeTable().add(
      connection('a='),
      connection('b=', { connectedAt: NOW_MS - 50_000 }),
      connection('c=', { connectedAt: NOW_MS - 40_000 }),
      connection('z=', { sub: OTHER_SUB }),
    );
    const management = new FakeManagement().set('live', 'a=', 'b=', 'c=', 'z=');
    const { handler, records } = setup({ table, management });
    const answer = await handler({ op: 'send', sub: SUB, message: { hello: 1 } }, context);
    expect(answer).to.deep.equal({ delivered: 3, gone: 0, expired: 0, failed: 0 });
    expect(management.posts.map((p) => p.connectionId).sort()).to.deep.equal(['a=', 'b=', 'c=']);
    expect(management.postsTo('a=')).to.deep.equal([
      { type: 'push', message: { hello: 1 }, sentAt: new Date(NOW_MS).toISOString() },
    ]);
    expect(table.calls.filter((c) => c === 'Query')).to.have.length(2);
    const summary = records().find((r) => r['reason'] === 'push_sent');
    expect(summary).to.include({
      requestId: 'lambda-req-1',
      op: 'send',
      sub: SUB,
      Push: 3,
      GoneCleanup: 0,
      delivered: 3,
    });
    expect(summary).to.have.nested.property('_aws.CloudWatchMetrics[0].Namespace');
  });

  it('sends to one connection by connectionId', async () => {
    const table = new FakeTable().add(connection('a='), connection('b='));
    const management = new FakeManagement().set('live', 'a=', 'b=');
    const { handler } = setup({ table, management });
    expect(await handler({ op: 'send', connectionId: 'b=', message: 'hi' }, context)).to.deep.equal({
      delivered: 1,
      gone: 0,
      expired: 0,
      failed: 0,
    });
    expect(management.posts.map((p) => p.connectionId)).to.deep.equal(['b=']);
    expect(management.postsTo('b=')[0]).to.include({ type: 'push', message: 'hi' });
  });

  it('counts a connectionId with no item as gone without posting', async () => {
    const { handler, management } = setup();
    expect(await handler({ op: 'send', connectionId: 'nope=', message: 1 }, context)).to.deep.equal({
      delivered: 0,
      gone: 1,
      expired: 0,
      failed: 0,
    });
    expect(management.posts).to.have.length(0);
  });

  it('mixed fan-out: live delivered, gone cleaned up, expired closed and cleaned, failing counted; the fan-out goes on', async () => {
    const table = new FakeTable().add(
      connection('live1='),
      connection('gone1='),
      connection('exp1=', { tokenExp: NOW_S - 1 }),
      connection('exp2=', { tokenExp: NOW_S }),
      connection('fail1='),
      connection('live2='),
      connection('ttl1=', { ttl: NOW_S - 10 }),
      connection('expfail=', { tokenExp: NOW_S - 5 }),
    );
    const management = new FakeManagement()
      .set('live', 'live1=', 'live2=', 'exp1=', 'exp2=')
      .set('gone', 'gone1=', 'ttl1=')
      .set('failing', 'fail1=')
      .set('failing-delete', 'expfail=');
    const { handler, reasons, records } = setup({ table, management });
    const answer = await handler({ op: 'send', sub: SUB, message: { n: 1 } }, context);
    expect(answer).to.deep.equal({ delivered: 2, gone: 2, expired: 2, failed: 2 });
    // Expired connections were told why and closed, never sent the push.
    expect(management.postsTo('exp1=')).to.deep.equal([{ type: 'error', reason: 'token_expired' }]);
    expect(management.deletes.sort()).to.deep.equal(['exp1=', 'exp2=']);
    // Items: live and failing kept; gone and expired removed; the connection that could not be closed kept.
    expect([...table.items.keys()].sort()).to.deep.equal(['expfail=', 'fail1=', 'live1=', 'live2=']);
    expect(reasons()).to.include.members(['post_failed', 'close_failed', 'token_expired', 'stale_connection_removed']);
    const failure = records().find((r) => r['reason'] === 'post_failed' && r['connectionId'] === 'fail1=');
    expect(failure).to.include({ level: 'error', error: 'LimitExceededException', answer: 'push' });
    const summary = records().find((r) => r['reason'] === 'push_sent');
    expect(summary).to.include({ level: 'warn', Push: 2, GoneCleanup: 2, TokenExpired: 2, failed: 2 });
  });

  it('answers message_too_large when the whole frame exceeds 131,072 bytes, touching nothing', async () => {
    const table = new FakeTable().add(connection('a='));
    const management = new FakeManagement().set('live', 'a=');
    const { handler } = setup({ table, management });
    const overhead = Buffer.byteLength(
      JSON.stringify({ type: 'push', message: '', sentAt: new Date(NOW_MS).toISOString() }),
    );
    const fits = 'x'.repeat(131_072 - overhead);
    expect(await handler({ op: 'send', sub: SUB, message: fits }, context)).to.include({ delivered: 1 });
    expect(await handler({ op: 'send', sub: SUB, message: `${fits}x` }, context)).to.deep.equal({
      error: 'message_too_large',
    });
    // Multi-byte characters count in bytes, not characters.
    expect(await handler({ op: 'send', sub: SUB, message: 'é'.repeat(70_000) }, context)).to.deep.equal({
      error: 'message_too_large',
    });
    expect(management.posts).to.have.length(1);
    expect(table.calls.filter((c) => c === 'Query')).to.have.length(1);
  });

  it('keeps at most `concurrency` management calls in flight', async () => {
    const table = new FakeTable();
    const management = new FakeManagement(2);
    for (let i = 0; i < 60; i += 1) {
      table.add(connection(`c${i}=`, { connectedAt: NOW_MS - i }));
      management.set('live', `c${i}=`);
    }
    const { handler } = setup({ table, management, concurrency: 5, pageSize: 7 });
    expect(await handler({ op: 'send', sub: SUB, message: 1 }, context)).to.include({ delivered: 60 });
    expect(management.maxInFlight).to.equal(5);
  });

  it('stops starting connections when the invocation is about to time out, and says so', async () => {
    const table = new FakeTable().add(connection('a='), connection('b='), connection('c='));
    const management = new FakeManagement().set('live', 'a=', 'b=', 'c=');
    const { handler, reasons } = setup({ table, management, concurrency: 1 });
    let left = 6000;
    const shortContext = { awsRequestId: 'r', getRemainingTimeInMillis: () => (left -= 1500) };
    const answer = await handler({ op: 'send', sub: SUB, message: 1 }, shortContext);
    expect(answer).to.deep.equal({ delivered: 1, gone: 0, expired: 0, failed: 0, truncated: true });
    expect(reasons()).to.include('deadline_reached');
  });
});

describe('control: disconnect', () => {
  it('closes every connection of the sub with DeleteConnection and deletes their items', async () => {
    const table = new FakeTable().add(
      connection('a='),
      connection('b='),
      connection('c='),
      connection('z=', { sub: OTHER_SUB }),
    );
    const management = new FakeManagement().set('live', 'a=', 'b=', 'z=').set('gone', 'c=');
    const { handler } = setup({ table, management });
    expect(await handler({ op: 'disconnect', sub: SUB }, context)).to.deep.equal({ closed: 2, gone: 1, failed: 0 });
    expect(management.deletes.sort()).to.deep.equal(['a=', 'b=']);
    expect([...table.items.keys()]).to.deep.equal(['z=']);
  });

  it('closes one connection by connectionId, item or not', async () => {
    const table = new FakeTable().add(connection('a='));
    const management = new FakeManagement().set('live', 'a=', 'x=');
    const { handler } = setup({ table, management });
    expect(await handler({ op: 'disconnect', connectionId: 'a=' }, context)).to.deep.equal({
      closed: 1,
      gone: 0,
      failed: 0,
    });
    expect(await handler({ op: 'disconnect', connectionId: 'x=' }, context)).to.deep.equal({
      closed: 1,
      gone: 0,
      failed: 0,
    });
    expect(await handler({ op: 'disconnect', connectionId: 'a=' }, context)).to.deep.equal({
      closed: 0,
      gone: 1,
      failed: 0,
    });
    expect(table.items.size).to.equal(0);
  });

  it('counts a connection that cannot be closed as failed and keeps its item for a retry', async () => {
    const table = new FakeTable().add(connection('a='), connection('b='));
    const management = new FakeManagement().set('failing', 'a=').set('live', 'b=');
    const { handler, records } = setup({ table, management });
    expect(await handler({ op: 'disconnect', sub: SUB }, context)).to.deep.equal({ closed: 1, gone: 0, failed: 1 });
    expect([...table.items.keys()]).to.deep.equal(['a=']);
    expect(records().find((r) => r['reason'] === 'close_failed')).to.include({
      connectionId: 'a=',
      error: 'LimitExceededException',
    });
  });
});

describe('control: list', () => {
  it('returns connectionId, connectedAt (ms), tokenExp (s) and claims of the live connections only', async () => {
    const table = new FakeTable().add(
      connection('a=', { connectedAt: NOW_MS - 3000 }),
      connection('b=', { connectedAt: NOW_MS - 2000, tokenExp: NOW_S + 60, claims: { 'custom:tenant': 'acme' } }),
      connection('exp=', { tokenExp: NOW_S - 1 }),
      connection('ttl=', { ttl: NOW_S }),
      connection('z=', { sub: OTHER_SUB }),
    );
    const { handler, management } = setup({ table });
    expect(await handler({ op: 'list', sub: SUB }, context)).to.deep.equal({
      connections: [
        { connectionId: 'a=', connectedAt: NOW_MS - 3000, tokenExp: NOW_S + 3600, claims: {} },
        { connectionId: 'b=', connectedAt: NOW_MS - 2000, tokenExp: NOW_S + 60, claims: { 'custom:tenant': 'acme' } },
      ],
    });
    // Listing changes nothing.
    expect(table.items.size).to.equal(5);
    expect(management.posts.length + management.deletes.length).to.equal(0);
  });

  it('answers an empty list for a sub with no connections', async () => {
    expect(await setup().handler({ op: 'list', sub: SUB }, context)).to.deep.equal({ connections: [] });
  });

  it(`stops at ${MAX_LIST_ENTRIES} entries and says the list is truncated`, async () => {
    const table = new FakeTable();
    for (let i = 0; i <= MAX_LIST_ENTRIES; i += 1) table.add(connection(`c${i}=`, { connectedAt: NOW_MS - 5000 + i }));
    const answer = await setup({ table, pageSize: 250 }).handler({ op: 'list', sub: SUB }, context);
    expect((answer['connections'] as unknown[]).length).to.equal(MAX_LIST_ENTRIES);
    expect(answer['truncated']).to.equal(true);
  });

  it('skips items that fail validation, with a warning', async () => {
    const table = new FakeTable()
      .add(connection('a='))
      .addRaw('bad=', { connectionId: { S: 'bad=' }, sub: { S: SUB }, connectedAt: { N: '1' } });
    const { handler, records } = setup({ table });
    expect(await handler({ op: 'list', sub: SUB }, context)).to.deep.equal({
      connections: [{ connectionId: 'a=', connectedAt: NOW_MS - 60_000, tokenExp: NOW_S + 3600, claims: {} }],
    });
    expect(records().find((r) => r['reason'] === 'item_invalid')).to.include({ level: 'warn' });
  });
});

describe('control: revoke', () => {
  it('records {sub, revokedAt, ttl = revokedAt + 2 days}, closes every live connection and deletes their items', async () => {
    const table = new FakeTable().add(
      connection('a='),
      connection('b='),
      connection('c='),
      connection('z=', { sub: OTHER_SUB }),
    );
    const management = new FakeManagement().set('live', 'a=', 'b=', 'z=').set('gone', 'c=');
    const { handler } = setup({ table, management });
    expect(await handler({ op: 'revoke', sub: SUB }, context)).to.deep.equal({
      closed: 2,
      revokedAt: NOW_S,
      gone: 1,
      failed: 0,
    });
    expect(table.revocations.get(SUB)).to.deep.equal({
      sub: { S: SUB },
      revokedAt: { N: String(NOW_S) },
      ttl: { N: String(NOW_S + 172_800) },
    });
    expect(management.deletes.sort()).to.deep.equal(['a=', 'b=']);
    expect([...table.items.keys()]).to.deep.equal(['z=']);
  });

  it('sweeps a second time after a delay, closing a connection stored after the first sweep (handshake in flight)', async () => {
    const table = new FakeTable().add(connection('a='));
    const management = new FakeManagement().set('live', 'a=', 'late=');
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      // The in-flight $connect's PutItem lands while revoke waits.
      table.add(connection('late='));
      return Promise.resolve();
    };
    const { handler } = setup({ table, management, sleep });
    expect(await handler({ op: 'revoke', sub: SUB }, context)).to.deep.equal({
      closed: 2,
      revokedAt: NOW_S,
      gone: 0,
      failed: 0,
    });
    expect(waits).to.deep.equal([REVOKE_SECOND_SWEEP_MS]);
    expect(management.deletes.sort()).to.deep.equal(['a=', 'late=']);
    expect(table.items.size).to.equal(0);
  });

  it('skips the second sweep, answering truncated, when the invocation has no time left for it', async () => {
    const table = new FakeTable().add(connection('a='));
    const management = new FakeManagement().set('live', 'a=');
    let slept = false;
    const { handler, records } = setup({ table, management, sleep: () => ((slept = true), Promise.resolve()) });
    const short = { awsRequestId: 'lambda-req-2', getRemainingTimeInMillis: () => DEADLINE_MARGIN_MS + 100 };
    expect(await handler({ op: 'revoke', sub: SUB }, short)).to.deep.include({ closed: 1, truncated: true });
    expect(slept).to.equal(false);
    expect(records().map((r) => r['detail'])).to.include('second revoke sweep skipped');
  });

  it('never moves a later revocation back in time', async () => {
    const table = new FakeTable();
    table.revocations.set(SUB, { sub: { S: SUB }, revokedAt: { N: String(NOW_S + 5) }, ttl: { N: '1' } });
    const { handler } = setup({ table });
    expect(await handler({ op: 'revoke', sub: SUB }, context)).to.include({ closed: 0, revokedAt: NOW_S });
    expect(table.revocations.get(SUB)?.['revokedAt']).to.deep.equal({ N: String(NOW_S + 5) });
  });

  it('answers revocation_disabled without REVOCATIONS_TABLE, and closes nothing', async () => {
    const table = new FakeTable().add(connection('a='));
    const management = new FakeManagement().set('live', 'a=');
    const { handler } = setup({ table, management, revocations: false });
    expect(await handler({ op: 'revoke', sub: SUB }, context)).to.deep.equal({ error: 'revocation_disabled' });
    expect(management.deletes).to.have.length(0);
    expect(table.calls).to.have.length(0);
  });

  it('fails the invocation, closing nothing, when the revocation cannot be recorded', async () => {
    const table = new FakeTable().add(connection('a='));
    table.failing.add('PutItem');
    const management = new FakeManagement().set('live', 'a=');
    const { handler, records } = setup({ table, management });
    let thrown: unknown;
    await handler({ op: 'revoke', sub: SUB }, context).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.match(/^InternalError: internal_error: record revocation failed/);
    expect(management.deletes).to.have.length(0);
    expect(records().at(-1)).to.include({
      level: 'error',
      reason: 'internal_error',
      InternalError: 1,
      step: 'record revocation',
    });
  });
});

describe('control: bad payloads and storage failures', () => {
  const bad: [string, unknown, RegExp][] = [
    ['not an object', 'send', /JSON object/],
    ['an array', [{ op: 'list' }], /JSON object/],
    ['null', null, /JSON object/],
    ['missing op', { sub: SUB }, /op is required/],
    ['unknown op', { op: 'kick', sub: SUB }, /op must be one of send, disconnect, list, revoke/],
    ['op of the wrong type', { op: 1, sub: SUB }, /op must be one of/],
    [
      'both sub and connectionId',
      { op: 'send', sub: SUB, connectionId: 'a=', message: 1 },
      /exactly one of sub and connectionId/,
    ],
    ['neither sub nor connectionId', { op: 'disconnect' }, /exactly one of sub and connectionId/],
    ['sub of the wrong type', { op: 'send', sub: 42, message: 1 }, /sub must be a string/],
    ['empty sub', { op: 'list', sub: '' }, /sub must not be empty/],
    ['overlong sub', { op: 'list', sub: 'x'.repeat(257) }, /at most 256/],
    ['connectionId of the wrong type', { op: 'disconnect', connectionId: ['a='] }, /connectionId must be a string/],
    ['connectionId with spaces', { op: 'disconnect', connectionId: 'a b' }, /printable ASCII/],
    ['send without message', { op: 'send', sub: SUB }, /message is required/],
    ['list by connectionId', { op: 'list', connectionId: 'a=' }, /unknown key "connectionId" for op list/],
    ['list without sub', { op: 'list' }, /sub is required for op list/],
    ['revoke without sub', { op: 'revoke' }, /sub is required for op revoke/],
    ['an unknown key', { op: 'send', sub: SUB, message: 1, messsage: 2 }, /unknown key "messsage"/],
  ];
  for (const [name, payload, message] of bad) {
    it(`answers invalid_request, never throws: ${name}`, async () => {
      const { handler, table, records } = setup();
      const answer = await handler(payload, context);
      expect(answer['error']).to.equal('invalid_request');
      expect(String(answer['message'])).to.match(message);
      expect(Object.keys(answer).sort()).to.deep.equal(['error', 'message']);
      expect(table.calls).to.have.length(0);
      expect(records()[0]).to.include({ level: 'warn', reason: 'invalid_request', requestId: 'lambda-req-1' });
    });
  }

  it('answers invalid_request for a message JSON cannot hold, without crashing', async () => {
    const { handler } = setup();
    const answer = await handler({ op: 'send', sub: SUB, message: { n: 10n } }, context);
    expect(answer).to.deep.equal({ error: 'invalid_request', message: 'message cannot be serialised as JSON' });
  });

  it('fails the invocation with internal_error when sub-index cannot be read, counted as InternalError', async () => {
    const table = new FakeTable().add(connection('a='));
    table.failing.add('Query');
    const { handler, records } = setup({ table });
    let thrown: unknown;
    await handler({ op: 'send', sub: SUB, message: 1 }, context).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.match(/internal_error: query sub-index failed \(InternalServerError: Query failed\)/);
    expect(records().at(-1)).to.include({ reason: 'internal_error', op: 'send', InternalError: 1 });
  });

  it('a Query failing in the middle of a fan-out fails the invocation after the first pages were served', async () => {
    const table = new FakeTable().add(
      connection('a=', { connectedAt: 1 }),
      connection('b=', { connectedAt: 2 }),
      connection('c=', { connectedAt: 3 }),
    );
    table.failQueryFromPage = 1;
    const management = new FakeManagement().set('live', 'a=', 'b=', 'c=');
    const { handler } = setup({ table, management, pageSize: 2 });
    let thrown: unknown;
    await handler({ op: 'send', sub: SUB, message: 1 }, context).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.match(/internal_error: query sub-index failed/);
    expect(management.posts.map((p) => p.connectionId).sort()).to.deep.equal(['a=', 'b=']);
  });

  it('an item that cannot be deleted after a gone connection is logged as orphan_left, and still counts as gone', async () => {
    const table = new FakeTable().add(connection('a='));
    table.failing.add('DeleteItem');
    const { handler, records } = setup({ table });
    expect(await handler({ op: 'send', sub: SUB, message: 1 }, context)).to.include({ gone: 1, failed: 0 });
    expect(records().find((r) => r['reason'] === 'orphan_left')).to.include({ connectionId: 'a=', level: 'error' });
  });

  it('fails with internal_error when the item of a connectionId cannot be read', async () => {
    const table = new FakeTable();
    table.failing.add('GetItem');
    let thrown: unknown;
    await setup({ table })
      .handler({ op: 'send', connectionId: 'a=', message: 1 }, context)
      .catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.match(/internal_error: get item failed/);
  });
});
