import { expect } from 'chai';
import { checkConnectionLimit } from '../../../functions/connect/connection-limit.ts';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { createLogger } from '../../../functions/shared/log.ts';
import { connection, FakeManagement, FakeTable, NOW_MS, NOW_S, OTHER_SUB, SUB } from '../control/fakes.ts';

function setup(table: FakeTable, management = new FakeManagement()) {
  const lines: string[] = [];
  const deps = {
    dynamo: table,
    tableName: 'conns',
    store: createConnectionStore({ dynamo: table, tableName: 'conns' }),
    management,
    log: createLogger('connect', { sink: (l) => lines.push(l), level: 'debug' }),
  };
  const check = (max: number, connectionId = 'new=') =>
    checkConnectionLimit(deps, { sub: SUB, connectionId, max, nowMs: NOW_MS });
  return { check, management, reasons: () => lines.map((l) => (JSON.parse(l) as { reason: string }).reason) };
}

describe('connections: per-user limit', () => {
  it('makes no call when the limit is 0 (unlimited)', async () => {
    const table = new FakeTable().add(connection('a='));
    expect(await setup(table).check(0)).to.deep.equal({ ok: true, live: 0, removed: 0 });
    expect(table.calls).to.deep.equal([]);
  });

  it('accepts below the limit, counting only this sub', async () => {
    const table = new FakeTable().add(
      connection('a='),
      connection('z1=', { sub: OTHER_SUB }),
      connection('z2=', { sub: OTHER_SUB }),
    );
    expect(await setup(table).check(2)).to.deep.equal({ ok: true, live: 1, removed: 0 });
  });

  it('does not count items past their stored token expiry or their TTL', async () => {
    const table = new FakeTable().add(
      connection('a='),
      connection('exp=', { tokenExp: NOW_S - 1 }),
      connection('ttl=', { ttl: NOW_S - 1 }),
    );
    const { check, management } = setup(table);
    expect(await check(2)).to.deep.equal({ ok: true, live: 1, removed: 0 });
    expect(management.gets).to.deep.equal([]);
  });

  it('does not count the connection being opened (a retried $connect finds its own item)', async () => {
    const table = new FakeTable().add(connection('a='), connection('new='));
    expect(await setup(table).check(2)).to.include({ ok: true, live: 1 });
  });

  it('refuses at the limit when every counted connection is live', async () => {
    const table = new FakeTable().add(connection('a='), connection('b='));
    const management = new FakeManagement().set('live', 'a=', 'b=');
    const { check } = setup(table, management);
    expect(await check(2)).to.deep.equal({ ok: false, reason: 'limit_reached', live: 2, removed: 0 });
    expect(management.gets.sort()).to.deep.equal(['a=', 'b=']);
    expect(table.items.size).to.equal(2);
  });

  it('at the limit, deletes gone connections (a lost $disconnect) and accepts', async () => {
    const table = new FakeTable().add(connection('old=', { connectedAt: 1 }), connection('b=', { connectedAt: 2 }));
    const management = new FakeManagement().set('gone', 'old=').set('live', 'b=');
    const { check, reasons } = setup(table, management);
    expect(await check(2)).to.deep.equal({ ok: true, live: 1, removed: 1 });
    expect([...table.items.keys()]).to.deep.equal(['b=']);
    expect(reasons()).to.include('stale_connection_removed');
  });

  it('checks oldest first and stops once enough room is found', async () => {
    const table = new FakeTable();
    const management = new FakeManagement();
    for (let i = 0; i < 25; i += 1) {
      table.add(connection(`c${String(i).padStart(2, '0')}=`, { connectedAt: i }));
      management.set(i === 0 ? 'gone' : 'live', `c${String(i).padStart(2, '0')}=`);
    }
    const { check } = setup(table, management);
    expect(await check(25)).to.deep.equal({ ok: true, live: 24, removed: 1 });
    // One batch of 10, oldest first; the other 15 were never asked about.
    expect(management.gets).to.have.length(10);
    expect(management.gets).to.include('c00=');
  });

  it('counts a connection whose check fails as live (fails closed), with a warning', async () => {
    const table = new FakeTable().add(connection('a='));
    const management = new FakeManagement().set('failing', 'a=');
    const { check, reasons } = setup(table, management);
    expect(await check(1)).to.deep.equal({ ok: false, reason: 'limit_reached', live: 1, removed: 0 });
    expect(reasons()).to.include('connection_check_failed');
  });

  it('accepts, logging orphan_left, when a gone connection item cannot be deleted', async () => {
    const table = new FakeTable().add(connection('a='));
    table.failing.add('DeleteItem');
    const { check, reasons } = setup(table, new FakeManagement().set('gone', 'a='));
    expect(await check(1)).to.include({ ok: true, removed: 1 });
    expect(reasons()).to.include('orphan_left');
  });

  it('lets a Query failure through to the caller (the handshake then fails with 500)', async () => {
    const table = new FakeTable().add(connection('a='));
    table.failing.add('Query');
    let thrown: unknown;
    await setup(table)
      .check(1)
      .catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.contain('Query failed');
  });
});
