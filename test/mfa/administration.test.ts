import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiToken } from '../../src/core/api-tokens/api-tokens.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';
import { addPasskey, enrollTotp } from '../support/mfa.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

const PASSWORD = 'correct horse battery';

/** A user with an authenticator app and a passkey named "Phone", signed in in `agent`. */
async function userWithApp(h: Harness) {
  const user = await h.user();
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, PASSWORD);
  await enrollTotp(agent, h.clock.now());
  assert.equal((await addPasskey(agent, new SoftAuthenticator(), undefined, 'Phone')).status, 303);
  return { user, agent };
}

async function api(h: Harness, token: string, method: string, path: string) {
  const response = await fetch(`${h.baseUrl}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describeEachStore('administering second factors', (get) => {
  test('/api/v1/users/:zuid/mfa shows the factors; …/mfa/reset removes them and ends the sessions; administrators only', async () => {
    const h = get();
    const admin = await h.user({ isAdmin: true });
    const deps = { users: h.storage.users, apiTokens: h.storage.apiTokens, hasher: h.gatehouse.hasher, now: h.clock.now };
    const { token } = await createApiToken({ email: admin.email, name: 'mfa' }, deps);
    const { user, agent } = await userWithApp(h);
    assert.deepEqual(await api(h, token, 'GET', `/users/${user.zuid}/mfa`), {
      status: 200,
      body: { totp: true, passkeys: 1, recovery_codes_left: 10 },
    });
    assert.deepEqual(await api(h, token, 'POST', `/users/${user.zuid}/mfa/reset`), {
      status: 200,
      body: { totp: false, passkeys: 0, recovery_codes_left: 0 },
    });
    assert.match((await agent.get('/account/connected-apps')).location ?? '', /^\/signin/, 'the session ended');
    const resets = await h.storage.auditEvents.list({ type: 'user.mfa.reset', limit: 10 });
    assert.deepEqual(
      resets.map((e) => [e.userZuid, e.subject, e.actor.kind, e.actor.id, e.actor.name]),
      [[user.zuid, user.email, 'api_token', admin.zuid, 'mfa']],
      'the reset is audited, by the API token',
    );
    assert.equal((await new BrowserAgent(h.baseUrl).signIn(user.email, PASSWORD)).location, '/account/connected-apps');
    assert.equal((await api(h, token, 'GET', '/users/999999999999/mfa')).status, 404);
    assert.equal((await api(h, token, 'POST', `/users/${admin.zuid}/mfa/reset`)).status, 403, 'not your own (use the Security page)');

    const plainUser = new BrowserAgent(h.baseUrl);
    await plainUser.signIn(user.email, PASSWORD);
    const asUser = await fetch(`${h.baseUrl}/api/v1/users/${user.zuid}/mfa`, {
      headers: { cookie: [...plainUser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(asUser.status, 403, 'a user who is not an administrator');
  });

  test("the console's user page shows the factors and resets them, after asking", async () => {
    const h = get();
    const admin = await h.user({ isAdmin: true });
    const console = new BrowserAgent(h.baseUrl);
    await console.signIn(admin.email, PASSWORD);
    const { user, agent } = await userWithApp(h);
    const path = `/developer-console/admin/users/${user.zuid}`;
    const page = await console.get(path);
    assert.match(page.body, /Second factors/);
    assert.match(page.body, /Authenticator app, added .*; 10 recovery codes left\./);
    assert.match(page.body, /<li><strong>Phone<\/strong>, added \d{4}-\d\d-\d\d/, 'the passkeys, by name');
    const asked = await console.post(`${path}/mfa-reset`, { csrf: page.field('csrf') });
    assert.equal(asked.status, 200, 'asks first (without script)');
    assert.ok(await h.storage.factors.findTotp(user.zuid), 'nothing changed yet');
    const done = await console.post(`${path}/mfa-reset`, { csrf: page.field('csrf'), confirmed: 'yes' });
    assert.equal(done.status, 303);
    assert.match((await console.get(done.location!)).body, /Second factors removed[\s\S]*None: signs in with the password alone\./);
    assert.equal(await h.storage.factors.findTotp(user.zuid), undefined);
    assert.equal(await h.storage.passkeys.countForUser(user.zuid), 0, 'the passkeys went too');
    assert.match((await agent.get('/account/connected-apps')).location ?? '', /^\/signin/, 'the session ended');
  });
});
