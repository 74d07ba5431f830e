import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLI_CONTEXT } from '../../src/core/audit/audit-log.js';
import { createOrganisation } from '../../src/core/orgs/administer-organisations.js';
import type { User } from '../../src/core/users/user.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { addPasskey, enrollTotp, passkeyOptions, RIGHT_CLAIMS, setupKey, totpCode } from '../support/mfa.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';
import { describeEachDeployment, newAddress } from './deployments.js';
import { registeredRoutes } from './fuzz-routes.js';
import { diffSnapshots } from './store-diff.js';

const PASSWORD = 'correct horse battery';

/** A signed-in browser: its cookies and the CSRF token its pages carry. */
interface Browser {
  agent: BrowserAgent;
  user: User;
  token: string;
}

async function signedInBrowser(h: Harness, isAdmin: boolean): Promise<Browser> {
  const user = await h.user({ isAdmin });
  const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
  assert.equal((await agent.signIn(user.email, PASSWORD)).status, 303);
  const page = await agent.get('/account/connected-apps');
  return { agent, user, token: page.field('csrf') };
}

/** What one state-changing request needs to succeed for its victim: where it goes and what it carries. */
interface Forgeable {
  path: string;
  /** Form fields (the token goes in `csrf`), or a JSON body for `/api/v1` (the token goes in `X-CSRF-Token`). */
  form?: Record<string, string>;
  json?: Record<string, unknown>;
}

interface Row {
  /** As the server registers it: `METHOD /path/:param`. */
  route: string;
  /** Sets up what the request acts on, for a victim signed in (admin) in `victim`, and returns the request. */
  prepare(h: Harness, victim: Browser): Promise<Forgeable>;
}

const method = (row: Row) => row.route.split(' ')[0]!;

async function ownClient(h: Harness, victim: Browser, type: 'server' | 'self' = 'server'): Promise<RegisteredTestClient> {
  return h.client(victim.user, type);
}

/** A grant the victim holds: consent recorded and live tokens. */
async function grantOf(h: Harness, victim: Browser): Promise<RegisteredTestClient> {
  const owner = await h.user();
  const client = await h.client(owner, 'server');
  await h.storage.consents.grant(victim.user.zuid, client.clientId, 'ZohoCRM.modules.ALL', h.clock.now());
  await h.exchange(client, await h.webCode(client.clientId, victim.user), { redirect_uri: client.redirectUris[0]! });
  return client;
}

/** A device authorization waiting for the victim's answer; its user code. */
async function waitingDevice(h: Harness, victim: Browser): Promise<string> {
  const device = await h.client(await h.user(), 'device');
  const started = await h.post('/oauth/v3/device/code', {
    client_id: device.clientId,
    grant_type: 'device_request',
    scope: 'ZohoCRM.modules.ALL',
  });
  void victim;
  return started.body!.user_code as string;
}

/** A user an administrator acts on; one to enable is disabled first, so that enabling changes something. */
async function targetUser(h: Harness, action: string): Promise<User> {
  const user = await h.user();
  if (action === 'enable') await h.storage.users.setDisabled(user.zuid, true);
  return user;
}

/** A user with an authenticator app, added from the pages, for an administrator to reset. */
async function userWithFactor(h: Harness): Promise<User> {
  const user = await h.user();
  const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
  await agent.signIn(user.email, PASSWORD);
  await enrollTotp(agent, h.clock.now());
  return user;
}

const newUserFields = () => ({
  email: `forged-${Math.random().toString(36).slice(2)}@example.com`,
  first_name: 'Forged',
  last_name: 'User',
  password: 'forged horse battery',
});

/** Another user's grant on one of the victim's clients: consent recorded and live tokens. */
async function grantOnOwnClient(h: Harness, victim: Browser): Promise<{ client: RegisteredTestClient; holder: User }> {
  const client = await ownClient(h, victim);
  const holder = await h.user();
  await h.storage.consents.grant(holder.zuid, client.clientId, 'ZohoCRM.modules.ALL', h.clock.now());
  await h.exchange(client, await h.webCode(client.clientId, holder), { redirect_uri: client.redirectUris[0]! });
  return { client, holder };
}

const clientFormFields = { name: 'Forged app', homepage: 'https://forged.example', redirect_uris: 'https://forged.example/cb' };

