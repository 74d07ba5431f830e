import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

const SCOPE = 'ZohoCRM.modules.ALL,AaaServer.profile.READ';

/** A Non-browser Application, its owner signed in to a browser, and a device authorization it started Zoho's way. */
async function deviceSetUp(h: Harness, extra: Record<string, string> = {}) {
  const user = await h.user();
  const device = await h.client(user, 'device');
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, 'correct horse battery');
  const started = await h.post('/oauth/v3/device/code', {
    client_id: device.clientId,
    grant_type: 'device_request',
    scope: SCOPE,
    ...extra,
  });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  return { user, device, agent, started: started.body! };
}

const poll = (h: Harness, device: RegisteredTestClient, code: string) =>
  h.post('/oauth/v3/device/token', { client_id: device.clientId, client_secret: device.clientSecret!, grant_type: 'device_token', code });

/** The user's part: open the verification page, type the code, answer. */
async function answer(agent: BrowserAgent, userCode: string, decision: 'accept' | 'reject') {
  const entry = await agent.get('/oauth/v3/device');
  assert.equal(entry.status, 200);
  const consent = await agent.post('/oauth/v3/device', { csrf: entry.field('csrf'), user_code: userCode.toLowerCase().replace('-', ' ') });
  assert.equal(consent.status, 200, consent.body);
  assert.match(consent.body, /Test device app wants to access your account/);
  return agent.post('/oauth/v3/device/consent', { csrf: consent.field('csrf'), user_code: consent.field('user_code'), decision });
}

