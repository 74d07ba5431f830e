import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessTokenOf, checkToken, guard, readAccessToken, ResourceError, scopesCover, type TokenInfo } from '@gatehouse/resource-server';

const info: TokenInfo = { subject: '123', clientId: '1000.X', scopes: ['ZohoCRM.modules.ALL', 'ZohoFSM.modules.Requests.WRITE'] };
const verify = async (token: string) => (token === 'good' ? info : undefined);

describe('@gatehouse/resource-server guard', () => {
  test('reads Zoho-oauthtoken and Bearer in any case, from the header only', () => {
    for (const header of ['Zoho-oauthtoken abc.def', 'Bearer abc.def', 'bearer abc.def', 'ZOHO-OAUTHTOKEN   abc.def ']) {
      assert.equal(readAccessToken(header), 'abc.def', header);
    }
    assert.equal(accessTokenOf(['Bearer first', 'Bearer second']), 'first', 'of a repeated header, the first');
    for (const header of [undefined, '', 'Basic abc', 'Bearer', 'Bearer a b', 'Token abc', 'Bearer a,b']) {
      assert.equal(accessTokenOf(header), undefined, String(header));
      assert.throws(
        () => readAccessToken(header),
        (e) => e instanceof ResourceError && e.code === 'AUTHENTICATION_FAILURE',
        String(header),
      );
    }
  });

  test('the scope hierarchy: ALL covers everything below it, WRITE covers CREATE/UPDATE/DELETE, case does not matter', () => {
    assert.ok(scopesCover(info.scopes, ['ZohoCRM.modules.leads.READ', 'ZohoCRM.modules.deals.DELETE']));
    assert.ok(scopesCover(info.scopes, ['zohofsm.modules.requests.create']));
    assert.ok(!scopesCover(info.scopes, ['ZohoFSM.modules.Requests.READ']));
    assert.ok(!scopesCover(info.scopes, ['ZohoCRM.users.READ']));
    assert.ok(scopesCover(['ZohoCRM.modules.leads.READ'], []));
    assert.throws(() => scopesCover(info.scopes, ['not a scope..']), /Not a scope name/);
  });

  test("errors in Zoho's envelope, 401, with an RFC 6750 challenge", async () => {
    const missing = await guard(undefined, { verify }).catch((e: ResourceError) => e);
    assert.ok(missing instanceof ResourceError);
    assert.deepEqual(missing.body(), { code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' });
    assert.equal(missing.challenge('crm'), 'Bearer realm="crm", Zoho-oauthtoken realm="crm"');

    const invalid = (await guard('Bearer bad', { verify }).catch((e: ResourceError) => e)) as ResourceError;
    assert.deepEqual(invalid.body(), { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
    assert.match(invalid.challenge('crm'), /error="invalid_token"/);

    const scope = (await guard('Bearer good', { verify, scopes: ['ZohoCRM.users.READ'] }).catch((e: ResourceError) => e)) as ResourceError;
    assert.equal(scope.status, 401);
    assert.deepEqual(scope.body(), {
      code: 'OAUTH_SCOPE_MISMATCH',
      details: { required_scopes: ['ZohoCRM.users.READ'] },
      message: 'invalid oauth scope to access this URL',
      status: 'error',
    });
    assert.match(scope.challenge('crm'), /error="insufficient_scope", scope="ZohoCRM.users.READ"/);

    assert.deepEqual(await guard('Zoho-oauthtoken good', { verify, scopes: ['ZohoCRM.modules.leads.READ'] }), info);
  });

  test('checkToken answers at once when the verifier does, and as a promise when it does not', async () => {
    const rememberOnly = (token: string) => (token === 'good' ? info : undefined);
    assert.equal(checkToken('Bearer good', { verify: rememberOnly, scopes: ['ZohoCRM.modules.leads.READ'] }), info);
    assert.throws(
      () => checkToken('Bearer bad', { verify: rememberOnly }),
      (e) => e instanceof ResourceError && e.code === 'INVALID_TOKEN',
    );
    assert.throws(
      () => checkToken('Bearer good', { verify: rememberOnly, scopes: ['ZohoCRM.users.READ'] }),
      (e) => e instanceof ResourceError && e.code === 'OAUTH_SCOPE_MISMATCH',
    );
    assert.throws(
      () => checkToken(undefined, { verify: rememberOnly }),
      (e) => e instanceof ResourceError && e.code === 'AUTHENTICATION_FAILURE',
    );

    const pending = checkToken('Bearer good', { verify });
    assert.ok(pending instanceof Promise);
    assert.equal(await pending, info);
    const refused = checkToken('Bearer good', { verify, scopes: ['ZohoCRM.users.READ'] });
    assert.ok(refused instanceof Promise);
    await assert.rejects(refused, (e) => e instanceof ResourceError && e.code === 'OAUTH_SCOPE_MISMATCH');

    // A thenable from another promise library is awaited, not taken for the token's info.
    const thenable = (token: string): PromiseLike<TokenInfo | undefined> => {
      const settled = Promise.resolve(rememberOnly(token));
      return { then: (onFulfilled, onRejected) => settled.then(onFulfilled, onRejected) };
    };
    assert.equal(await checkToken('Bearer good', { verify: thenable }), info);
  });
});