/** Every state-changing route a browser session can reach, with what makes it succeed. */
const ROWS: Row[] = [
  { route: 'POST /signout', prepare: async () => ({ path: '/signout', form: {} }) },
  { route: 'POST /oauth/v2/logout/confirm', prepare: async () => ({ path: '/oauth/v2/logout/confirm', form: {} }) },
  {
    route: 'POST /account/password',
    prepare: async () => ({
      path: '/account/password',
      form: { current_password: PASSWORD, new_password: 'forged horse battery', confirm_password: 'forged horse battery' },
    }),
  },
  {
    route: 'POST /account/security/totp',
    prepare: async (h, v) => {
      const setup = await v.agent.get('/account/security/totp');
      return {
        path: '/account/security/totp',
        form: { enrollment: setup.field('enrollment'), code: totpCode(setupKey(setup), h.clock.now()) },
      };
    },
  },
  ...(['/account/security/totp/remove', '/account/security/recovery-codes', '/account/security/recovery-codes/remove'] as const).map(
    (path): Row => ({
      route: `POST ${path}`,
      prepare: async (h, v) => {
        await enrollTotp(v.agent, h.clock.now());
        return { path, form: { current_password: PASSWORD } };
      },
    }),
  ),
  ...(['/account/security/passkeys/options', '/account/security/confirm/options'] as const).map((path): Row => ({
    route: `POST ${path}`,
    prepare: async () => ({ path, form: {} }),
  })),
  {
    route: 'POST /account/security/passkeys',
    prepare: async (_h, v) => {
      const options = await passkeyOptions(v.agent, '/account/security/passkeys/options', await v.agent.get('/account/security'));
      return { path: '/account/security/passkeys', form: { passkey_response: new SoftAuthenticator().register(options, RIGHT_CLAIMS) } };
    },
  },
  {
    route: 'POST /account/security/passkeys/remove',
    prepare: async (_h, v) => {
      const authenticator = new SoftAuthenticator();
      assert.equal((await addPasskey(v.agent, authenticator)).status, 303);
      return { path: '/account/security/passkeys/remove', form: { credential_id: authenticator.credentialId, current_password: PASSWORD } };
    },
  },
  {
    route: 'POST /account/connected-apps/revoke',
    prepare: async (h, v) => ({ path: '/account/connected-apps/revoke', form: { client_id: (await grantOf(h, v)).clientId } }),
  },
  {
    route: 'POST /oauth/v2/auth/consent',
    prepare: async (h, v) => {
      const client = await h.client(await h.user(), 'server');
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: client.redirectUris[0]!,
        scope: 'ZohoCRM.modules.ALL',
        state: 's',
      });
      const consent = await v.agent.get(`/oauth/v2/auth?${query}`);
      return { path: '/oauth/v2/auth/consent', form: { interaction: consent.field('interaction'), decision: 'accept' } };
    },
  },
  {
    route: 'POST /oauth/v2/org/auth/consent',
    prepare: async (h, v) => {
      const org = await createOrganisation(`CSRF ${v.user.zuid}`, v.user, CLI_CONTEXT, h.gatehouse);
      const client = await h.client(await h.user(), 'server');
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: client.redirectUris[0]!,
        scope: 'ZohoCRM.modules.ALL',
      });
      const consent = await v.agent.get(`/oauth/v2/org/auth?${query}`);
      return { path: '/oauth/v2/org/auth/consent', form: { interaction: consent.field('interaction'), decision: 'accept', org: org.id } };
    },
  },
  {
    route: 'POST /account/connected-apps/revoke-org',
    prepare: async (h, v) => {
      const org = await createOrganisation(`CSRF ${v.user.zuid}`, v.user, CLI_CONTEXT, h.gatehouse);
      return {
        path: '/account/connected-apps/revoke-org',
        form: { client_id: (await h.client(v.user, 'server')).clientId, org_id: org.id },
      };
    },
  },
  {
    route: 'POST /oauth/v2/token/addextrascope/consent',
    prepare: async (h, v) => {
      const client = await h.client(await h.user(), 'server');
      const code = await h.webCode(client.clientId, v.user, { scope: 'ZohoCRM.modules.leads.READ' });
      const { refresh_token } = await h.exchange(client, code, { redirect_uri: client.redirectUris[0]! });
      const enhance = await h.post('/oauth/v2/token/scopeenhance', {
        grant_type: 'update_scopes_token',
        client_id: client.clientId,
        client_secret: client.clientSecret!,
        refresh_token: refresh_token!,
      });
      const query = new URLSearchParams({
        response_type: 'update_scopes',
        client_id: client.clientId,
        redirect_uri: client.redirectUris[0]!,
        scope: 'ZohoCRM.modules.contacts.READ',
        enhance_token: enhance.body!.access_token as string,
      });
      const page = await v.agent.get(`/oauth/v2/token/addextrascope?${query}`);
      return { path: '/oauth/v2/token/addextrascope/consent', form: { interaction: page.field('interaction'), decision: 'accept' } };
    },
  },
  {
    route: 'POST /oauth/v3/device',
    prepare: async (h, v) => ({ path: '/oauth/v3/device', form: { user_code: await waitingDevice(h, v) } }),
  },
  {
    route: 'POST /oauth/v3/device/consent',
    prepare: async (h, v) => ({ path: '/oauth/v3/device/consent', form: { user_code: await waitingDevice(h, v), decision: 'accept' } }),
  },
  {
    route: 'POST /developer-console/new/:type',
    prepare: async () => ({ path: '/developer-console/new/server', form: clientFormFields }),
  },
  {
    route: 'POST /developer-console/clients/:clientId',
    prepare: async (h, v) => ({ path: `/developer-console/clients/${(await ownClient(h, v)).clientId}`, form: clientFormFields }),
  },
  {
    route: 'POST /developer-console/clients/:clientId/delete',
    prepare: async (h, v) => ({
      path: `/developer-console/clients/${(await ownClient(h, v)).clientId}/delete`,
      form: { confirmed: 'yes' },
    }),
  },
  {
    route: 'POST /developer-console/clients/:clientId/settings',
    prepare: async (h, v) => ({ path: `/developer-console/clients/${(await ownClient(h, v)).clientId}/settings`, form: { dc_us: 'yes' } }),
  },
  {
    route: 'POST /developer-console/clients/:clientId/secret',
    prepare: async (h, v) => ({
      path: `/developer-console/clients/${(await ownClient(h, v)).clientId}/secret`,
      form: { confirmed: 'yes' },
    }),
  },
  {
    route: 'POST /developer-console/clients/:clientId/generate-code',
    prepare: async (h, v) => ({
      path: `/developer-console/clients/${(await ownClient(h, v, 'self')).clientId}/generate-code`,
      form: { scope: 'ZohoCRM.modules.ALL', duration: '3', description: 'forged' },
    }),
  },
  {
    route: 'POST /developer-console/clients/:clientId/grants/revoke',
    prepare: async (h, v) => {
      const { client, holder } = await grantOnOwnClient(h, v);
      return { path: `/developer-console/clients/${client.clientId}/grants/revoke`, form: { zuid: holder.zuid, confirmed: 'yes' } };
    },
  },
  { route: 'POST /api/v1/clients', prepare: async () => ({ path: '/api/v1/clients', json: { type: 'server', ...clientApiFields } }) },
  {
    route: 'PATCH /api/v1/clients/:clientId',
    prepare: async (h, v) => ({ path: `/api/v1/clients/${(await ownClient(h, v)).clientId}`, json: { name: 'Forged name' } }),
  },
  {
    route: 'DELETE /api/v1/clients/:clientId',
    prepare: async (h, v) => ({ path: `/api/v1/clients/${(await ownClient(h, v)).clientId}` }),
  },
  {
    route: 'DELETE /api/v1/clients/:clientId/grants/:zuid',
    prepare: async (h, v) => {
      const { client, holder } = await grantOnOwnClient(h, v);
      return { path: `/api/v1/clients/${client.clientId}/grants/${holder.zuid}` };
    },
  },
  {
    route: 'PUT /api/v1/clients/:clientId/data-centers',
    prepare: async (h, v) => ({ path: `/api/v1/clients/${(await ownClient(h, v)).clientId}/data-centers`, json: { other_dcs: [] } }),
  },
  {
    route: 'POST /api/v1/clients/:clientId/secret',
    prepare: async (h, v) => ({ path: `/api/v1/clients/${(await ownClient(h, v)).clientId}/secret`, json: {} }),
  },
  {
    route: 'POST /api/v1/clients/:clientId/codes',
    prepare: async (h, v) => ({
      path: `/api/v1/clients/${(await ownClient(h, v, 'self')).clientId}/codes`,
      json: { scope: 'ZohoCRM.modules.ALL', duration: 3 },
    }),
  },
  {
    route: 'POST /developer-console/admin/users/new',
    prepare: async () => ({ path: '/developer-console/admin/users/new', form: newUserFields() }),
  },
  ...(['disable', 'enable', 'admin', 'reset-password'] as const).map((action): Row => ({
    route: `POST /developer-console/admin/users/:zuid/${action}`,
    prepare: async (h) => ({
      path: `/developer-console/admin/users/${(await targetUser(h, action)).zuid}/${action}`,
      form: { confirmed: 'yes', ...(action === 'admin' ? { admin: 'yes' } : {}) },
    }),
  })),
  {
    route: 'POST /developer-console/admin/users/:zuid/mfa-reset',
    prepare: async (h) => ({
      path: `/developer-console/admin/users/${(await userWithFactor(h)).zuid}/mfa-reset`,
      form: { confirmed: 'yes' },
    }),
  },
  {
    route: 'POST /api/v1/users/:zuid/mfa/reset',
    prepare: async (h) => ({ path: `/api/v1/users/${(await userWithFactor(h)).zuid}/mfa/reset`, json: {} }),
  },
  { route: 'POST /api/v1/users', prepare: async () => ({ path: '/api/v1/users', json: newUserFields() }) },
  {
    route: 'PATCH /api/v1/users/:zuid',
    prepare: async (h) => ({ path: `/api/v1/users/${(await targetUser(h, 'admin')).zuid}`, json: { is_admin: true } }),
  },
  ...(['disable', 'enable', 'reset-password'] as const).map((action): Row => ({
    route: `POST /api/v1/users/:zuid/${action}`,
    prepare: async (h) => ({ path: `/api/v1/users/${(await targetUser(h, action)).zuid}/${action}`, json: {} }),
  })),
];

