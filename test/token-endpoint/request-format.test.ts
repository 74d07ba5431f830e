import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

/** The number of live tokens a client holds, read straight from the store: "bad input changes nothing". */
async function liveAccessTokens(h: Harness, accessTokens: string[]): Promise<number> {
  let live = 0;
  for (const t of accessTokens) if (await h.storage.tokens.findAccessToken(h.gatehouse.hasher.storageKey(t))) live++;
  return live;
}

describeEachStore('token endpoint transport', (get) => {
  let client: RegisteredTestClient;
  const setUp = async () => (client ??= await get().client(await get().user(), 'self'));

  test('parameters may come as multipart/form-data, the way the official Zoho SDKs send them', async () => {
    const h = get();
    await setUp();
    const form = new FormData();
    form.set('grant_type', 'authorization_code');
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret!);
    form.set('code', await h.selfClientCode(client.clientId));
    const res = await h.request('/oauth/v2/token', { method: 'POST', body: form });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body!.refresh_token);
  });

  test('parameters may come in the query string, as Zoho documents', async () => {
    const h = get();
    await setUp();
    const query = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      code: await h.selfClientCode(client.clientId),
    });
    const res = await h.request(`/oauth/v2/token?${query}`, { method: 'POST' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('query and body parameters merge; client credentials may come by HTTP Basic', async () => {
    const h = get();
    await setUp();
    const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret!)}`).toString('base64');
    const res = await h.request('/oauth/v2/token?grant_type=authorization_code', {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ code: await h.selfClientCode(client.clientId) }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('a wrong Basic secret is 401 with a Basic challenge', async () => {
    const h = get();
    await setUp();
    const basic = Buffer.from(`${client.clientId}:${'0'.repeat(42)}`).toString('base64');
    const res = await h.request('/oauth/v2/token', {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ZohoCRM.modules.ALL' }),
    });
    assert.equal(res.status, 401);
    assert.equal(res.body!.error, 'invalid_client');
    assert.match(res.headers.get('www-authenticate')!, /^Basic realm=/);
  });

  test('bad requests get the right error and change nothing', async () => {
    const h = get();
    await setUp();
    const code = await h.selfClientCode(client.clientId);
    const good = { grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret!, code };
    const cases: Array<{
      name: string;
      send: () => Promise<{ status: number; body: Record<string, any> | undefined }>;
      status: number;
      error: string;
    }> = [
      {
        name: 'missing grant_type',
        send: () => h.post('/oauth/v2/token', { ...good, grant_type: '' }),
        status: 400,
        error: 'invalid_request',
      },
      {
        name: 'unknown grant_type',
        send: () => h.post('/oauth/v2/token', { ...good, grant_type: 'password' }),
        status: 400,
        error: 'unsupported_grant_type',
      },
      { name: 'missing code', send: () => h.post('/oauth/v2/token', { ...good, code: '' }), status: 400, error: 'invalid_request' },
      {
        name: 'malformed code',
        send: () => h.post('/oauth/v2/token', { ...good, code: 'not-a-code' }),
        status: 400,
        error: 'invalid_grant',
      },
      {
        name: 'unknown code',
        send: () => h.post('/oauth/v2/token', { ...good, code: `1000.${'a'.repeat(32)}.${'b'.repeat(32)}` }),
        status: 400,
        error: 'invalid_grant',
      },
      {
        name: 'missing client_id',
        send: () => h.post('/oauth/v2/token', { ...good, client_id: '' }),
        status: 401,
        error: 'invalid_client',
      },
      {
        name: 'unknown client',
        send: () => h.post('/oauth/v2/token', { ...good, client_id: '1000.UNKNOWNUNKNOWNUNKNOWNUNKNOWN00' }),
        status: 401,
        error: 'invalid_client',
      },
      {
        name: 'missing secret',
        send: () => h.post('/oauth/v2/token', { ...good, client_secret: '' }),
        status: 401,
        error: 'invalid_client',
      },
      {
        name: 'wrong secret',
        send: () =>
          h.post('/oauth/v2/token', { ...good, client_secret: client.clientSecret!.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }),
        status: 401,
        error: 'invalid_client',
      },
      {
        name: 'duplicated parameter in the body',
        send: () =>
          h.request('/oauth/v2/token', {
            method: 'POST',
            body: `${new URLSearchParams(good)}&code=${code}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        status: 400,
        error: 'invalid_request',
      },
      {
        name: 'parameter both in query and body',
        send: () => h.request(`/oauth/v2/token?code=${code}`, { method: 'POST', body: new URLSearchParams(good) }),
        status: 400,
        error: 'invalid_request',
      },
      {
        name: 'oversized parameter',
        send: () => h.post('/oauth/v2/token', { ...good, description: 'x'.repeat(5000) }),
        status: 400,
        error: 'invalid_request',
      },
      {
        name: 'oversized body',
        send: () => h.request('/oauth/v2/token', { method: 'POST', body: new URLSearchParams({ ...good, padding: 'x'.repeat(70_000) }) }),
        status: 400,
        error: 'invalid_request',
      },
      {
        name: 'oversized multipart field',
        send: () => {
          const form = new FormData();
          for (const [k, v] of Object.entries(good)) form.set(k, v);
          form.set('pad', 'y'.repeat(5000));
          return h.request('/oauth/v2/token', { method: 'POST', body: form });
        },
        status: 400,
        error: 'invalid_request',
      },
      {
        name: 'multipart without a boundary',
        send: () => h.request('/oauth/v2/token', { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'garbage' }),
        status: 400,
        error: 'invalid_request',
      },
      {
        name: 'a file part',
        send: () => {
          const form = new FormData();
          for (const [k, v] of Object.entries(good)) form.set(k, v);
          form.set('upload', new Blob(['data']), 'a.txt');
          return h.request('/oauth/v2/token', { method: 'POST', body: form });
        },
        status: 400,
        error: 'invalid_request',
      },
      {
        name: 'a JSON body',
        send: () =>
          h.request('/oauth/v2/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(good) }),
        status: 400,
        error: 'invalid_request',
      },
      // RFC 9110 §15.5.6 (test/http/post-only-endpoints.test.ts checks Allow and the other endpoints).
      { name: 'GET', send: () => h.request(`/oauth/v2/token?${new URLSearchParams(good)}`), status: 405, error: 'invalid_request' },
      {
        name: 'client_secret both by Basic and in the body',
        send: () =>
          h.request('/oauth/v2/token', {
            method: 'POST',
            headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
            body: new URLSearchParams(good),
          }),
        status: 400,
        error: 'invalid_request',
      },
    ];
    for (const c of cases) {
      const res = await c.send();
      assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body!.error, c.error, c.name);
      assert.equal(typeof res.body!.error_description, 'string', c.name);
    }
    // After all that, the code is still unused and the client holds no tokens from it.
    const tokens = await h.exchange(client, code);
    assert.equal(await liveAccessTokens(h, [tokens.access_token]), 1);
  });
});
