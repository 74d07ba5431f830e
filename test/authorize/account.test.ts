import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUser } from '../../src/core/users/create-user.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';

describeEachStore(
  'sign-in and connected apps',
  (get) => {
    test('one generic message for a wrong password and for an unknown account', async () => {
      const h = get();
      const user = await h.user();
      const wrong = await new BrowserAgent(h.baseUrl).signIn(user.email, 'not the password');
      const unknown = await new BrowserAgent(h.baseUrl).signIn('nobody@example.com', PASSWORD);
      for (const page of [wrong, unknown]) {
        assert.equal(page.status, 401);
        assert.match(page.body, /Incorrect email or password\./);
      }
      assert.equal(
        wrong.body.replace(/value="[^"]*"/g, ''),
        unknown.body.replace(/value="[^"]*"/g, ''),
        'the pages differ only in field values',
      );
    });

    test('repeated failures for one account are refused for the rest of the window, even with the right password', async () => {
      const h = get();
      const user = await h.user();
      for (let i = 0; i < 5; i++) assert.equal((await new BrowserAgent(h.baseUrl).signIn(user.email, 'wrong')).status, 401);
      const locked = await new BrowserAgent(h.baseUrl).signIn(user.email, PASSWORD);
      assert.equal(locked.status, 429);
      assert.match(locked.body, /Too many failed attempts/);
      assert.ok(Number(locked.headers.get('retry-after')) > 0);
    });

    test('the session cookie is HttpOnly and SameSite=Lax; signing in gives a new session; signing out ends it', async () => {
      const h = get();
      const user = await h.user();
      const agent = new BrowserAgent(h.baseUrl);
      // A session value someone planted before sign-in (fixation) is not the one sign-in leaves the browser with.
      const planted = 'planted-session-value-planted-session-value';
      agent.cookies.set('gh_session', planted);
      const form = await agent.get('/signin');
      assert.match(form.headers.getSetCookie().join('\n'), /gh_csrf=[^;]+;.*HttpOnly.*SameSite=Lax/i);
      const signedIn = await agent.post('/signin', { csrf: form.field('csrf'), return_to: '/', email: user.email, password: PASSWORD });
      const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('gh_session='))!;
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      assert.doesNotMatch(cookie, /Secure/i, 'plain http issuer: not Secure (an https issuer sets __Host- and Secure)');
      assert.notEqual(agent.cookies.get('gh_session'), planted);

      const apps = await agent.get('/account/connected-apps');
      assert.equal(apps.status, 200);
      await agent.post('/signout', { csrf: apps.field('csrf') });
      const after = await agent.get('/account/connected-apps');
      assert.equal(after.status, 303);
      assert.match(after.location!, /^\/signin/);
    });

    test("pages keep the Referer to this site (so browsers send the real Origin on the pages' own forms); an opaque or foreign Origin is refused", async () => {
      const h = get();
      const user = await h.user();
      const agent = new BrowserAgent(h.baseUrl);
      const form = await agent.get('/signin');
      assert.equal(form.headers.get('referrer-policy'), 'same-origin');
      const post = (origin: string) =>
        fetch(`${h.baseUrl}/signin`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            origin,
            cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ csrf: form.field('csrf'), return_to: '/', email: user.email, password: PASSWORD }),
        });
      assert.equal((await post('null')).status, 403);
      assert.equal((await post('https://evil.example')).status, 403);
      assert.equal((await post(h.baseUrl)).status, 303);
    });

    test('return_to only ever leads to this server', async () => {
      const h = get();
      const user = await h.user();
      for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
        const page = await new BrowserAgent(h.baseUrl).signIn(user.email, PASSWORD, returnTo);
        assert.equal(page.location, '/account/connected-apps', returnTo);
      }
    });

    test('connected apps lists each granted app; Revoke ends its tokens and its consent', async () => {
      const h = get();
      const user = await h.user();
      const client = await h.client(user, 'server');
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(user.email, PASSWORD);
      const url = `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'ZohoCRM.modules.ALL', access_type: 'offline' })}`;
      const consent = await agent.get(url);
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      const tokens = await h.exchange(client, back.redirectParams().get('code')!, { redirect_uri: REDIRECT });

      const apps = await agent.get('/account/connected-apps');
      assert.match(apps.body, /Test server app/);
      assert.match(apps.body, /Full access to all your CRM records/);
      assert.match(apps.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
      const revoked = await agent.post('/account/connected-apps/revoke', { csrf: apps.field('csrf'), client_id: client.clientId });
      assert.equal(revoked.status, 303);
      const after = await agent.get(revoked.location!);
      assert.doesNotMatch(after.body, /Test server app/);
      assert.match(after.body, /Access revoked/);
      assert.equal(await h.accessTokenWorks(tokens.access_token), false);
      assert.equal((await h.refresh(client, tokens.refresh_token!)).body!.error, 'invalid_grant');
      assert.equal((await agent.get(url)).status, 200, 'the consent is forgotten: the next authorization asks again');
    });

    test('a one-time password must be replaced before anything else, and only with the right current password', async () => {
      const h = get();
      const admin = await createUser(
        {
          email: `admin-${Date.now()}@example.com`,
          password: 'one-time-pass',
          firstName: 'Ad',
          lastName: 'Min',
          isAdmin: true,
          mustChangePassword: true,
        },
        { users: h.storage.users, now: h.clock.now },
      );
      const agent = new BrowserAgent(h.baseUrl);
      const signedIn = await agent.signIn(admin.email, 'one-time-pass');
      const detour = await agent.get(signedIn.location!);
      assert.equal(detour.status, 303);
      assert.match(detour.location!, /^\/account\/password\?return_to=/);
      const form = await agent.get(detour.location!);
      assert.match(form.body, /one-time password/);
      const change = (current: string, next: string, confirmation = next) =>
        agent.post('/account/password', {
          csrf: form.field('csrf'),
          return_to: form.field('return_to'),
          current_password: current,
          new_password: next,
          confirm_password: confirmation,
        });
      assert.match((await change('wrong', 'a much better password')).body, /current password is not correct/);
      assert.match((await change('one-time-pass', 'a much better password', 'different')).body, /not the same/);
      assert.match((await change('one-time-pass', 'short')).body, /8 to 1024/);
      const client = await h.client(admin, 'server');
      const authorize = `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'ZohoCRM.modules.ALL' })}`;
      const detourFromAuthorize = await agent.get(authorize);
      assert.equal(
        detourFromAuthorize.location,
        `/account/password?return_to=${encodeURIComponent(authorize)}`,
        'the authorization endpoint detours too',
      );
      const done = await change('one-time-pass', 'a much better password');
      assert.equal(done.status, 303);
      assert.equal((await agent.get(done.location!)).status, 200);
      assert.equal((await new BrowserAgent(h.baseUrl).signIn(admin.email, 'a much better password')).status, 303);
      assert.equal((await new BrowserAgent(h.baseUrl).signIn(admin.email, 'one-time-pass')).status, 401);
    });

    test("Revoke touches only the signed-in user's own grant", async () => {
      const h = get();
      const owner = await h.user();
      const client = await h.client(owner, 'self');
      const tokens = await h.exchange(client, await h.selfClientCode(client.clientId));
      const other = await h.user();
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(other.email, PASSWORD);
      const apps = await agent.get('/account/connected-apps');
      await agent.post('/account/connected-apps/revoke', { csrf: apps.field('csrf'), client_id: client.clientId });
      assert.ok(await h.accessTokenWorks(tokens.access_token));
    });
  },
  { limits: { codeRate: null } },
);