const clientApiFields = { name: 'Forged app', homepage: 'https://forged.example', redirect_uris: ['https://forged.example/cb'] };

/**
 * State-changing routes a browser session cannot reach, and why they need no CSRF token: they authenticate with what a
 * browser never attaches by itself (client credentials, bearer tokens, device codes), or they are the sign-in form
 * (and its second step, before any session), tested on its own below.
 */
const NOT_SESSION_ROUTES = [
  /^POST \/signin(\/verify)?(\/passkey(\/options)?)?$/,
  /^[A-Z]+ \/oauth\/v2\/(token|token\/revoke|token\/scopeenhance|revoke|revoke\/token|introspect|userinfo|par)$/,
  /^[A-Z]+ \/oauth\/revoke$/,
  /^[A-Z]+ \/oauth\/v3\/device\/(code|token)$/,
  /^[A-Z]+ \/oauth\/device_authorization$/,
  /^[A-Z]+ \/(crm|fsm)\//,
  // RP-initiated logout's endpoint takes a client's form POST from the client's own site by design (RP-Initiated
  // Logout §2); it signs out only for a hint of this very session, else it asks (its answer is the row above).
  /^POST \/oauth\/v2\/logout$/,
  // The authorization endpoint's form POST (OpenID Connect Core §3.1.2.1) changes nothing: it is sent on, 303, as the
  // GET with the same parameters, which a cross-site link could send as well.
  /^POST \/oauth\/v2\/auth$/,
  // Dynamic client registration reads no cookie: a Bearer initial access or registration access token, or nothing (open).
  /^[A-Z]+ \/oauth\/v2\/register(\/:clientId)?$/,
];