describeEachStore(
  'device authorization grant (/oauth/v3/device)',
  (get) => {
    test("Zoho's flow: initiation in milliseconds, pending polls, approval on the page, tokens once", async () => {
      const h = get();
      const { device, agent, started } = await deviceSetUp(h, { access_type: 'offline' });
      assert.match(started.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      assert.match(started.device_code, /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
      assert.equal(started.verification_url, 'http://gatehouse.test/oauth/v3/device');
      assert.equal(started.verification_uri_complete, `http://gatehouse.test/oauth/v3/device?user_code=${started.user_code}`);
      assert.deepEqual([started.expires_in, started.interval], [300_000, 5_000]);

      const pending = await poll(h, device, started.device_code);
      assert.deepEqual([pending.status, pending.body!.error], [400, 'authorization_pending']);
      const hasty = await poll(h, device, started.device_code);
      assert.deepEqual([hasty.status, hasty.body!.error], [400, 'slow_down'], 'a poll within the interval');
      h.clock.advance(5);

      const answered = await answer(agent, started.user_code, 'accept');
      assert.equal(answered.status, 200);
      assert.match(answered.body, /Device connected/);

      const tokens = await poll(h, device, started.device_code);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.deepEqual(Object.keys(tokens.body!).sort(), [
        'access_token',
        'api_domain',
        'expires_in',
        'refresh_token',
        'scope',
        'token_type',
      ]);
      assert.equal(tokens.body!.scope, 'ZohoCRM.modules.ALL AaaServer.profile.READ');
      assert.ok(await h.accessTokenWorks(tokens.body!.access_token));
      assert.equal((await h.refresh(device, tokens.body!.refresh_token)).status, 200, 'the refresh token works');

      h.clock.advance(5);
      const again = await poll(h, device, started.device_code);
      assert.deepEqual([again.status, again.body!.error], [400, 'invalid_grant'], 'tokens are issued once');
      const connected = await agent.get('/account/connected-apps');
      assert.match(connected.body, /Test device app/, 'listed under Connected apps, to be revoked there');
    });

    test('RFC 8628: its own initiation endpoint in seconds, the token endpoint grant, denial and expiry', async () => {
      const h = get();
      const { user, device, agent } = await deviceSetUp(h);
      const metadata = (await h.request('/.well-known/oauth-authorization-server')).body!;
      assert.equal(metadata.device_authorization_endpoint, 'http://gatehouse.test/oauth/device_authorization');
      const rfc = await h.post('/oauth/device_authorization', {
        client_id: device.clientId,
        client_secret: device.clientSecret!,
        scope: 'ZohoCRM.modules.leads.READ',
      });
      assert.equal(rfc.status, 200, JSON.stringify(rfc.body));
      assert.deepEqual([rfc.body!.expires_in, rfc.body!.interval], [300, 5]);
      assert.equal(rfc.body!.verification_uri, 'http://gatehouse.test/oauth/v3/device');
      const grant = (code: string) =>
        h.post('/oauth/v2/token', {
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: code,
          client_id: device.clientId,
          client_secret: device.clientSecret!,
        });
      assert.equal((await grant(rfc.body!.device_code)).body!.error, 'authorization_pending');

      // The user follows the complete link: the code is filled in, and still confirmed.
      const prefilled = await agent.get(
        new URL(rfc.body!.verification_uri_complete).pathname + new URL(rfc.body!.verification_uri_complete).search,
      );
      assert.equal(prefilled.field('user_code'), rfc.body!.user_code);
      const rejected = await answer(agent, rfc.body!.user_code, 'reject');
      assert.match(rejected.body, /Request denied/);
      h.clock.advance(5);
      const denied = await grant(rfc.body!.device_code);
      assert.deepEqual([denied.status, denied.body!.error], [403, 'access_denied']);

      const late = await h.post('/oauth/device_authorization', { client_id: device.clientId, scope: 'ZohoCRM.modules.leads.READ' });
      h.clock.advance(301);
      const expired = await grant(late.body!.device_code);
      assert.deepEqual([expired.status, expired.body!.error], [400, 'expired_token']);
      const entry = await agent.get('/oauth/v3/device');
      const tooLate = await agent.post('/oauth/v3/device', { csrf: entry.field('csrf'), user_code: late.body!.user_code });
      assert.equal(tooLate.status, 400);
      assert.match(tooLate.body, /not valid, or it has expired/);
      assert.ok(user);
    });

    test('bad requests change nothing and say why', async () => {
      const h = get();
      const { user, device, agent, started } = await deviceSetUp(h);
      const server = await h.client(user, 'server');
      const cases: Array<[string, Record<string, string>, number, string]> = [
        ['/oauth/v3/device/code', { client_id: server.clientId, scope: SCOPE }, 400, 'unauthorized_client'],
        ['/oauth/v3/device/code', { client_id: '1000.NOPE', scope: SCOPE }, 401, 'invalid_client'],
        ['/oauth/v3/device/code', { client_id: device.clientId, client_secret: 'wrong', scope: SCOPE }, 401, 'invalid_client'],
        ['/oauth/v3/device/code', { client_id: device.clientId, scope: 'ZohoCRM.nothing.READ' }, 400, 'invalid_scope'],
        ['/oauth/v3/device/code', { client_id: device.clientId }, 400, 'invalid_request'],
        ['/oauth/v3/device/code', { client_id: device.clientId, scope: SCOPE, grant_type: 'authorization_code' }, 400, 'invalid_request'],
        ['/oauth/v3/device/code', { client_id: device.clientId, scope: SCOPE, access_type: 'forever' }, 400, 'invalid_request'],
        [
          '/oauth/v3/device/token',
          { client_id: device.clientId, grant_type: 'device_token', code: started.device_code },
          401,
          'invalid_client',
        ],
        [
          '/oauth/v3/device/token',
          {
            client_id: device.clientId,
            client_secret: device.clientSecret!,
            grant_type: 'device_token',
            code: `1000.${'a'.repeat(32)}.${'b'.repeat(32)}`,
          },
          400,
          'invalid_grant',
        ],
      ];
      for (const [path, form, status, error] of cases) {
        const res = await h.post(path, form);
        assert.deepEqual([res.status, res.body!.error], [status, error], `${path} ${JSON.stringify(form)}`);
      }
      // Another client's device code is no code at all.
      const other = await h.client(user, 'device');
      const stolen = await poll(h, other, started.device_code);
      assert.deepEqual([stolen.status, stolen.body!.error], [400, 'invalid_grant']);

      // On the page: a wrong code, and a form without its CSRF token.
      const entry = await agent.get('/oauth/v3/device');
      const wrong = await agent.post('/oauth/v3/device', { csrf: entry.field('csrf'), user_code: 'BBBB-BBBB' });
      assert.equal(wrong.status, 400);
      const forged = await agent.post('/oauth/v3/device/consent', { user_code: started.user_code, decision: 'accept' });
      assert.equal(forged.status, 403);
      const signedOut = await new BrowserAgent(h.baseUrl).get('/oauth/v3/device');
      assert.equal(signedOut.status, 303);
      assert.match(signedOut.location!, /^\/signin\?return_to=%2Foauth%2Fv3%2Fdevice/);
      const stillPending = await poll(h, device, started.device_code);
      assert.equal(stillPending.body!.error, 'authorization_pending', 'nothing was approved');
    });

    test('entering codes is rate-limited per user', async () => {
      const h = get();
      const { agent } = await deviceSetUp(h);
      const entry = await agent.get('/oauth/v3/device');
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++)
        statuses.push((await agent.post('/oauth/v3/device', { csrf: entry.field('csrf'), user_code: 'BBBB-BBBB' })).status);
      assert.deepEqual(statuses, [...Array(10).fill(400), 429]);
    });
  },
  { limits: { codeRate: null } },
);
