import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { createApiToken } from '../../src/core/api-tokens/api-tokens.js';
import type { User } from '../../src/core/users/user.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { authorizePath, enable, exchange, PASSWORD, post, REDIRECT, SCOPES, startTwoDcs, userIn } from '../support/data-centers.js';
import { describeEach } from '../support/each-store.js';
import { diffSnapshots } from '../hostile/store-diff.js';
import { LogoutReceiver } from '../support/logout-receiver.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';
import { STORE_KINDS } from '../support/stores.js';
import { openidDiscovery, signInAndConsent } from '../support/strict-client.js';

/** Signs `user` in at `origin` and answers the consent page: the parameters the application gets back. */
async function authorizeAt(origin: string, client: RegisteredTestClient, user: User): Promise<URLSearchParams> {
  const agent = new BrowserAgent(origin);
  assert.equal((await agent.signIn(user.email, PASSWORD)).status, 303);
  const consent = await agent.get(authorizePath(client));
  assert.equal(consent.status, 200, consent.body.slice(0, 300));
  const back = await agent.post('/oauth/v2/auth/consent', {
    csrf: consent.field('csrf'),
    interaction: consent.field('interaction'),
    decision: 'accept',
  });
  assert.equal(back.status, 303);
  return back.redirectParams();
}

const findClientDcs = async (h: Harness, clientId: string) => (await h.storage.clients.find(clientId))!;

const readLeads = (origin: string, accessToken: string) =>
  fetch(`${origin}/crm/v8/Leads?fields=Last_Name`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });

