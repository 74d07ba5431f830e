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

  test('names the client authentication methods and the JWT algorithms: asymmetric ones, and HS256 for client_secret_jwt', async () => {
    const doc = (await get().request('/.well-known/openid-configuration')).body!;
    const methods = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];
    const algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'];
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, methods);
    assert.deepEqual(doc.revocation_endpoint_auth_methods_supported, methods);
    // Introspection requires a caller that proves itself.
    assert.deepEqual(doc.introspection_endpoint_auth_methods_supported, methods.slice(0, 4));
    for (const endpoint of ['token', 'revocation', 'introspection'])
      assert.deepEqual(doc[`${endpoint}_endpoint_auth_signing_alg_values_supported`], algorithms, endpoint);
    // RFC 9101: request objects by value, signed with the client's own keys (never none, never an HMAC).
    assert.equal(doc.request_parameter_supported, true);
    assert.equal(doc.request_uri_parameter_supported, false);
    assert.deepEqual(doc.request_object_signing_alg_values_supported, ['RS256', 'PS256', 'ES256', 'EdDSA']);
    assert.equal(doc.require_signed_request_object, undefined, 'a per-client setting only');
  });
});
