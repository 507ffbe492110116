// Signing keys and users survive a restart under the stack's state directory, as Cognito's keys are stable:
// a token issued before a restart on the same issuer port still verifies after it. A fresh directory (what
// `make local-reset` gives) starts over, and the old token is refused.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunningStack } from '../../../local/stack.ts';
import { accessToken, FREE_PORTS, startTestStack } from '../helpers/stack-helpers.ts';
import { mustOpen, openClient } from '../helpers/ws-client.ts';
import { freePort } from '../../../local/ports.ts';

describe('local stack restart with a state directory', function () {
  this.timeout(90000);
  let stateDir: string;
  let stack: RunningStack | undefined;
  before(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'stack-restart-'));
  });
  after(async () => {
    await stack?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('a token issued before the restart still verifies after it; a fresh state directory refuses it', async () => {
    const issuerPort = await freePort('127.0.0.1');
    const ports = { ...FREE_PORTS, issuer: issuerPort };
    stack = await startTestStack({ stateDir, ports });
    const token = await accessToken(stack);
    const before = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    before.send('before');
    expect(await before.nextJson()).to.include({ type: 'echo', message: 'before' });
    await stack.stop();
    expect((await before.closed).code).to.equal(1001);

    // Mid-test restart on the same issuer port, same state directory.
    stack = await startTestStack({ stateDir, ports });
    const after = await mustOpen(`${stack.config.websocketUrl}?token=${token}`);
    after.send('after');
    expect(await after.nextJson()).to.include({ type: 'echo', message: 'after' });
    await after.close();
    // The demo user still signs in (users survive too).
    expect(await accessToken(stack)).to.be.a('string');
    await stack.stop();

    const fresh = await mkdtemp(path.join(os.tmpdir(), 'stack-restart-fresh-'));
    try {
      stack = await startTestStack({ stateDir: fresh, ports });
      const refused = await openClient(`${stack.config.websocketUrl}?token=${token}`);
      expect(refused.ok ? 101 : refused.status, 'old token against new keys').to.equal(401);
      await stack.stop();
      stack = undefined;
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