describeEach(
  'several data centres on one server',
  STORE_KINDS,
  startTwoDcs,
  ({ h }) => h.close(),
  (get) => {
    test('serverinfo lists every DC; each origin has discovery documents of its own, one JWKS for all', async () => {
      const { us, eu } = get();
      for (const origin of [us, eu]) {
        const info = await fetch(`${origin}/oauth/serverinfo`);
        assert.equal(info.status, 200);
        assert.match(info.headers.get('cache-control')!, /public/);
        assert.deepEqual(await info.json(), { result: 'success', locations: { us, eu } });
        const openid = (await (await fetch(`${origin}/.well-known/openid-configuration`)).json()) as Record<string, string>;
        assert.equal(openid.issuer, origin);
        assert.equal(openid.token_endpoint, `${origin}/oauth/v2/token`);
        assert.equal(openid.jwks_uri, `${origin}/oauth/v2/keys`);
        const oauth = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
        assert.equal(oauth.issuer, origin);
      }
      assert.deepEqual(await (await fetch(`${us}/oauth/v2/keys`)).json(), await (await fetch(`${eu}/oauth/v2/keys`)).json());
      const zest = await (await fetch(`${eu}/.well-known/zest/authentication-schema.xml`)).text();
      assert.ok(zest.includes(`${eu}/oauth/v2/token`), "the ZEST description names the DC's own token URL");
      assert.ok(!zest.includes(us), 'and no other DC');
    });

    test("a flow started at another DC's accounts server sends the user home: location, accounts-server, api_domain are the user's DC", async () => {
      const { h, us, eu } = get();
      const owner = await userIn(h, 'us');
      const client = await h.client(owner, 'server');
      await enable(h, client, ['eu']);
      const ann = await userIn(h, 'eu');

      const params = await authorizeAt(us, client, ann);
      assert.equal(params.get('location'), 'eu');
      assert.equal(params.get('accounts-server'), eu);
      assert.equal(params.get('iss'), us, 'RFC 9207: the accounts server that answered');
      const code = params.get('code')!;

      const wrong = await exchange(us, client, code);
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'invalid_client');
      assert.match(wrong.body.error_description, /eu data centre/);

      const tokens = await exchange(eu, client, code);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.equal(tokens.body.api_domain, eu);

      // The token is answered at its DC's API domain only.
      assert.equal((await readLeads(eu, tokens.body.access_token)).status, 204, 'no leads yet: an empty list, not a refusal');
      const elsewhere = await readLeads(us, tokens.body.access_token);
      assert.equal(elsewhere.status, 401);
      assert.equal(((await elsewhere.json()) as { code: string }).code, 'INVALID_TOKEN');

      // So is the profile endpoint, at its DC's accounts server.
      const profile = (origin: string) =>
        fetch(`${origin}/oauth/user/info`, { headers: { authorization: `Zoho-oauthtoken ${tokens.body.access_token}` } });
      assert.equal((await profile(eu)).status, 200);
      assert.equal((await profile(us)).status, 401);

      // Refresh, introspection and revocation belong at the user's DC too.
      const refresh = {
        grant_type: 'refresh_token',
        client_id: client.clientId,
        client_secret: client.clientSecret!,
        refresh_token: tokens.body.refresh_token,
      };
      assert.equal((await post(us, '/oauth/v2/token', refresh)).body.error, 'invalid_client');
      const refreshed = await post(eu, '/oauth/v2/token', refresh);
      assert.equal(refreshed.status, 200);
      assert.equal(refreshed.body.api_domain, eu);
      const introspect = { client_id: client.clientId, client_secret: client.clientSecret!, token: refreshed.body.access_token };
      assert.deepEqual((await post(us, '/oauth/v2/introspect', introspect)).body, { active: false });
      const described = await post(eu, '/oauth/v2/introspect', introspect);
      assert.equal(described.body.active, true);
      assert.equal(described.body.iss, eu);
      await post(us, '/oauth/v2/token/revoke', { token: tokens.body.refresh_token });
      assert.equal((await post(eu, '/oauth/v2/token', refresh)).status, 200, 'a revocation at another DC changes nothing');
      assert.equal((await post(eu, '/oauth/v2/token/revoke', { token: tokens.body.refresh_token })).status, 200);
      assert.equal((await post(eu, '/oauth/v2/token', refresh)).body.error, 'invalid_grant');
    });

    test('a user of a DC the client is not enabled in cannot authorize it; a token call there is invalid_client', async () => {
      const { h, us, eu } = get();
      const owner = await userIn(h, 'us');
      const client = await h.client(owner, 'server');
      const ann = await userIn(h, 'eu');
      const agent = new BrowserAgent(eu);
      await agent.signIn(ann.email, PASSWORD);
      const refused = await agent.get(authorizePath(client));
      assert.equal(refused.status, 403);
      assert.match(refused.body, /not available in your data centre/);
      assert.equal(refused.location, undefined, 'the application is not told');

      const selfClient = await h.client(owner, 'self');
      const form = {
        grant_type: 'client_credentials',
        client_id: selfClient.clientId,
        client_secret: selfClient.clientSecret!,
        scope: 'ZohoCRM.modules.ALL',
      };
      const atEu = await post(eu, '/oauth/v2/token', form);
      assert.equal(atEu.body.error, 'invalid_client');
      const atUs = await post(us, '/oauth/v2/token', form);
      assert.equal(atUs.status, 200);
      assert.equal(atUs.body.api_domain, us, "client_credentials: the owner's (the client's home) DC");

      await enable(h, client, ['eu']);
      const params = await authorizeAt(eu, client, ann);
      assert.equal(params.get('iss'), eu);
      assert.equal((await exchange(eu, client, params.get('code')!)).status, 200);
    });

    test("the device flow: approved by a user of another DC, the device's DC answers other_dc; the user's DC gives the tokens", async () => {
      const { h, us, eu } = get();
      const owner = await userIn(h, 'us');
      const device = await h.client(owner, 'device');
      await enable(h, device, ['eu']);
      const started = await post(us, '/oauth/v3/device/code', { client_id: device.clientId, grant_type: 'device_request', scope: SCOPES });
      assert.equal(started.body.verification_url, `${us}/oauth/v3/device`);
      const ann = await userIn(h, 'eu');
      const agent = new BrowserAgent(us);
      await agent.signIn(ann.email, PASSWORD);
      const entry = await agent.get('/oauth/v3/device');
      const consent = await agent.post('/oauth/v3/device', { csrf: entry.field('csrf'), user_code: started.body.user_code });
      const answered = await agent.post('/oauth/v3/device/consent', {
        csrf: consent.field('csrf'),
        user_code: consent.field('user_code'),
        decision: 'accept',
      });
      assert.equal(answered.status, 200);
      const pollForm = {
        client_id: device.clientId,
        client_secret: device.clientSecret!,
        grant_type: 'device_token',
        code: started.body.device_code,
      };
      const atUs = await post(us, '/oauth/v3/device/token', pollForm);
      assert.equal(atUs.status, 400);
      assert.equal(atUs.body.error, 'other_dc');
      assert.equal(atUs.body.user_location, 'eu');
      const atEu = await post(eu, '/oauth/v3/device/token', pollForm);
      assert.equal(atEu.status, 200, JSON.stringify(atEu.body));
      assert.equal(atEu.body.api_domain, eu);
    });

    test('a device flow started at a DC the device client is not enabled in is invalid_client, and nothing is stored', async () => {
      const { h, us, eu } = get();
      const device = await h.client(await userIn(h, 'us'), 'device');
      const zoho = { client_id: device.clientId, grant_type: 'device_request', scope: SCOPES };
      const rfc = { client_id: device.clientId, scope: SCOPES };
      const withSecret = { ...rfc, client_secret: device.clientSecret! };
      const before = await h.snapshot();
      for (const [path, form] of [
        ['/oauth/v3/device/code', zoho],
        ['/oauth/device_authorization', rfc],
        ['/oauth/device_authorization', withSecret],
      ] as const) {
        const refused = await post(eu, path, form);
        assert.equal(refused.status, 401, `${path}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error, 'invalid_client');
        assert.match(refused.body.error_description, /not enabled in the eu data centre/);
      }
      assert.deepEqual(diffSnapshots(before, await h.snapshot()), {}, 'no device authorization was created');
      assert.equal((await post(us, '/oauth/v3/device/code', zoho)).status, 200, 'its home DC starts one');
      await enable(h, device, ['eu']);
      assert.equal((await post(eu, '/oauth/device_authorization', rfc)).status, 200, 'and so does eu once enabled');
    });

    test("openid-client, configured from each origin's discovery, validates that DC's id_token (iss, signature)", async () => {
      const { h, us, eu } = get();
      const owner = await userIn(h, 'us');
      const client = await h.client(owner, 'server');
      await enable(h, client, ['eu']);
      for (const [dc, origin] of [
        ['us', us],
        ['eu', eu],
      ] as const) {
        const config = await openidDiscovery(origin, client.clientId, client.clientSecret!);
        const user = await userIn(h, dc);
        const nonce = oidc.randomNonce();
        const back = await signInAndConsent(
          new BrowserAgent(origin),
          user.email,
          authorizePath(client, { scope: 'openid,email', nonce, state: 'st' }),
        );
        const tokens = await oidc.authorizationCodeGrant(config, back, { expectedNonce: nonce, expectedState: 'st' });
        assert.equal(tokens.claims()!.iss, origin, `${dc}: iss is its own accounts server`);
      }
    });

    test("logout per DC: each discovery's end_session_endpoint, a hint from any DC, the logout token's iss the user's DC", async () => {
      const { h, us, eu } = get();
      const receiver = await LogoutReceiver.start();
      try {
        const bye = 'https://app.example.com/signed-out';
        const owner = await userIn(h, 'us');
        const client = await h.client(owner, 'server', [REDIRECT], { postLogoutRedirectUris: [bye], backchannelLogoutUri: receiver.uri });
        await enable(h, client, ['eu']);
        for (const origin of [us, eu]) {
          const openid = (await (await fetch(`${origin}/.well-known/openid-configuration`)).json()) as Record<string, string>;
          assert.equal(openid.end_session_endpoint, `${origin}/oauth/v2/logout`);
        }
        const ann = await userIn(h, 'eu');
        const agent = new BrowserAgent(eu);
        assert.equal((await agent.signIn(ann.email, PASSWORD)).status, 303);
        const consent = await agent.get(authorizePath(client, { scope: 'openid,email' }));
        const back = await agent.post('/oauth/v2/auth/consent', {
          csrf: consent.field('csrf'),
          interaction: consent.field('interaction'),
          decision: 'accept',
        });
        const tokens = await exchange(eu, client, back.redirectParams().get('code')!);
        const idToken = tokens.body.id_token as string;
        assert.equal(decodeJwt(idToken).iss, eu);

        // The eu id_token is a hint at the us accounts server too (no session there: nothing to end, back to the client).
        const logout = `/oauth/v2/logout?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: bye })}`;
        assert.equal((await new BrowserAgent(us).get(logout)).location, bye);
        assert.equal(receiver.received.length, 0);
        // At eu it ends the session, and the logout token comes from the user's DC, as the id_token did.
        assert.equal((await agent.get(logout)).location, bye);
        const [delivery] = await receiver.waitFor(1);
        const logoutToken = decodeJwt(delivery!.form.get('logout_token')!);
        assert.deepEqual([logoutToken.iss, logoutToken.sub, logoutToken.sid], [eu, ann.zuid, decodeJwt(idToken).sid]);
      } finally {
        await receiver.close();
      }
    });

    test('home DCs and Multi-DC settings through the API and the console: validated, listed, audited', async () => {
      const { h, us } = get();
      const admin = await userIn(h, 'us');
      await h.storage.users.setAdmin(admin.zuid, true);
      const deps = { users: h.storage.users, apiTokens: h.storage.apiTokens, hasher: h.gatehouse.hasher, now: h.clock.now };
      const { token } = await createApiToken({ email: admin.email, name: `dc-${Date.now()}` }, deps);
      const api = async (method: string, path: string, body: unknown) => {
        const response = await fetch(`${us}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Record<string, any> };
      };
      const person = { first_name: 'Eve', last_name: 'Ng', password: 'correct horse battery' };
      const created = await api('POST', '/users', { ...person, email: `eve-${Date.now()}@example.eu`, dc: 'eu' });
      assert.equal(created.status, 201);
      assert.equal(created.body.user.dc, 'eu');
      const unknown = await api('POST', '/users', { ...person, email: `x-${Date.now()}@example.com`, dc: 'mars' });
      assert.deepEqual([unknown.status, unknown.body.code, unknown.body.field], [400, 'user.dc_unknown', 'dc']);
      const primary = await api('POST', '/users', { ...person, email: `p-${Date.now()}@example.com` });
      assert.equal(primary.body.user.dc, 'us', 'by default the primary, named');

      const client = await h.client(await h.storage.users.findByZuid(created.body.user.zuid).then((u) => u!), 'server');
      const set = await api('PUT', `/clients/${client.clientId}/data-centers`, { other_dcs: ['us', 'eu'] });
      assert.equal(set.status, 200);
      assert.equal(set.body.client.home_dc, 'eu', "the owner's DC");
      assert.deepEqual(set.body.client.other_dcs, ['us'], 'the home DC is not listed among the others');
      const bad = await api('PUT', `/clients/${client.clientId}/data-centers`, { other_dcs: ['mars'] });
      assert.deepEqual([bad.status, bad.body.code], [400, 'client.dc_unknown']);
      assert.deepEqual((await findClientDcs(h, client.clientId)).otherDcs, ['us'], 'a refused change changes nothing');
      const events = await h.storage.auditEvents.list({ type: 'client.updated', clientId: client.clientId, limit: 10 });
      assert.match(events[0]!.detail ?? '', /data centres besides home: us/);

      // The console: the owner's Settings tab, a checkbox per DC besides home.
      const agent = new BrowserAgent(us);
      const owner = await userIn(h, 'us');
      const own = await h.client(owner, 'server');
      await agent.signIn(owner.email, PASSWORD);
      const settings = await agent.get(`/developer-console/clients/${own.clientId}/settings`);
      assert.equal(settings.status, 200);
      assert.match(settings.body, /Home data centre: <strong>us<\/strong>/);
      assert.match(settings.body, /name="dc_eu"/);
      const saved = await agent.post(`/developer-console/clients/${own.clientId}/settings`, { csrf: settings.field('csrf'), dc_eu: 'yes' });
      assert.equal(saved.status, 200);
      assert.deepEqual((await findClientDcs(h, own.clientId)).otherDcs, ['eu']);
      const details = await agent.get(`/developer-console/clients/${own.clientId}`);
      assert.match(details.body, /href="[^"]*\/settings"/, 'the Settings tab is shown with several DCs');
    });
  },
);
