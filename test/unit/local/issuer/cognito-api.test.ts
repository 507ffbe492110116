import { expect } from 'chai';
import type { AccessTokenCheck } from '../../../../local/issuer/access-token-check.ts';
import { runOperation, type CognitoPool, type UserView } from '../../../../local/issuer/cognito-api.ts';

const POOL = 'us-east-1_local0001';
const ADMIN = 'aws.cognito.signin.user.admin';

function user(overrides: Partial<UserView> = {}): UserView {
  return {
    username: 'demo',
    sub: 'sub-demo',
    enabled: true,
    email: 'demo@example.com',
    emailVerified: true,
    createdAt: 1_700_000_000_000,
    modifiedAt: 1_700_000_100_000,
    attributes: { 'custom:tenant': 'acme' },
    ...overrides,
  };
}

class FakePool implements CognitoPool {
  poolId = POOL;
  users = new Map<string, UserView>([['demo', user()]]);
  signedOut: string[] = [];
  revoked: Array<[string, string]> = [];
  check: AccessTokenCheck = {
    ok: true,
    token: { sub: 'sub-demo', username: 'demo', scopes: ['openid', ADMIN], originJti: 'o', clientId: 'c' },
  };
  checkAccessToken = (): AccessTokenCheck => this.check;
  findUser = (username: string) => this.users.get(username.toLowerCase());
  globalSignOut = (sub: string) => void this.signedOut.push(sub);
  setEnabled = (username: string, enabled: boolean) => {
    const found = this.users.get(username);
    if (found) found.enabled = enabled;
    return found !== undefined;
  };
  deleteUser = (username: string) => this.users.delete(username);
  revokeRefreshToken = (token: string, clientId: string) => {
    if (clientId !== 'localwebclient') return 'unknown_client' as const;
    this.revoked.push([token, clientId]);
    return token === 'known' ? ('revoked' as const) : ('unknown_token' as const);
  };
}

function errorOf(outcome: ReturnType<typeof runOperation>): [string, string] {
  if (outcome.ok) throw new Error('expected an error');
  return [outcome.error.type, outcome.error.message];
}

