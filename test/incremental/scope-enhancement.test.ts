import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';
import type { User } from '../../src/core/users/user.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';
const FIRST = 'ZohoCRM.modules.leads.READ';
const EXTRA = 'ZohoCRM.modules.contacts.READ';

/** A user who consented in the browser to a server app and holds its refresh token, still signed in. */
async function grantedApp(h: Harness) {
  const user = await h.user();
  const client = await h.client(user, 'server');
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, PASSWORD);
  const auth = `/oauth/v2/auth?${new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: FIRST,
    access_type: 'offline',
  })}`;
  const consent = await agent.get(auth);
  const back = await agent.post('/oauth/v2/auth/consent', {
    csrf: consent.field('csrf'),
    interaction: consent.field('interaction'),
    decision: 'accept',
  });
  const tokens = await h.exchange(client, back.redirectParams().get('code')!, { redirect_uri: REDIRECT });
  return { user, client, agent, refreshToken: tokens.refresh_token! };
}

function enhanceTokenRequest(client: RegisteredTestClient, refreshToken: string, extra: Record<string, string> = {}) {
  return {
    grant_type: 'update_scopes_token',
    client_id: client.clientId,
    client_secret: client.clientSecret!,
    refresh_token: refreshToken,
    ...extra,
  };
}

async function enhanceToken(h: Harness, client: RegisteredTestClient, refreshToken: string): Promise<string> {
  const res = await h.post('/oauth/v2/token/scopeenhance', enhanceTokenRequest(client, refreshToken));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body!.access_token as string;
}

function addExtraScopeUrl(client: RegisteredTestClient, enhanceToken: string, extra: Record<string, string> = {}): string {
  return `/oauth/v2/token/addextrascope?${new URLSearchParams({
    response_type: 'update_scopes',
    client_id: client.clientId,
    redirect_uri: REDIRECT,
    scope: EXTRA,
    enhance_token: enhanceToken,
    state: 'st&te',
    ...extra,
  })}`;
}

async function refreshTokenCount(h: Harness, user: User, client: RegisteredTestClient): Promise<number> {
  return (await h.storage.tokens.listGrants({ userZuid: user.zuid })).find((g) => g.clientId === client.clientId)?.refreshTokens ?? 0;
}

