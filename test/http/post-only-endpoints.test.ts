import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Harness } from '../support/harness.js';
import { sqliteStore } from '../support/stores.js';

/** Every OAuth endpoint that takes only POST (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1, RFC 8628 §3.1, Zoho's). */
const POST_ONLY = [
  '/oauth/v2/token',
  '/oauth/v2/token/revoke',
  '/oauth/v2/revoke/token',
  '/oauth/v2/introspect',
  '/oauth/v3/device/code',
  '/oauth/v3/device/token',
  '/oauth/device_authorization',
];

/** Zoho's own endpoints, which in Zoho's error style answer a wrong method as Zoho does: HTTP 400 (spec §3). */
const ZOHO_DIALECT = new Set([
  '/oauth/v2/token',
  '/oauth/v2/token/revoke',
  '/oauth/v2/revoke/token',
  '/oauth/v3/device/code',
  '/oauth/v3/device/token',
]);

for (const errorStyle of ['rfc', 'zoho'] as const) {
  describe(`POST-only OAuth endpoints, another method [${errorStyle} errors]`, () => {
    let h: Harness;
    before(async () => {
      h = await Harness.start(sqliteStore, errorStyle === 'zoho' ? { errorStyle } : {});
    });
    after(() => h.close());

    test('405 with Allow: POST and an OAuth error body saying to use POST (Zoho style on its own endpoints: 400)', async () => {
      for (const path of POST_ONLY) {
        const status = errorStyle === 'zoho' && ZOHO_DIALECT.has(path) ? 400 : 405;
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const res = await h.request(`${path}?grant_type=refresh_token`, { method });
          const what = `${method} ${path}`;
          assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
          assert.equal(res.headers.get('allow'), 'POST', what);
          assert.equal(res.headers.get('cache-control'), 'no-store', what);
          assert.equal(res.body!.error, 'invalid_request', what);
          if (errorStyle === 'rfc') assert.match(res.body!.error_description, /POST/, what);
        }
        const head = await fetch(h.baseUrl + path, { method: 'HEAD' });
        assert.deepEqual([head.status, head.headers.get('allow')], [status, 'POST'], `HEAD ${path}`);
      }
    });

    test('POST is still answered by the endpoint itself, not refused for its method', async () => {
      for (const path of POST_ONLY) {
        const res = await h.request(path, { method: 'POST', body: new URLSearchParams({}) });
        assert.notEqual(res.status, 405, path);
        assert.equal(res.headers.get('allow'), null, path);
      }
    });
  });
}