describe('issuer Cognito JSON API operations', function () {
  let pool: FakePool;
  beforeEach(function () {
    pool = new FakePool();
  });

  describe('GetUser', function () {
    it('answers the user and attributes for a live token with the admin scope', function () {
      const outcome = runOperation('GetUser', { AccessToken: 'a.b.c' }, pool);
      expect(outcome).to.deep.equal({
        ok: true,
        reason: 'get_user',
        body: {
          Username: 'demo',
          UserAttributes: [
            { Name: 'sub', Value: 'sub-demo' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'email', Value: 'demo@example.com' },
            { Name: 'custom:tenant', Value: 'acme' },
          ],
        },
      });
    });

    it("maps each token failure to Cognito's exception and message", function () {
      const cases: Array<[AccessTokenCheck, string, string]> = [
        [{ ok: false, reason: 'revoked' }, 'NotAuthorizedException', 'Access Token has been revoked'],
        [{ ok: false, reason: 'expired' }, 'NotAuthorizedException', 'Access Token has expired'],
        [{ ok: false, reason: 'bad_signature' }, 'NotAuthorizedException', 'Invalid Access Token'],
        [{ ok: false, reason: 'user_disabled' }, 'NotAuthorizedException', 'User is disabled.'],
        [{ ok: false, reason: 'user_gone' }, 'UserNotFoundException', 'User does not exist.'],
      ];
      for (const [check, type, message] of cases) {
        pool.check = check;
        expect(errorOf(runOperation('GetUser', { AccessToken: 'a.b.c' }, pool))).to.deep.equal([type, message]);
      }
    });

    it('refuses a token without the admin scope, and a missing or malformed token', function () {
      pool.check = {
        ok: true,
        token: { sub: 'sub-demo', username: 'demo', scopes: ['openid'], originJti: 'o', clientId: 'c' },
      };
      expect(errorOf(runOperation('GetUser', { AccessToken: 'a.b.c' }, pool))).to.deep.equal([
        'NotAuthorizedException',
        'Access Token does not have required scopes',
      ]);
      expect(errorOf(runOperation('GetUser', {}, pool))[0]).to.equal('InvalidParameterException');
      expect(errorOf(runOperation('GetUser', { AccessToken: 42 }, pool))[0]).to.equal('InvalidParameterException');
      expect(errorOf(runOperation('GetUser', { AccessToken: 'has space' }, pool))[0]).to.equal(
        'InvalidParameterException',
      );
    });
  });

  it('GlobalSignOut signs out the token’s user, and only with a valid token', function () {
    expect(runOperation('GlobalSignOut', { AccessToken: 'a.b.c' }, pool)).to.deep.include({ ok: true, body: {} });
    expect(pool.signedOut).to.deep.equal(['sub-demo']);
    pool.check = { ok: false, reason: 'revoked' };
    expect(errorOf(runOperation('GlobalSignOut', { AccessToken: 'a.b.c' }, pool))[1]).to.equal(
      'Access Token has been revoked',
    );
    expect(pool.signedOut).to.have.length(1);
  });

  describe('RevokeToken', function () {
    it('revokes a refresh token and answers {} for an unknown one too', function () {
      expect(runOperation('RevokeToken', { Token: 'known', ClientId: 'localwebclient' }, pool)).to.deep.equal({
        ok: true,
        body: {},
        reason: 'revoke_token',
      });
      expect(runOperation('RevokeToken', { Token: 'other', ClientId: 'localwebclient' }, pool)).to.deep.include({
        ok: true,
      });
    });
    it('refuses an access token, an unknown client, a secret and missing fields', function () {
      expect(errorOf(runOperation('RevokeToken', { Token: 'a.b.c', ClientId: 'localwebclient' }, pool))[0]).to.equal(
        'UnsupportedTokenTypeException',
      );
      expect(errorOf(runOperation('RevokeToken', { Token: 'known', ClientId: 'nope' }, pool))[0]).to.equal(
        'UnauthorizedException',
      );
      expect(
        errorOf(
          runOperation('RevokeToken', { Token: 'known', ClientId: 'localwebclient', ClientSecret: 's' }, pool),
        )[0],
      ).to.equal('NotAuthorizedException');
      expect(errorOf(runOperation('RevokeToken', { ClientId: 'localwebclient' }, pool))[0]).to.equal(
        'InvalidParameterException',
      );
      expect(pool.revoked).to.deep.equal([]);
    });
  });

  describe('admin operations', function () {
    it('AdminGetUser answers the user with Enabled, status and dates in epoch seconds', function () {
      const outcome = runOperation('AdminGetUser', { UserPoolId: POOL, Username: 'demo' }, pool);
      expect(outcome.ok && outcome.body).to.deep.include({
        Username: 'demo',
        Enabled: true,
        UserStatus: 'CONFIRMED',
        UserCreateDate: 1_700_000_000,
        UserLastModifiedDate: 1_700_000_100,
      });
    });
    it('refuses another pool, a missing user and a missing username', function () {
      expect(
        errorOf(runOperation('AdminGetUser', { UserPoolId: 'us-east-1_other', Username: 'demo' }, pool))[0],
      ).to.equal('ResourceNotFoundException');
      expect(errorOf(runOperation('AdminGetUser', { UserPoolId: POOL, Username: 'ghost' }, pool))).to.deep.equal([
        'UserNotFoundException',
        'User does not exist.',
      ]);
      expect(errorOf(runOperation('AdminGetUser', { UserPoolId: POOL }, pool))[0]).to.equal(
        'InvalidParameterException',
      );
    });
    it('AdminUserGlobalSignOut, AdminDisableUser, AdminEnableUser and AdminDeleteUser act on the named user', function () {
      expect(runOperation('AdminUserGlobalSignOut', { UserPoolId: POOL, Username: 'demo' }, pool).ok).to.equal(true);
      expect(pool.signedOut).to.deep.equal(['sub-demo']);
      expect(runOperation('AdminDisableUser', { UserPoolId: POOL, Username: 'demo' }, pool).ok).to.equal(true);
      expect(pool.users.get('demo')?.enabled).to.equal(false);
      expect(runOperation('AdminEnableUser', { UserPoolId: POOL, Username: 'demo' }, pool).ok).to.equal(true);
      expect(pool.users.get('demo')?.enabled).to.equal(true);
      expect(runOperation('AdminDeleteUser', { UserPoolId: POOL, Username: 'demo' }, pool).ok).to.equal(true);
      expect(errorOf(runOperation('AdminDeleteUser', { UserPoolId: POOL, Username: 'demo' }, pool))[0]).to.equal(
        'UserNotFoundException',
      );
      expect(errorOf(runOperation('AdminDisableUser', { UserPoolId: POOL, Username: 'demo' }, pool))[0]).to.equal(
        'UserNotFoundException',
      );
    });
  });

  it('names an unsupported operation', function () {
    expect(errorOf(runOperation('AdminCreateUser', {}, pool))[0]).to.equal('UnknownOperationException');
  });
});
