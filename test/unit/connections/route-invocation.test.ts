import { expect } from 'chai';
import { openRouteInvocation } from '../../../functions/shared/route-invocation.ts';
import type { ManagementClients, ManagementLike } from '../../../functions/shared/management-clients.ts';
import { CONNECTION_ID, captureLog, messageEvent } from './helpers.ts';

const client = { send: () => Promise.resolve({}) } as unknown as ManagementLike;
const management = (forEvent: (event: unknown) => ManagementLike): ManagementClients => ({ forEvent });

describe('openRouteInvocation', () => {
  it('gives the ids, a bound logger, the connection id and the event’s management client', () => {
    const captured = captureLog('default');
    const opened = openRouteInvocation(
      messageEvent('hi'),
      { awsRequestId: 'lambda-1' },
      captured.log,
      management(() => client),
    );
    if (!opened.ok) expect.fail(`expected an opened invocation, got ${opened.reason}`);
    expect(opened.connectionId).to.equal(CONNECTION_ID);
    expect(opened.client).to.equal(client);
    expect(opened.ids.requestId).to.equal('lambda-1');
    opened.log('info', 'probe');
    expect(captured.records()[0]).to.include({ reason: 'probe', requestId: 'lambda-1' });
  });

  it('answers bad_event and logs it when the connection id is missing', () => {
    const captured = captureLog('default');
    const event = messageEvent('hi');
    delete (event['requestContext'] as Record<string, unknown>)['connectionId'];
    expect(
      openRouteInvocation(
        event,
        undefined,
        captured.log,
        management(() => client),
      ),
    ).to.deep.equal({
      ok: false,
      reason: 'bad_event',
    });
    expect(captured.reasons()).to.deep.equal(['bad_event']);
  });

  it('answers bad_event when no management client fits the event', () => {
    const captured = captureLog('refresh');
    const opened = openRouteInvocation(
      messageEvent('hi'),
      undefined,
      captured.log,
      management(() => {
        throw new Error('no domainName');
      }),
    );
    expect(opened).to.deep.equal({ ok: false, reason: 'bad_event' });
    expect(captured.records()[0]).to.include({ reason: 'bad_event', detail: 'Error: no domainName' });
  });
});
