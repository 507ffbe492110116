import { expect } from 'chai';
import sinon from 'sinon';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  createManagementClients,
  deleteConnection,
  endpointFromEvent,
  isGoneError,
  postToConnection,
  type ManagementLike,
} from '../../../functions/shared/management-clients.ts';
import { messageEvent } from './helpers.ts';
import { rejectionOf } from '../../support/failures.ts';

function fakeClient(): ManagementLike {
  return { send: sinon.stub().resolves({}) };
}

describe('connections: management endpoint selection', () => {
  it('derives https://{domainName}/{stage} from the event', () => {
    expect(endpointFromEvent(messageEvent('x'))).to.equal('https://abc123.execute-api.eu-west-1.amazonaws.com/dev');
    expect(
      endpointFromEvent(messageEvent('x', { context: { domainName: 'ws.example.com', stage: 'prod_2' } })),
    ).to.equal('https://ws.example.com/prod_2');
  });

  it('refuses a domainName or stage that would not make a clean URL', () => {
    for (const context of [
      { domainName: undefined },
      { domainName: 'evil.com/path?x=' },
      { domainName: 'user@evil.com' },
      { stage: undefined },
      { stage: '../admin' },
      { stage: 'a/b' },
    ]) {
      expect(() => endpointFromEvent(messageEvent('x', { context })), JSON.stringify(context)).to.throw(
        /domainName|stage/,
      );
    }
  });

  it('with an endpoint in the environment, builds one client without an explicit endpoint and reuses it', () => {
    const createClient = sinon.stub().callsFake(fakeClient);
    const clients = createManagementClients({ endpointFromEnv: 'http://127.0.0.1:3001/dev', createClient });
    const first = clients.forEvent(messageEvent('x'));
    const second = clients.forEvent(messageEvent('x', { context: { stage: 'other' } }));
    expect(second).to.equal(first);
    sinon.assert.calledOnceWithExactly(createClient, undefined);
  });

  it('with an endpoint in the environment, needs no domainName in the event', () => {
    const clients = createManagementClients({ endpointFromEnv: 'http://127.0.0.1:3001/dev', createClient: fakeClient });
    expect(() => clients.forEvent(messageEvent('x', { context: { domainName: undefined } }))).to.not.throw();
  });

  it('without one, builds one client per event endpoint, passing it explicitly, and reuses it across invocations', () => {
    const createClient = sinon.stub().callsFake(fakeClient);
    const clients = createManagementClients({ endpointFromEnv: undefined, createClient });
    const a1 = clients.forEvent(messageEvent('x'));
    const a2 = clients.forEvent(messageEvent('y'));
    const b = clients.forEvent(messageEvent('x', { context: { stage: 'prod' } }));
    expect(a2).to.equal(a1);
    expect(b).to.not.equal(a1);
    expect(createClient.args).to.deep.equal([
      ['https://abc123.execute-api.eu-west-1.amazonaws.com/dev'],
      ['https://abc123.execute-api.eu-west-1.amazonaws.com/prod'],
    ]);
  });

  it('keeps at most maxClients clients, dropping the oldest', () => {
    const createClient = sinon.stub().callsFake(fakeClient);
    const clients = createManagementClients({ endpointFromEnv: undefined, createClient, maxClients: 2 });
    for (const stage of ['s1', 's2', 's3', 's1']) clients.forEvent(messageEvent('x', { context: { stage } }));
    // s1 was evicted by s3, so asking for it again builds a new client.
    expect(createClient.callCount).to.equal(4);
  });

  it('makes the real SDK client send to the explicit endpoint with the stage and the encoded connection id', async () => {
    const client = new ApiGatewayManagementApiClient({
      endpoint: endpointFromEvent(messageEvent('x')),
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const seen: { hostname: string; path: string; method: string }[] = [];
    // Stops the request after it is built and before it is signed or sent.
    client.middlewareStack.add(
      () => (args) => {
        const request = args.request as { hostname: string; path: string; method: string };
        seen.push({ hostname: request.hostname, path: request.path, method: request.method });
        return Promise.resolve({ output: { $metadata: {} }, response: {} });
      },
      { step: 'build', name: 'captureRequest' },
    );
    await postToConnection(client, 'R1kmxc2VNjMCFIA=', Buffer.from('hi'));
    await deleteConnection(client, 'R1kmxc2VNjMCFIA=');
    expect(seen).to.deep.equal([
      {
        hostname: 'abc123.execute-api.eu-west-1.amazonaws.com',
        path: '/dev/@connections/R1kmxc2VNjMCFIA%3D',
        method: 'POST',
      },
      {
        hostname: 'abc123.execute-api.eu-west-1.amazonaws.com',
        path: '/dev/@connections/R1kmxc2VNjMCFIA%3D',
        method: 'DELETE',
      },
    ]);
  });
});

describe('connections: management calls', () => {
  it('posts the data to the connection with PostToConnection', async () => {
    const send = sinon.stub().resolves({});
    const data = Buffer.from('{"type":"echo"}');
    expect(await postToConnection({ send }, 'abc=', data)).to.equal('sent');
    const command = send.firstCall.args[0] as PostToConnectionCommand;
    expect(command).to.be.instanceOf(PostToConnectionCommand);
    expect(command.input).to.deep.equal({ ConnectionId: 'abc=', Data: data });
  });

  it('closes the connection with DeleteConnection', async () => {
    const send = sinon.stub().resolves({});
    expect(await deleteConnection({ send }, 'abc=')).to.equal('closed');
    const command = send.firstCall.args[0] as DeleteConnectionCommand;
    expect(command).to.be.instanceOf(DeleteConnectionCommand);
    expect(command.input).to.deep.equal({ ConnectionId: 'abc=' });
  });

  it('reports a GoneException as gone for both calls', async () => {
    const gone = new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } });
    expect(await postToConnection({ send: sinon.stub().rejects(gone) }, 'abc=', Buffer.from('x'))).to.equal('gone');
    expect(await deleteConnection({ send: sinon.stub().rejects(gone) }, 'abc=')).to.equal('gone');
  });

  it('treats a bare 410 (no error type header, so name "Unknown") as gone, and nothing else', () => {
    expect(isGoneError(new GoneException({ message: 'gone', $metadata: {} }))).to.equal(true);
    expect(
      isGoneError(Object.assign(new Error('Unknown'), { name: 'Unknown', $metadata: { httpStatusCode: 410 } })),
    ).to.equal(true);
    expect(isGoneError(new ForbiddenException({ message: 'no', $metadata: { httpStatusCode: 403 } }))).to.equal(false);
    expect(isGoneError(new Error('socket hang up'))).to.equal(false);
    expect(isGoneError(undefined)).to.equal(false);
  });

  it('lets other failures propagate', async () => {
    const forbidden = new ForbiddenException({ message: 'no', $metadata: { httpStatusCode: 403 } });
    const err = await rejectionOf(
      postToConnection({ send: sinon.stub().rejects(forbidden) }, 'abc=', Buffer.from('x')),
    );
    expect(err).to.equal(forbidden);
  });
});
