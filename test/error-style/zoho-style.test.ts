import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';

describeEachStore(
  'GATEHOUSE_ERROR_STYLE=zoho',
  (get) => {
    test("token errors are HTTP 200 with Zoho's codes", async () => {
      const h = get();
      const client = await h.client(await h.user(), 'self');
      const base = { grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret! };
      const cases: Array<[Record<string, string>, string]> = [
        [{ ...base, client_id: '1000.NOPE', code: 'x' }, 'invalid_client'],
        [{ ...base, client_secret: 'f'.repeat(42), code: 'x' }, 'invalid_client_secret'],
        [{ ...base, code: `1000.${'a'.repeat(32)}.${'b'.repeat(32)}` }, 'invalid_code'],
        [{ ...base, grant_type: 'refresh_token', refresh_token: 'nope' }, 'invalid_code'],
        [{ ...base, grant_type: 'nope', code: 'x' }, 'invalid_client'],
      ];
      for (const [form, error] of cases) {
        const res = await h.post('/oauth/v2/token', form);
        assert.equal(res.status, 200, error);
        assert.equal(res.body!.error, error);
      }
    });

    test("the device flow's polls answer as Zoho's do, HTTP 200; RFC 8628's own endpoint keeps RFC errors", async () => {
      const h = get();
      const device = await h.client(await h.user(), 'device');
      const started = (await h.post('/oauth/v3/device/code', { client_id: device.clientId, scope: 'ZohoCRM.modules.ALL' })).body!;
      const poll = () =>
        h.post('/oauth/v3/device/token', {
          client_id: device.clientId,
          client_secret: device.clientSecret!,
          grant_type: 'device_token',
          code: started.device_code,
        });
      const pending = await poll();
      assert.deepEqual([pending.status, pending.body!.error], [200, 'authorization_pending']);
      assert.equal((await poll()).body!.error, 'slow_down');
      h.clock.advance(301);
      const expired = await poll();
      assert.deepEqual([expired.status, expired.body!.error], [200, 'expired']);
      const rfc = await h.post('/oauth/device_authorization', { client_id: device.clientId, scope: 'Nope.nothing.READ' });
      assert.deepEqual([rfc.status, rfc.body!.error], [400, 'invalid_scope']);
    });

    test('the throttle answers "Access Denied" with status failure', async () => {
      const h = get();
      const client = await h.client(await h.user(), 'self');
      const tokens = await h.exchange(client, await h.selfClientCode(client.clientId));
      let last;
      for (let i = 0; i < 11; i++) last = await h.refresh(client, tokens.refresh_token!);
      assert.equal(last!.status, 200);
      assert.equal(last!.body!.error, 'Access Denied');
      assert.equal(last!.body!.status, 'failure');
    });

    test('revoking an unknown token is HTTP 400, as Zoho answers', async () => {
      const h = get();
      const res = await h.post('/oauth/v2/token/revoke', { token: `1000.${'a'.repeat(32)}.${'b'.repeat(32)}` });
      assert.equal(res.status, 400);
    });
  },
  { errorStyle: 'zoho' },
);
