import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';

describeEachStore('introspection (RFC 7662)', (get) => {
  test('describes live access and refresh tokens to an authenticated client, and nothing else', async () => {
    const h = get();
    const user = await h.user({ email: `rs-${Date.now()}@example.com` });
    const app = await h.client(user, 'self');
    const tokens = await h.exchange(app, await h.selfClientCode(app.clientId, 'ZohoCRM.modules.leads.READ'));
    const resourceServer = await h.client(await h.user(), 'server');
    const auth = { client_id: resourceServer.clientId, client_secret: resourceServer.clientSecret! };

    const access = await h.post('/oauth/v2/introspect', { ...auth, token: tokens.access_token });
    assert.equal(access.status, 200);
    assert.equal(access.headers.get('cache-control'), 'no-store');
    const now = Math.floor(h.clock.now() / 1000);
    assert.deepEqual(access.body, {
      active: true,
      scope: 'ZohoCRM.modules.leads.READ',
      client_id: app.clientId,
      username: user.email,
      token_type: 'Bearer',
      exp: now + 3600,
      iat: now,
      sub: user.zuid,
      iss: 'http://gatehouse.test',
    });

    const refresh = await h.post('/oauth/v2/introspect', { ...auth, token: tokens.refresh_token!, token_type_hint: 'refresh_token' });
    assert.equal(refresh.body!.active, true);
    assert.equal(refresh.body!.token_type, 'refresh_token');
    assert.equal(refresh.body!.exp, undefined);

    for (const token of ['garbage', `1000.${'0'.repeat(32)}.${'0'.repeat(32)}`]) {
      assert.deepEqual((await h.post('/oauth/v2/introspect', { ...auth, token })).body, { active: false });
    }
    h.clock.advance(3600);
    assert.deepEqual((await h.post('/oauth/v2/introspect', { ...auth, token: tokens.access_token })).body, { active: false });
    await h.post('/oauth/v2/token/revoke', { token: tokens.refresh_token! });
    assert.deepEqual((await h.post('/oauth/v2/introspect', { ...auth, token: tokens.refresh_token! })).body, { active: false });
  });

  test('requires client authentication with a secret', async () => {
    const h = get();
    const spa = await h.client(await h.user(), 'client');
    assert.equal((await h.post('/oauth/v2/introspect', { token: 'x' })).status, 401);
    assert.equal((await h.post('/oauth/v2/introspect', { token: 'x', client_id: spa.clientId })).status, 401);
    const server = await h.client(await h.user(), 'server');
    const missing = await h.post('/oauth/v2/introspect', { client_id: server.clientId, client_secret: server.clientSecret! });
    assert.equal(missing.body!.error, 'invalid_request');
  });
});
