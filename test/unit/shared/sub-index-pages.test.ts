import { expect } from 'chai';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { connectionsOfSub, SUB_INDEX_NAME } from '../../../functions/shared/sub-index-pages.ts';
import { marshalConnectionItem } from '../../../functions/shared/connection-item.ts';
import { connection, FakeTable, OTHER_SUB, SUB } from '../control/fakes.ts';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('shared/sub-index-pages: connectionsOfSub', () => {
  it('queries sub-index for the sub, page by page, oldest first', async () => {
    const table = new FakeTable().add(
      connection('c=', { connectedAt: 3 }),
      connection('a=', { connectedAt: 1 }),
      connection('b=', { connectedAt: 2 }),
      connection('z=', { sub: OTHER_SUB }),
    );
    const sent: QueryCommand[] = [];
    const dynamo = { send: (c: QueryCommand) => (sent.push(c), table.send(c)) };
    const items = await collect(connectionsOfSub(dynamo, 'conns', SUB, { pageSize: 2 }));
    expect(items.map((i) => i.connectionId)).to.deep.equal(['a=', 'b=', 'c=']);
    expect(sent).to.have.length(2);
    expect(sent[0]?.input).to.deep.include({
      IndexName: SUB_INDEX_NAME,
      Limit: 2,
      KeyConditionExpression: '#sub = :sub',
    });
    expect(sent[1]?.input.ExclusiveStartKey?.['connectionId']).to.deep.equal({ S: 'b=' });
  });

  it('reports and skips invalid items and items of another sub', async () => {
    const problems: string[] = [];
    const dynamo = {
      send: () =>
        Promise.resolve({
          Items: [
            marshalConnectionItem(connection('a=')),
            { connectionId: { S: 'x=' } },
            marshalConnectionItem(connection('y=', { sub: OTHER_SUB })),
          ],
        }),
    };
    const items = await collect(connectionsOfSub(dynamo, 'conns', SUB, { onInvalid: (p) => problems.push(p) }));
    expect(items.map((i) => i.connectionId)).to.deep.equal(['a=']);
    expect(problems).to.have.length(2);
    expect(problems[1]).to.equal('sub does not match the query');
  });

  it('throws on malformed output and stops a runaway pagination', async () => {
    const bad = { send: () => Promise.resolve({ Items: 'nope' }) };
    let thrown: unknown;
    await collect(connectionsOfSub(bad, 'conns', SUB)).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.contain('malformed Items');
    const endless = { send: () => Promise.resolve({ Items: [], LastEvaluatedKey: { connectionId: { S: 'a' } } }) };
    thrown = undefined;
    await collect(connectionsOfSub(endless, 'conns', SUB, { maxPages: 3 })).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.contain('stopped after 3 pages');
    for (const output of [undefined, { Items: [], LastEvaluatedKey: 'k' }]) {
      thrown = undefined;
      const dynamo = { send: () => Promise.resolve(output) };
      await collect(connectionsOfSub(dynamo, 'conns', SUB)).catch((err: unknown) => (thrown = err));
      expect(String(thrown), JSON.stringify(output)).to.contain('Query returned');
    }
    thrown = undefined;
    await collect(connectionsOfSub(bad, 'conns', '')).catch((err: unknown) => (thrown = err));
    expect(thrown).to.be.instanceOf(TypeError);
  });
});
