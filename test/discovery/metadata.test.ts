import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';

describeEachStore('RFC 8414 metadata', (get) => {
  test('names this issuer and the endpoints it serves, each of which answers', async () => {
    const h = get();
    const res = await h.request('/.well-known/oauth-authorization-server');
    assert.equal(res.status, 200);
    const doc = res.body!;
    assert.equal(doc.issuer, 'http://gatehouse.test');
    assert.deepEqual(doc.grant_types_supported, [
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:device_code',
    ]);
    assert.ok(doc.scopes_supported.includes('ZohoCRM.modules.leads.READ'));
    for (const key of ['token_endpoint', 'revocation_endpoint', 'introspection_endpoint', 'device_authorization_endpoint']) {
      const path = new URL(doc[key]).pathname;
      const answer = await h.request(path, { method: 'POST' });
      assert.notEqual(answer.status, 404, key);
    }
  });
});
