// Issue 9: 1,000 connections of one user must be served well within the control function's timeout. The
// management API is simulated with a fixed latency per call; the figure is printed, not asserted (it depends
// on the machine), while the delivery itself is.
import { expect } from 'chai';
import { createControlHandler, DEFAULT_CONCURRENCY } from '../../../functions/control/handler.ts';
import { createConnectionStore } from '../../../functions/shared/connection-store.ts';
import { createLogger } from '../../../functions/shared/log.ts';
import { DEFAULT_PAGE_SIZE } from '../../../functions/shared/sub-index-pages.ts';
import { connection, FakeManagement, FakeTable, NOW_MS, SUB } from './fakes.ts';

const CONNECTIONS = 1000;

describe('control: fan-out to 1,000 connections of one user (benchmark, printed)', function () {
  this.timeout(60_000);
  for (const latencyMs of [0, 20, 50]) {
    it(`send with a simulated ${latencyMs} ms PostToConnection latency`, async () => {
      const table = new FakeTable();
      const management = new FakeManagement(latencyMs);
      for (let i = 0; i < CONNECTIONS; i += 1) {
        table.add(connection(`conn-${i}=`, { connectedAt: NOW_MS - CONNECTIONS + i }));
        management.set('live', `conn-${i}=`);
      }
      const handler = createControlHandler({
        config: { tableName: 'conns', revocationsTable: undefined },
        dynamo: table,
        store: createConnectionStore({ dynamo: table, tableName: 'conns' }),
        management,
        now: () => NOW_MS,
        log: createLogger('control', { sink: () => undefined, level: 'warn' }),
      });
      const started = process.hrtime.bigint();
      const answer = await handler({ op: 'send', sub: SUB, message: { hello: 1 } }, { awsRequestId: 'bench' });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(answer).to.deep.equal({ delivered: CONNECTIONS, gone: 0, expired: 0, failed: 0 });
      expect(management.maxInFlight).to.be.at.most(DEFAULT_CONCURRENCY);
      process.stdout.write(
        `      control send to ${CONNECTIONS} connections, ${latencyMs} ms per call, concurrency ${DEFAULT_CONCURRENCY}, ` +
          `page ${DEFAULT_PAGE_SIZE}: ${ms.toFixed(0)} ms (${table.calls.filter((c) => c === 'Query').length} Query pages)\n`,
      );
    });
  }
});
