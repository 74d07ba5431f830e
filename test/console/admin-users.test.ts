import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';
import type { User } from '../../src/core/users/user.js';

/** The console's user administration over plain HTTP: what a browser without script, or a forger, gets. */
async function signedIn(h: Harness, user: User): Promise<{ agent: BrowserAgent; csrf: string }> {
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, 'correct horse battery', '/developer-console');
  const page = await agent.get('/developer-console');
  assert.equal(page.status, 200);
  return { agent, csrf: page.field('csrf') };
}

const ONE_TIME = /<code class="copyable-value" id="one-time-password"[^>]*>([A-Za-z0-9_-]{16})<\/code>/;

describeEachStore('developer console: administering users', (get) => {
  test("Add User with a generated password shows it once, on a page whose address is the user's; bad input changes nothing", async () => {
    const h = get();
    const { agent, csrf } = await signedIn(h, await h.user({ isAdmin: true }));
    assert.equal((await agent.get('/developer-console/admin/users/new')).status, 200);
    const email = `added-${Date.now()}@example.com`;
    const created = await agent.post('/developer-console/admin/users/new', {
      csrf,
      email,
      first_name: 'Ada',
      last_name: 'Dd',
      password: '',
    });
    assert.equal(created.status, 201);
    const password = ONE_TIME.exec(created.body)?.[1];
    assert.ok(password, 'the one-time password is shown');
    const user = (await h.storage.users.findByEmail(email))!;
    assert.match(created.body, new RegExp(`data-location="/developer-console/admin/users/${user.zuid}"`));
    const reloaded = await agent.get(`/developer-console/admin/users/${user.zuid}`);
    assert.equal(reloaded.status, 200);
    assert.doesNotMatch(reloaded.body, ONE_TIME, 'never shown again');
    assert.equal(user.mustChangePassword, true);
    const newcomer = new BrowserAgent(h.baseUrl);
    assert.equal((await newcomer.signIn(email, password)).status, 303);
    assert.match((await newcomer.get('/developer-console')).location ?? '', /^\/account\/password/);

    const count = await h.storage.users.count();
    const bad = await agent.post('/developer-console/admin/users/new', { csrf, email: 'nope', first_name: 'A', last_name: 'B' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /id="field-email-error">Enter a valid email address\./);
    const forged = await agent.post('/developer-console/admin/users/new', { email: 'forged@example.com', first_name: 'A', last_name: 'B' });
    assert.equal(forged.status, 403);
    assert.equal(await h.storage.users.count(), count);
  });

  test("disable, enable, role and reset ask first, then act and end the user's sessions; your own account is refused", async () => {
    const h = get();
    const admin = await h.user({ isAdmin: true });
    const { agent, csrf } = await signedIn(h, admin);
    const target = await h.user();
    const base = `/developer-console/admin/users/${target.zuid}`;
    const targetSession = (await signedIn(h, target)).agent;

    const asked = await agent.post(`${base}/disable`, { csrf });
    assert.equal(asked.status, 200);
    assert.match(asked.body, /name="confirmed" value="yes"/);
    assert.equal((await h.storage.users.findByZuid(target.zuid))!.disabled, false, 'not before the confirmation');
    const disabled = await agent.post(`${base}/disable`, { csrf, confirmed: 'yes' });
    assert.equal(disabled.location, `${base}?done=disabled`);
    assert.match((await agent.get(disabled.location!)).body, /User disabled/);
    assert.equal((await targetSession.get('/developer-console')).status, 303, 'signed out');
    const refused = await new BrowserAgent(h.baseUrl).signIn(target.email, 'correct horse battery');
    assert.equal(refused.status, 403);
    assert.match(refused.body, /This account is disabled/);

    assert.equal((await agent.post(`${base}/enable`, { csrf })).location, `${base}?done=enabled`);
    const again = await signedIn(h, target);
    assert.equal((await agent.post(`${base}/admin`, { csrf, admin: 'yes', confirmed: 'yes' })).location, `${base}?done=made-admin`);
    assert.equal((await h.storage.users.findByZuid(target.zuid))!.isAdmin, true);
    assert.equal((await again.agent.get('/developer-console')).status, 303, 'a new role, a new session');

    const reset = await agent.post(`${base}/reset-password`, { csrf, confirmed: 'yes' });
    assert.equal(reset.status, 200);
    assert.match(reset.body, new RegExp(`data-location="${base}"`));
    const password = ONE_TIME.exec(reset.body)?.[1];
    assert.ok(password);
    assert.equal((await new BrowserAgent(h.baseUrl).signIn(target.email, password)).status, 303);

    const own = `/developer-console/admin/users/${admin.zuid}`;
    for (const [path, form] of [
      [`${own}/disable`, {}],
      [`${own}/admin`, { admin: 'no' }],
      [`${own}/reset-password`, {}],
    ] as const) {
      const page = await agent.post(path, { csrf, confirmed: 'yes', ...form });
      assert.equal(page.status, 403, path);
      assert.match(page.body, /class="alert error" role="alert">[^<]*(own|Change your own password)/, path);
    }
    assert.deepEqual(await h.storage.users.findByZuid(admin.zuid), admin);
    assert.equal((await agent.get('/developer-console')).status, 200, 'still signed in');

    const forged = await agent.post(`${base}/disable`, { confirmed: 'yes' });
    assert.equal(forged.status, 403);
    assert.equal((await h.storage.users.findByZuid(target.zuid))!.disabled, false);
  });

  test('every user page and form is refused to non-administrators, and changes nothing', async () => {
    const h = get();
    const target = await h.user();
    const { agent, csrf } = await signedIn(h, await h.user());
    const base = `/developer-console/admin/users/${target.zuid}`;
    for (const path of ['/developer-console/admin/users/new', base]) {
      const page = await agent.get(path);
      assert.equal(page.status, 403, path);
      assert.match(page.body, /Only administrators/);
    }
    for (const [path, form] of [
      ['/developer-console/admin/users/new', { email: 'x@example.com', first_name: 'A', last_name: 'B' }],
      [`${base}/disable`, {}],
      [`${base}/enable`, {}],
      [`${base}/admin`, { admin: 'yes' }],
      [`${base}/reset-password`, {}],
    ] as const) {
      const page = await agent.post(path, { csrf, confirmed: 'yes', ...form });
      assert.equal(page.status, 403, path);
    }
    assert.deepEqual(await h.storage.users.findByZuid(target.zuid), target);
    assert.equal(await h.storage.users.findByEmail('x@example.com'), undefined);
  });
});