describeEachStore(
  'incremental authorization (spec §8)',
  (get) => {
    test('the enhancement token: Zoho shape, stored hashed, single use, never a bearer token anywhere', async () => {
      const h = get();
      const { client, refreshToken } = await grantedApp(h);
      const res = await h.post('/oauth/v2/token/scopeenhance', enhanceTokenRequest(client, refreshToken));
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body!).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.match(res.body!.access_token, /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
      assert.equal(res.body!.token_type, 'update_scope');
      assert.equal(res.body!.expires_in, 600);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const token = res.body!.access_token as string;
      const snapshot = JSON.stringify(await h.snapshot());
      assert.ok(!snapshot.includes(token), 'only its keyed hash is stored');

      for (const header of [`Zoho-oauthtoken ${token}`, `Bearer ${token}`]) {
        for (const path of ['/oauth/user/info', '/oauth/v2/userinfo', '/crm/v8/Leads']) {
          const refused = await h.request(path, { headers: { authorization: header } });
          assert.equal(refused.status, 401, `${path} refuses it`);
        }
      }
      const auth = { client_id: client.clientId, client_secret: client.clientSecret! };
      assert.deepEqual((await h.post('/oauth/v2/introspect', { ...auth, token })).body, { active: false });
      const asRefresh = await h.refresh(client, token);
      assert.equal(asRefresh.body!.error, 'invalid_grant', 'nor a refresh token');
    });

    test('the full flow: only the new scope is asked, the refresh token and later access tokens carry the union, no new refresh token', async () => {
      const h = get();
      const { user, client, agent, refreshToken } = await grantedApp(h);
      const before = await refreshTokenCount(h, user, client);
      assert.equal(before, 1);
      const token = await enhanceToken(h, client, refreshToken);

      const page = await agent.get(addExtraScopeUrl(client, token, { scope: `${FIRST},${EXTRA}` }));
      assert.equal(page.status, 200);
      assert.match(page.body, /Read your CRM contacts/);
      assert.doesNotMatch(page.body, /Read your CRM leads/, 'what was granted before is not asked again');
      assert.match(page.body, /wants more access to your account/);
      assert.match(page.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
      assert.match(page.body, /action="\/oauth\/v2\/token\/addextrascope\/consent"/);

      const back = await agent.post('/oauth/v2/token/addextrascope/consent', {
        csrf: page.field('csrf'),
        interaction: page.field('interaction'),
        decision: 'accept',
      });
      assert.equal(back.status, 303);
      assert.ok(back.location!.startsWith(`${REDIRECT}?`));
      const params = back.redirectParams();
      assert.equal(params.get('status'), 'success');
      assert.equal(params.get('state'), 'st&te');
      assert.equal(params.get('location'), 'us');
      assert.equal(params.get('accounts-server'), 'http://gatehouse.test');
      assert.equal(params.get('error'), null);

      for (let i = 0; i < 2; i++) {
        const refreshed = await h.refresh(client, refreshToken);
        assert.equal(refreshed.status, 200);
        assert.equal(refreshed.body!.scope, `${FIRST} ${EXTRA}`, 'every later access token carries the union');
        const contacts = await h.request('/crm/v8/Contacts', {
          headers: { authorization: `Zoho-oauthtoken ${refreshed.body!.access_token}` },
        });
        assert.notEqual(contacts.status, 401);
        assert.notEqual(contacts.status, 403, 'the new scope works at the API');
      }
      assert.equal(await refreshTokenCount(h, user, client), before, 'no refresh token minted');
      const consent = await h.storage.consents.find(user.zuid, client.clientId);
      assert.equal(consent!.scopes, [FIRST, EXTRA].sort().join(' '), 'Connected apps shows the enlarged grant');
      const connected = await agent.get('/account/connected-apps');
      assert.match(connected.body, /Read your CRM contacts/);

      const events = await h.storage.auditEvents.list({ type: 'grant.scopes.enhanced', userZuid: user.zuid, limit: 10 });
      assert.equal(events.length, 1);
      assert.equal(events[0]!.clientId, client.clientId);
      assert.equal(events[0]!.subject, EXTRA);
      assert.ok(!JSON.stringify(events).includes(token) && !JSON.stringify(events).includes(refreshToken), 'no secrets in the event');

      const again = await agent.get(addExtraScopeUrl(client, token, { scope: 'ZohoCRM.modules.deals.READ' }));
      assert.equal(again.status, 303, 'the token was used up');
      assert.equal(again.redirectParams().get('error'), 'invalid_request');
      assert.equal(again.redirectParams().get('state'), 'st&te');
    });

    test('revoking the app under Connected apps ends the enlarged grant and its enhancement tokens', async () => {
      const h = get();
      const { client, agent, refreshToken } = await grantedApp(h);
      const used = await enhanceToken(h, client, refreshToken);
      const page = await agent.get(addExtraScopeUrl(client, used));
      await agent.post('/oauth/v2/token/addextrascope/consent', {
        csrf: page.field('csrf'),
        interaction: page.field('interaction'),
        decision: 'accept',
      });
      const access = (await h.refresh(client, refreshToken)).body!.access_token as string;
      const pending = await enhanceToken(h, client, refreshToken);

      const apps = await agent.get('/account/connected-apps');
      const revoked = await agent.post('/account/connected-apps/revoke', { csrf: apps.field('csrf'), client_id: client.clientId });
      assert.equal(revoked.status, 303);
      assert.equal((await h.refresh(client, refreshToken)).status, 400);
      assert.equal(await h.accessTokenWorks(access), false);
      const late = await agent.get(addExtraScopeUrl(client, pending));
      assert.equal(late.redirectParams().get('error'), 'invalid_request', 'the pending enhancement token went with its refresh token');
    });

    test('signed out: sign-in first, then the consent page, through the same return_to machinery', async () => {
      const h = get();
      const { user, client, refreshToken } = await grantedApp(h);
      const url = addExtraScopeUrl(client, await enhanceToken(h, client, refreshToken));
      const fresh = new BrowserAgent(h.baseUrl);
      const start = await fresh.get(url);
      assert.equal(start.status, 303);
      assert.equal(start.location, `/signin?return_to=${encodeURIComponent(url)}`);
      const signedIn = await fresh.signIn(user.email, PASSWORD, url);
      assert.equal(signedIn.location, url);
      const page = await fresh.get(url);
      assert.equal(page.status, 200);
      assert.match(page.body, /Read your CRM contacts/);
    });

    test('another signed-in user is refused, and the token stays usable by its owner', async () => {
      const h = get();
      const { client, agent, refreshToken } = await grantedApp(h);
      const url = addExtraScopeUrl(client, await enhanceToken(h, client, refreshToken));
      const other = await h.user();
      const stranger = new BrowserAgent(h.baseUrl);
      await stranger.signIn(other.email, PASSWORD);
      const refused = await stranger.get(url);
      assert.equal(refused.status, 403);
      assert.match(refused.body, /another account/);
      assert.equal((await agent.get(url)).status, 200);
    });

    test('Reject: error=access_denied with state, and the grant is unchanged', async () => {
      const h = get();
      const { client, agent, refreshToken } = await grantedApp(h);
      const page = await agent.get(addExtraScopeUrl(client, await enhanceToken(h, client, refreshToken)));
      const back = await agent.post('/oauth/v2/token/addextrascope/consent', {
        csrf: page.field('csrf'),
        interaction: page.field('interaction'),
        decision: 'reject',
      });
      const params = back.redirectParams();
      assert.equal(params.get('error'), 'access_denied');
      assert.equal(params.get('state'), 'st&te');
      assert.equal(params.get('status'), null);
      assert.equal((await h.refresh(client, refreshToken)).body!.scope, FIRST);
    });

    test('logout=true ends the session after the decision', async () => {
      const h = get();
      const { client, agent, refreshToken } = await grantedApp(h);
      const page = await agent.get(addExtraScopeUrl(client, await enhanceToken(h, client, refreshToken), { logout: 'true' }));
      const back = await agent.post('/oauth/v2/token/addextrascope/consent', {
        csrf: page.field('csrf'),
        interaction: page.field('interaction'),
        decision: 'accept',
      });
      assert.equal(back.redirectParams().get('status'), 'success');
      const after = await agent.get('/account/connected-apps');
      assert.equal(after.status, 303, 'signed out');
      assert.match(after.location!, /^\/signin/);
    });

    test('a consent handle of one kind finds nothing at the other kind of page, and is not used up there', async () => {
      const h = get();
      const { client, agent, refreshToken } = await grantedApp(h);
      const page = await agent.get(addExtraScopeUrl(client, await enhanceToken(h, client, refreshToken)));
      const crossed = await agent.post('/oauth/v2/auth/consent', {
        csrf: page.field('csrf'),
        interaction: page.field('interaction'),
        decision: 'accept',
      });
      assert.equal(crossed.status, 400);
      assert.match(crossed.body, /already answered/);
      const own = await agent.post('/oauth/v2/token/addextrascope/consent', {
        csrf: page.field('csrf'),
        interaction: page.field('interaction'),
        decision: 'accept',
      });
      assert.equal(own.redirectParams().get('status'), 'success', 'the wrong page used nothing up');
    });

    test('step 2 errors: client and redirect_uri problems are pages, the rest go back in the redirect', async () => {
      const h = get();
      const { client, agent, refreshToken } = await grantedApp(h);
      const token = await enhanceToken(h, client, refreshToken);
      const shown: Array<Record<string, string>> = [
        { redirect_uri: 'https://evil.example/callback' },
        { client_id: '1000.UNKNOWNUNKNOWNUNKNOWNUNKNOWN12' },
      ];
      for (const extra of shown) {
        const page = await agent.get(addExtraScopeUrl(client, token, extra));
        assert.equal(page.status, 400, JSON.stringify(extra));
        assert.equal(page.location, undefined);
      }
      const cases: Array<[Record<string, string>, string]> = [
        [{ response_type: 'code' }, 'unsupported_response_type'],
        [{ scope: 'ZohoCRM.nonsense.READ' }, 'invalid_scope'],
        [{ enhance_token: 'not-a-token' }, 'invalid_request'],
        [{ enhance_token: '1000.00000000000000000000000000000000.00000000000000000000000000000000' }, 'invalid_request'],
        [{ logout: 'maybe' }, 'invalid_request'],
      ];
      for (const [extra, error] of cases) {
        const page = await agent.get(addExtraScopeUrl(client, token, extra));
        assert.equal(page.status, 303, JSON.stringify(extra));
        assert.equal(page.redirectParams().get('error'), error, JSON.stringify(extra));
        assert.equal(page.redirectParams().get('state'), 'st&te');
      }
      const otherClient = await h.client(await h.user(), 'server');
      const foreign = await agent.get(addExtraScopeUrl(otherClient, token));
      assert.equal(foreign.redirectParams().get('error'), 'invalid_request', "another client's token is unknown");

      h.clock.advance(601);
      const expired = await agent.get(addExtraScopeUrl(client, token));
      assert.equal(expired.redirectParams().get('error'), 'invalid_request', 'expired after ten minutes');
      assert.match(expired.redirectParams().get('error_description')!, /enhance_token/);
    });

    test('step 1 errors, RFC style', async () => {
      const h = get();
      const { client, refreshToken } = await grantedApp(h);
      const cases: Array<[Record<string, string>, number, string]> = [
        [{ grant_type: 'refresh_token' }, 400, 'unsupported_grant_type'],
        [{ client_secret: 'wrong' }, 401, 'invalid_client'],
        [{ client_id: '1000.UNKNOWNUNKNOWNUNKNOWNUNKNOWN12' }, 401, 'invalid_client'],
        [{ refresh_token: '1000.00000000000000000000000000000000.00000000000000000000000000000000' }, 400, 'invalid_grant'],
        [{ refresh_token: '' }, 400, 'invalid_request'],
      ];
      for (const [extra, status, error] of cases) {
        const res = await h.post('/oauth/v2/token/scopeenhance', enhanceTokenRequest(client, refreshToken, extra));
        assert.deepEqual([res.status, res.body!.error], [status, error], JSON.stringify(extra));
      }
      const duplicated = await h.post(
        `/oauth/v2/token/scopeenhance?grant_type=update_scopes_token`,
        enhanceTokenRequest(client, refreshToken),
      );
      assert.deepEqual([duplicated.status, duplicated.body!.error], [400, 'invalid_request']);
      const inQuery = await h.request(`/oauth/v2/token/scopeenhance?${new URLSearchParams(enhanceTokenRequest(client, refreshToken))}`, {
        method: 'POST',
      });
      assert.equal(inQuery.status, 200, 'parameters in the query string, as Zoho documents them');
      const viaGet = await h.request(`/oauth/v2/token/scopeenhance?${new URLSearchParams(enhanceTokenRequest(client, refreshToken))}`);
      assert.deepEqual([viaGet.status, viaGet.headers.get('allow')], [405, 'POST']);

      const otherClient = await h.client(await h.user(), 'server');
      const foreign = await h.post('/oauth/v2/token/scopeenhance', enhanceTokenRequest(otherClient, refreshToken));
      assert.equal(foreign.body!.error, 'invalid_grant', "another client's refresh token is unknown");
      const self = await h.client(await h.user(), 'self');
      const selfTokens = await h.exchange(self, await h.selfClientCode(self.clientId));
      const noRedirect = await h.post('/oauth/v2/token/scopeenhance', enhanceTokenRequest(self, selfTokens.refresh_token!));
      assert.deepEqual([noRedirect.status, noRedirect.body!.error], [400, 'unauthorized_client']);
    });
  },
  { limits: { codeRate: null, refreshRate: null } },
);

describeEachStore(
  'incremental authorization, Zoho error style',
  (get) => {
    test('step 1 answers invalid_client, invalid_client_secret and invalid_code with HTTP 200; another method gets 400', async () => {
      const h = get();
      const user = await h.user();
      const client = await h.client(user, 'server');
      const refreshToken = (await h.exchange(client, await h.webCode(client.clientId, user), { redirect_uri: REDIRECT })).refresh_token!;
      const cases: Array<[Record<string, string>, string]> = [
        [{ grant_type: 'authorization_code' }, 'invalid_client'],
        [{ client_id: '1000.UNKNOWNUNKNOWNUNKNOWNUNKNOWN12' }, 'invalid_client'],
        [{ client_secret: 'wrong' }, 'invalid_client_secret'],
        [{ refresh_token: '1000.00000000000000000000000000000000.00000000000000000000000000000000' }, 'invalid_code'],
      ];
      for (const [extra, error] of cases) {
        const res = await h.post('/oauth/v2/token/scopeenhance', enhanceTokenRequest(client, refreshToken, extra));
        assert.deepEqual([res.status, res.body!.error], [200, error], JSON.stringify(extra));
      }
      const viaGet = await h.request('/oauth/v2/token/scopeenhance');
      assert.equal(viaGet.status, 400);
      const ok = await h.post('/oauth/v2/token/scopeenhance', enhanceTokenRequest(client, refreshToken));
      assert.equal(ok.body!.token_type, 'update_scope');
    });

    test('step 1 is throttled per refresh token, reserved before it checks', async () => {
      const h = get();
      const user = await h.user();
      const client = await h.client(user, 'server');
      const refreshToken = (await h.exchange(client, await h.webCode(client.clientId, user), { redirect_uri: REDIRECT })).refresh_token!;
      const answers = await Promise.all(
        Array.from({ length: 14 }, () => h.post('/oauth/v2/token/scopeenhance', enhanceTokenRequest(client, refreshToken))),
      );
      assert.equal(answers.filter((a) => a.body!.token_type === 'update_scope').length, 10);
      assert.equal(answers.filter((a) => a.body!.error === 'Access Denied').length, 4);
    });
  },
  { errorStyle: 'zoho' },
);