/** Sends `forged` with exactly these cookies, token and Origin; returns the status. */
async function send(h: Harness, row: Row, forged: Forgeable, cookies: Record<string, string>, token: string | undefined, origin?: string) {
  const headers: Record<string, string> = {
    cookie: Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
    ...(origin ? { origin } : {}),
  };
  let body: string | undefined;
  if (forged.json !== undefined || (forged.form === undefined && row.route.includes('/api/v1/'))) {
    if (forged.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(forged.json);
    }
    if (token !== undefined) headers['x-csrf-token'] = token;
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ ...forged.form, ...(token !== undefined ? { csrf: token } : {}) }).toString();
  }
  const response = await fetch(h.baseUrl + forged.path, { method: method(row), headers, body, redirect: 'manual' });
  await response.arrayBuffer();
  return response.status;
}

const cookiesOf = (b: Browser) => ({ gh_session: b.agent.cookies.get('gh_session')!, gh_csrf: b.agent.cookies.get('gh_csrf')! });

describeEachDeployment('hostile: CSRF on every state-changing route', (get) => {
  test('the table covers every state-changing route a browser session reaches', async () => {
    const changing = (await registeredRoutes()).filter((r) => /^(POST|PUT|PATCH|DELETE) /.test(r));
    const covered = new Set(ROWS.map((row) => row.route));
    const missing = changing.filter((r) => !covered.has(r) && !NOT_SESSION_ROUTES.some((re) => re.test(r)));
    assert.deepEqual(missing, [], 'state-changing routes without a CSRF row');
    for (const row of ROWS) assert.ok(changing.includes(row.route), `${row.route} is not a route`);
  });

  for (const row of ROWS) {
    test(`${row.route}: no token, another session's token, a foreign Origin: 403 and nothing changed; its own token works`, async () => {
      const h = get();
      const victim = await signedInBrowser(h, true);
      const attacker = await signedInBrowser(h, false);
      const forged = await row.prepare(h, victim);
      const attempts: Array<[string, Record<string, string>, string | undefined, string?]> = [
        ['no token', cookiesOf(victim), undefined],
        [
          'a token of another session, with its CSRF cookie planted',
          { ...cookiesOf(attacker), gh_session: cookiesOf(victim).gh_session },
          attacker.token,
        ],
        ["a token of another session, with the victim's CSRF cookie", cookiesOf(victim), attacker.token],
        ['the right token from another site', cookiesOf(victim), victim.token, 'https://evil.example'],
      ];
      for (const [what, cookies, token, origin] of attempts) {
        const before = await h.snapshot();
        const status = await send(h, row, forged, cookies, token, origin);
        assert.equal(status, 403, `${what}: ${status}`);
        assert.deepEqual(diffSnapshots(before, await h.snapshot()), {}, `${what} changed the store`);
      }
      const own = await send(h, row, forged, cookiesOf(victim), victim.token);
      assert.ok(own !== 403 && own < 500, `the victim's own request: ${own}`);
    });
  }

  test('the sign-in form: a token from another browser, or none, is refused; no session is made', async () => {
    const h = get();
    const user = await h.user();
    const address = newAddress();
    const victim = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': address });
    const attacker = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': address });
    await victim.get('/signin');
    const attackerToken = (await attacker.get('/signin')).field('csrf');
    for (const csrf of [attackerToken, '', '0'.repeat(64)]) {
      const page = await victim.post('/signin', { csrf, email: user.email, password: PASSWORD });
      assert.equal(page.status, 403);
      assert.equal(victim.cookies.get('gh_session'), undefined);
    }
  });

  test('"Sign in with a passkey": a token from another browser, or none, is refused before any challenge or session', async () => {
    const h = get();
    const victim = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    const attacker = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    await victim.get('/signin');
    const attackerToken = (await attacker.get('/signin')).field('csrf');
    const before = await h.snapshot();
    for (const csrf of [attackerToken, '', '0'.repeat(64)]) {
      assert.equal((await victim.post('/signin/passkey/options', { csrf })).status, 403);
      assert.equal((await victim.post('/signin/passkey', { csrf, passkey_response: '{}' })).status, 403);
      assert.equal(victim.cookies.get('gh_session'), undefined);
    }
    assert.deepEqual(diffSnapshots(before, await h.snapshot()), {}, 'no challenge stored');
  });

  test('the second sign-in step: a token from another browser, or none, is refused; no session is made', async () => {
    const h = get();
    const user = await userWithFactor(h);
    const victim = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    const attacker = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    assert.match((await victim.signIn(user.email, PASSWORD)).location!, /^\/signin\/verify/);
    const attackerToken = (await attacker.get('/signin')).field('csrf');
    for (const csrf of [attackerToken, '', '0'.repeat(64)]) {
      const page = await victim.post('/signin/verify', { csrf, method: 'totp', code: '123456' });
      assert.equal(page.status, 403);
      assert.equal(victim.cookies.get('gh_session'), undefined);
    }
  });

  test('a token is good for its session only: after signing out and in again, the old one is refused', async () => {
    const h = get();
    const browser = await signedInBrowser(h, false);
    const old = browser.token;
    await browser.agent.post('/signout', { csrf: old });
    assert.equal((await browser.agent.signIn(browser.user.email, PASSWORD)).status, 303);
    const client = await grantOf(h, browser);
    const refused = await browser.agent.post('/account/connected-apps/revoke', { csrf: old, client_id: client.clientId });
    assert.equal(refused.status, 403);
    assert.ok(await h.storage.consents.find(browser.user.zuid, client.clientId), 'the grant is still there');
  });
});
