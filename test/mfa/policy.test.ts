import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { enrollTotp, setupKey, totpCode } from '../support/mfa.js';
import type { Harness } from '../support/harness.js';

const PASSWORD = 'correct horse battery';

async function authorizeUrl(h: Harness): Promise<string> {
  const client = await h.client(await h.user(), 'server');
  return `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: client.redirectUris[0]!, scope: 'ZohoCRM.modules.ALL' })}`;
}

const addFactor = (returnTo: string) => `/account/security/totp?return_to=${encodeURIComponent(returnTo)}`;

describeEachStore(
  'GATEHOUSE_REQUIRE_MFA=admins',
  (get) => {
    test('an administrator without a factor adds one right after the password, before the consent page, then goes on', async () => {
      const h = get();
      const admin = await h.user({ isAdmin: true });
      const authorize = await authorizeUrl(h);
      const agent = new BrowserAgent(h.baseUrl);
      const signedIn = await agent.signIn(admin.email, PASSWORD, authorize);
      assert.equal(signedIn.location, addFactor(authorize));
      assert.equal((await agent.get(authorize)).location, addFactor(authorize), 'no consent page before the factor');
      assert.equal((await agent.get('/developer-console')).status, 303);
      const setup = await agent.get(signedIn.location!);
      assert.match(setup.body, /asks your account for a second step/);
      const done = await agent.post('/account/security/totp', {
        csrf: setup.field('csrf'),
        return_to: setup.field('return_to'),
        enrollment: setup.field('enrollment'),
        code: totpCode(setupKey(setup), h.clock.now()),
      });
      assert.ok(done.body.includes(`href="${authorize.replace(/&/g, '&amp;')}"`), 'the recovery codes page goes on to the request');
      const consent = await agent.get(authorize);
      assert.equal(consent.status, 200);
      assert.match(consent.body, /Test server app/);
    });

    test('a user the policy does not cover signs in with the password alone', async () => {
      const h = get();
      const user = await h.user();
      const authorize = await authorizeUrl(h);
      const agent = new BrowserAgent(h.baseUrl);
      assert.equal((await agent.signIn(user.email, PASSWORD, authorize)).location, authorize);
      assert.equal((await agent.get(authorize)).status, 200);
    });

    test('an administrator with a factor is asked for it, not sent to add one', async () => {
      const h = get();
      const admin = await h.user({ isAdmin: true });
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(admin.email, PASSWORD);
      await enrollTotp(agent, h.clock.now());
      const again = await new BrowserAgent(h.baseUrl).signIn(admin.email, PASSWORD);
      assert.match(again.location!, /^\/signin\/verify\?/);
    });
  },
  { requireMfa: 'admins' },
);

describeEachStore(
  'GATEHOUSE_REQUIRE_MFA=all',
  (get) => {
    test('every user without a factor is sent to add one; the pages that need a session send them back there', async () => {
      const h = get();
      const user = await h.user();
      const agent = new BrowserAgent(h.baseUrl);
      const signedIn = await agent.signIn(user.email, PASSWORD);
      assert.equal(signedIn.location, addFactor('/account/connected-apps'));
      for (const path of ['/account/connected-apps', '/developer-console'])
        assert.match((await agent.get(path)).location ?? '', /^\/account\/security\/totp\?return_to=/, path);
      // The security page is where a passkey is added instead: the detour does not apply to it.
      const security = await agent.get('/account/security');
      assert.equal(security.status, 200);
      assert.match(security.body, /Add a passkey/);
      assert.match((await agent.get(signedIn.location!)).body, /Add a passkey instead/);
      await enrollTotp(agent, h.clock.now());
      assert.equal((await agent.get('/account/connected-apps')).status, 200);
    });
  },
  { requireMfa: 'all' },
);
