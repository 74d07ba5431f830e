import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';

describeEachStore('GET /oauth/user/info', (get) => {
  test('returns the profile for Zoho-oauthtoken and Bearer, any case of the scheme', async () => {
    const h = get();
    const user = await h.user({ firstName: 'Ann', lastName: 'Lee' });
    const client = await h.client(user, 'self');
    const tokens = await h.exchange(client, await h.selfClientCode(client.clientId, 'AaaServer.profile.Read'));
    for (const scheme of ['Zoho-oauthtoken', 'Bearer', 'bearer', 'ZOHO-OAUTHTOKEN']) {
      const res = await h.request('/oauth/user/info', { headers: { authorization: `${scheme} ${tokens.access_token}` } });
      assert.equal(res.status, 200, scheme);
      assert.deepEqual(res.body, {
        First_Name: 'Ann',
        Last_Name: 'Lee',
        Display_Name: 'Ann Lee',
        ZUID: Number(user.zuid),
        Email: user.email,
      });
    }
  });

  test('AaaServer.profile.ALL covers READ', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    const tokens = await h.exchange(client, await h.selfClientCode(client.clientId, 'AaaServer.profile.ALL'));
    assert.ok(await h.accessTokenWorks(tokens.access_token));
  });

  test('RFC 6750 errors: no token, bad token, expired token, missing scope', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    const crmOnly = await h.exchange(client, await h.selfClientCode(client.clientId, 'ZohoCRM.modules.ALL'));

    const none = await h.request('/oauth/user/info');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="gatehouse"');

    const bad = await h.request('/oauth/user/info', { headers: { authorization: 'Bearer 1000.abc.def' } });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate')!, /error="invalid_token"/);

    const malformed = await h.request('/oauth/user/info', { headers: { authorization: 'Token abc' } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body!.error, 'invalid_request');

    const scope = await h.request('/oauth/user/info', { headers: { authorization: `Bearer ${crmOnly.access_token}` } });
    assert.equal(scope.status, 403);
    assert.equal(scope.body!.error, 'insufficient_scope');
    assert.match(scope.headers.get('www-authenticate')!, /scope="AaaServer.profile.READ"/);

    const profile = await h.exchange(client, await h.selfClientCode(client.clientId, 'AaaServer.profile.READ'));
    h.clock.advance(3600);
    assert.equal(await h.accessTokenWorks(profile.access_token), false, 'an access token lives one hour');
  });
});
