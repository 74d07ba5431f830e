import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDeployment } from './deployments.js';
import { WorldBuilder } from './fuzz-world.js';

/** Plain tests of what the fuzzer found (test/hostile/fuzz.test.ts), so each stays fixed whatever the seeds draw. */
describeEachDeployment('hostile: regressions found by fuzzing', (get) => {
  test('a repeated query parameter of the sample APIs is a 400, not a 500', async () => {
    const h = get();
    const world = await new WorldBuilder(h).build();
    const headers = { authorization: `Zoho-oauthtoken ${world.fitting.access_token![0]}` };
    const id = world.fitting.ids![0]!;
    for (const [method, path, param] of [
      ['DELETE', `/crm/v8/Leads?ids=${id}&ids=${id}`, 'ids'],
      ['GET', '/crm/v8/Leads?fields=Last_Name&fields=Email', 'fields'],
      ['GET', '/fsm/v1/Requests?ids=1&ids=2', 'ids'],
      ['GET', '/crm/v8/settings/fields?module=Leads&module=Leads', 'module'],
    ] as const) {
      const before = await h.snapshot();
      const res = await h.request(path, { method, headers });
      assert.equal(res.status, 400, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body, {
        code: 'INVALID_DATA',
        details: { param_name: param },
        message: `the parameter ${param} is given more than once`,
        status: 'error',
      });
      assert.deepEqual(await h.snapshot(), before, `${method} ${path} changed the store`);
    }
    // Once, as always.
    const deleted = await h.request(`/crm/v8/Leads?ids=${id}`, { method: 'DELETE', headers });
    assert.equal(deleted.status, 200);
  });

  test('a consent answer that is neither accept nor reject does not use up the consent page', async () => {
    const h = get();
    const world = await new WorldBuilder(h).build();
    const answer = (decision: string) =>
      fetch(`${h.baseUrl}/oauth/v2/auth/consent`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `gh_session=${world.cookies.ownerSession}; gh_csrf=${world.cookies.csrfBinding}` },
        body: new URLSearchParams({ csrf: world.csrfToken, interaction: world.fitting.interaction![0]!, decision }),
      });
    const before = await h.snapshot();
    const invalid = await answer('maybe');
    assert.equal(invalid.status, 400);
    assert.match(await invalid.text(), /Choose Accept or Reject/);
    assert.deepEqual(await h.snapshot(), before, 'the refused answer changed the store');

    const accepted = await answer('accept');
    assert.equal(accepted.status, 303);
    assert.match(accepted.headers.get('location')!, /^https:\/\/app\.example\.com\/callback\?code=/);
  });

  test("another signed-in user posting someone's consent page is refused and does not use it up", async () => {
    const h = get();
    const world = await new WorldBuilder(h).build();
    const answer = (session: string, csrf: string) =>
      fetch(`${h.baseUrl}/oauth/v2/auth/consent`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `gh_session=${session}; gh_csrf=${world.cookies.csrfBinding}` },
        body: new URLSearchParams({ csrf, interaction: world.fitting.interaction![0]!, decision: 'accept' }),
      });
    const before = await h.snapshot();
    const stranger = await answer(world.cookies.adminSession, world.fitting.csrf![1]!);
    assert.equal(stranger.status, 400);
    assert.deepEqual(await h.snapshot(), before, "the stranger's answer changed the store");
    const owner = await answer(world.cookies.ownerSession, world.csrfToken);
    assert.equal(owner.status, 303);
    assert.match(owner.headers.get('location')!, /^https:\/\/app\.example\.com\/callback\?code=/);
  });

  test('a NUL character in a parameter or an API field is a 400 on every store, not a 500 from PostgreSQL', async () => {
    const h = get();
    const world = await new WorldBuilder(h).build();
    const before = await h.snapshot();
    const introspect = await h.post('/oauth/v2/introspect', { token: 'x', client_id: '\u0000', client_secret: 'y' });
    assert.equal(introspect.status, 400);
    assert.equal(introspect.body!.error, 'invalid_request');
    const token = await h.post('/oauth/v2/token', { grant_type: 'client_credentials', client_id: 'a\u0000b', client_secret: 'y' });
    assert.equal(token.status, 400);
    const api = await fetch(`${h.baseUrl}/api/v1/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.fitting.token![2]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'server', name: 'a\u0000b', homepage: 'https://a.example', redirect_uris: ['https://a.example/cb'] }),
    });
    assert.equal(api.status, 400);
    assert.equal(((await api.json()) as { field: string }).field, 'name');
    assert.deepEqual(await h.snapshot(), before);
  });

  test('a NUL character in a path parameter is a 404 on every store, not a 500 from PostgreSQL', async () => {
    const h = get();
    const world = await new WorldBuilder(h).build();
    const before = await h.snapshot();
    const session = { cookie: `gh_session=${world.cookies.ownerSession}` };
    const api = { authorization: `Bearer ${world.fitting.token![2]}` };
    const clientId = world.credentials[0]!.clientId;
    for (const [method, path, headers] of [
      ['GET', '/developer-console/clients/%00/generate-code', session],
      ['GET', '/developer-console/clients/a%00b', session],
      ['GET', '/developer-console/admin/users/%00', session],
      ['GET', '/api/v1/clients/%00', api],
      ['DELETE', `/api/v1/clients/${clientId}/grants/%00`, api],
      ['GET', '/api/v1/users/1%00', api],
    ] as const) {
      const res = await fetch(h.baseUrl + path, { method, headers, redirect: 'manual' });
      assert.equal(res.status, 404, `${method} ${path}`);
    }
    for (const path of [
      '/crm/v8/Leads/%00',
      '/crm/v8/Leads?ids=%00',
      '/crm/v8/Leads?fields=Last_Name%00',
      '/crm/v8/settings/fields?module=%00',
    ]) {
      const res = await fetch(h.baseUrl + path, { headers: { authorization: `Zoho-oauthtoken ${world.fitting.access_token![0]}` } });
      assert.ok(res.status < 500, `${path}: ${res.status}`);
    }
    assert.deepEqual(await h.snapshot(), before);
  });
});
