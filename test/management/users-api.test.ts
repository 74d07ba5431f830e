import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiToken } from '../../src/core/api-tokens/api-tokens.js';
import { ApiClient } from '../resources/api-client.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';
import type { User } from '../../src/core/users/user.js';

const PASSWORD = 'correct horse battery';

/** `/api/v1` as a script calls it, with an administrator's API token. */
async function adminApi(h: Harness, admin?: User) {
  const owner = admin ?? (await h.user({ isAdmin: true }));
  const deps = { users: h.storage.users, apiTokens: h.storage.apiTokens, hasher: h.gatehouse.hasher, now: h.clock.now };
  const { token } = await createApiToken({ email: owner.email, name: `t-${Math.random()}` }, deps);
  return { admin: owner, token, call: (method: string, path: string, body?: unknown) => apiCall(h, token, method, path, body) };
}

async function apiCall(h: Harness, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

/** The status of a sign-in through the form: 303 signed in, 401 wrong, 403 disabled. */
async function signInStatus(h: Harness, email: string, password = PASSWORD): Promise<number> {
  return (await new BrowserAgent(h.baseUrl).signIn(email, password)).status;
}

describeEachStore(
  'management API /api/v1/users',
  (get) => {
    test('an administrator creates a user with a generated one-time password, or a typed one; both must be changed', async () => {
      const h = get();
      const { call } = await adminApi(h);
      const email = `new-${Date.now()}@example.com`;
      const created = await call('POST', '/users', { email, first_name: 'Nia', last_name: 'Ward' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.match(created.body!.password, /^[A-Za-z0-9_-]{16}$/);
      assert.deepEqual(
        { ...created.body!.user, zuid: undefined, created_at: undefined },
        {
          zuid: undefined,
          email,
          first_name: 'Nia',
          last_name: 'Ward',
          is_admin: false,
          disabled: false,
          must_change_password: true,
          created_at: undefined,
        },
      );
      assert.equal(await signInStatus(h, email, created.body!.password), 303);
      const zuid = created.body!.user.zuid as string;
      assert.equal((await call('GET', `/users/${zuid}`)).body!.user.email, email);
      assert.ok((await call('GET', '/users')).body!.users.some((u: { zuid: string }) => u.zuid === zuid));

      const typed = await call('POST', '/users', {
        email: `typed-${email}`,
        first_name: 'T',
        last_name: 'Y',
        password: 'hunter2hunter2',
        is_admin: true,
      });
      assert.equal(typed.status, 201);
      assert.equal(typed.body!.password, undefined, 'a typed password is not echoed');
      assert.deepEqual([typed.body!.user.is_admin, typed.body!.user.must_change_password], [true, true]);
    });

    test('bad input is a clear 4xx naming the field, and changes nothing', async () => {
      const h = get();
      const { call } = await adminApi(h);
      const target = await h.user();
      const count = await h.storage.users.count();
      const cases: Array<[string, string, unknown, number, string, string | undefined]> = [
        ['POST', '/users', { email: 'nope', first_name: 'A', last_name: 'B' }, 400, 'user.email_invalid', 'email'],
        ['POST', '/users', { email: target.email, first_name: 'A', last_name: 'B' }, 409, 'user.email_taken', 'email'],
        ['POST', '/users', { email: 'x@example.com', first_name: '', last_name: 'B' }, 400, 'user.name_invalid', 'first_name'],
        [
          'POST',
          '/users',
          { email: 'x@example.com', first_name: 'A', last_name: 'B', password: 'short' },
          400,
          'user.password_invalid',
          'password',
        ],
        [
          'POST',
          '/users',
          { email: 'x@example.com', first_name: 'A', last_name: 'B', password: 12345678 },
          400,
          'request.invalid',
          'password',
        ],
        [
          'POST',
          '/users',
          { email: 'x@example.com', first_name: 'A', last_name: 'B', is_admin: 'yes' },
          400,
          'request.invalid',
          'is_admin',
        ],
        ['POST', '/users', '{not json', 400, 'request.invalid', undefined],
        ['PATCH', `/users/${target.zuid}`, {}, 400, 'request.invalid', 'is_admin'],
        ['PATCH', `/users/${target.zuid}`, { is_admin: 'true' }, 400, 'request.invalid', 'is_admin'],
        ['POST', '/users/999/disable', undefined, 404, 'user.not_found', 'zuid'],
        ['POST', '/users/not-a-zuid/reset-password', undefined, 404, 'user.not_found', 'zuid'],
        ['PATCH', '/users/999', { is_admin: true }, 404, 'user.not_found', 'zuid'],
      ];
      for (const [method, path, body, status, code, field] of cases) {
        const res = await call(method, path, body);
        assert.deepEqual([res.status, res.body!.code, res.body!.field], [status, code, field], `${method} ${path} ${JSON.stringify(body)}`);
        assert.equal(typeof res.body!.message, 'string');
      }
      assert.equal(await h.storage.users.count(), count);
      assert.deepEqual(await h.storage.users.findByZuid(target.zuid), target);
    });

    test("make and remove administrator, disable and enable, reset: each ends the user's sessions", async () => {
      const h = get();
      const { call } = await adminApi(h);
      const target = await h.user();
      const session = new BrowserAgent(h.baseUrl);
      const signedIn = async () => (await session.get('/account/connected-apps')).status === 200;
      const signInAgain = async () => assert.equal((await session.signIn(target.email, PASSWORD)).status, 303);

      await signInAgain();
      assert.equal((await call('PATCH', `/users/${target.zuid}`, { is_admin: true })).body!.user.is_admin, true);
      assert.equal(await signedIn(), false, 'made administrator: signed out');
      await signInAgain();
      assert.equal((await call('PATCH', `/users/${target.zuid}`, { is_admin: true })).status, 200);
      assert.equal(await signedIn(), true, 'no change, no sign-out');
      assert.equal((await call('PATCH', `/users/${target.zuid}`, { is_admin: false })).body!.user.is_admin, false);
      assert.equal(await signedIn(), false, 'administrator role removed: signed out');

      await signInAgain();
      assert.equal((await call('POST', `/users/${target.zuid}/disable`)).body!.user.disabled, true);
      assert.equal(await signedIn(), false, 'disabled: signed out');
      assert.equal(await signInStatus(h, target.email), 403);
      assert.equal((await call('POST', `/users/${target.zuid}/enable`)).body!.user.disabled, false);
      await signInAgain();

      const reset = await call('POST', `/users/${target.zuid}/reset-password`);
      assert.equal(reset.status, 200);
      assert.equal(reset.body!.user.must_change_password, true);
      assert.equal(await signedIn(), false, 'password reset: signed out');
      assert.equal(await signInStatus(h, target.email), 401, 'the old password no longer works');
      assert.equal(await signInStatus(h, target.email, reset.body!.password), 303);
    });

    test('an administrator cannot disable, demote or reset themselves; non-administrators and forged requests are refused', async () => {
      const h = get();
      const { admin, call } = await adminApi(h);
      const refusals: Array<[string, string, unknown]> = [
        ['POST', `/users/${admin.zuid}/disable`, undefined],
        ['PATCH', `/users/${admin.zuid}`, { is_admin: false }],
        ['POST', `/users/${admin.zuid}/reset-password`, undefined],
      ];
      for (const [method, path, body] of refusals) {
        const res = await call(method, path, body);
        assert.deepEqual([res.status, res.body!.code], [403, 'user.own_account'], path);
      }
      assert.deepEqual(await h.storage.users.findByZuid(admin.zuid), admin);

      const target = await h.user();
      const plain = await h.user();
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(plain.email, PASSWORD);
      const csrf = (await agent.get('/account/connected-apps')).field('csrf');
      const asPlain = async (path: string, headers: Record<string, string>) =>
        fetch(`${h.baseUrl}/api/v1${path}`, {
          method: 'POST',
          headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...headers },
        });
      assert.equal((await asPlain(`/users/${target.zuid}/disable`, { 'x-csrf-token': csrf })).status, 403, 'not an administrator');
      await h.storage.users.setAdmin(plain.zuid, true);
      // setAdmin alone (no sign-out) keeps this session, to show the CSRF header is still required of it.
      assert.equal((await asPlain(`/users/${target.zuid}/disable`, {})).status, 403, 'no CSRF header');
      assert.equal((await h.storage.users.findByZuid(target.zuid))!.disabled, false);
      assert.equal((await asPlain(`/users/${target.zuid}/disable`, { 'x-csrf-token': csrf })).status, 200);
    });

    test('disabling a user stops everything of theirs at once, remembered or not; enabling lets them sign in, old tokens stay dead', async () => {
      const h = get();
      const { call } = await adminApi(h);
      const user = await h.user({ isAdmin: true });
      const own = await adminApi(h, user);
      const self = await h.client(user, 'self');
      const tokens = await h.exchange(self, await h.selfClientCode(self.clientId, 'ZohoCRM.modules.ALL,AaaServer.profile.READ'));
      const pendingCode = await h.selfClientCode(self.clientId);
      const crm = new ApiClient(h, tokens.access_token);
      const id = (await crm.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Kept' }] })).body!.data[0].details.id as string;
      // Read twice: the second is answered from memory where the store remembers (SQLite's read cache, the read lane).
      for (let i = 0; i < 2; i++) assert.equal((await crm.call('GET', `/crm/v8/Leads/${id}`)).status, 200);
      if (h.storage.dialect === 'sqlite') {
        const key = h.gatehouse.hasher.storageKey(tokens.access_token);
        assert.ok(h.storage.tokens.peekAccessToken(key), 'the read cache holds the token');
      }
      const resourceServer = await h.client(await h.user(), 'server');
      const introspect = async (token: string) =>
        (
          await h.post('/oauth/v2/introspect', {
            client_id: resourceServer.clientId,
            client_secret: resourceServer.clientSecret!,
            token,
          })
        ).body!.active as boolean;
      const clientCredentials = () =>
        h.post('/oauth/v2/token', {
          grant_type: 'client_credentials',
          client_id: self.clientId,
          client_secret: self.clientSecret!,
          scope: 'ZohoCRM.modules.ALL',
        });
      assert.equal(await introspect(tokens.access_token), true);
      assert.equal(await h.accessTokenWorks(tokens.access_token), true);
      assert.equal((await clientCredentials()).status, 200);
      assert.equal((await own.call('GET', '/users')).status, 200);

      assert.equal((await call('POST', `/users/${user.zuid}/disable`)).status, 200);

      assert.equal(await signInStatus(h, user.email), 403, 'the right password, refused');
      assert.equal(await introspect(tokens.access_token), false);
      assert.equal(await introspect(tokens.refresh_token!), false);
      assert.equal(await h.accessTokenWorks(tokens.access_token), false);
      assert.equal((await crm.call('GET', `/crm/v8/Leads/${id}`)).status, 401);
      const refreshed = await h.refresh(self, tokens.refresh_token!);
      assert.deepEqual([refreshed.status, refreshed.body!.error], [400, 'invalid_grant']);
      const exchanged = await h.post('/oauth/v2/token', {
        grant_type: 'authorization_code',
        client_id: self.clientId,
        client_secret: self.clientSecret!,
        code: pendingCode,
      });
      assert.deepEqual([exchanged.status, exchanged.body!.error], [400, 'invalid_grant'], 'a pending code is gone');
      const minted = await clientCredentials();
      assert.deepEqual(
        [minted.status, minted.body!.error, minted.body!.error_description],
        [400, 'invalid_grant', 'The account this grant acts for is disabled.'],
      );
      assert.equal((await own.call('GET', '/users')).status, 401, "the disabled administrator's API token");

      assert.equal((await call('POST', `/users/${user.zuid}/enable`)).status, 200);
      assert.equal(await signInStatus(h, user.email), 303);
      assert.equal(await h.accessTokenWorks(tokens.access_token), false, 'old tokens stay revoked');
      assert.equal((await h.refresh(self, tokens.refresh_token!)).status, 400);
      assert.equal((await own.call('GET', '/users')).status, 401, 'and so do API tokens');
      assert.equal((await clientCredentials()).status, 200, 'new tokens are issued again');
    });
  },
  { limits: { codeRate: null } },
);
