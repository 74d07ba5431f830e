import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLI_CONTEXT } from '../../src/core/audit/audit-log.js';
import { createOrganisation, setOrgMember } from '../../src/core/orgs/administer-organisations.js';
import type { Organisation } from '../../src/core/orgs/organisation-repository.js';
import { BrowserAgent, type Page } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';
const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.org.READ';

/** An administrator of `orgs` organisations (and a plain member of one more), signed in, with a server app to grant. */
async function setUp(h: Harness, orgs = 1) {
  const admin = await h.user();
  const founder = await h.user();
  const organisations: Organisation[] = [];
  for (let i = 0; i < orgs; i++) {
    const org = await createOrganisation(`Org ${i} ${admin.zuid.slice(-4)}`, admin, CLI_CONTEXT, h.gatehouse);
    organisations.push(org);
  }
  const notAdministered = await createOrganisation(`Theirs ${admin.zuid.slice(-4)}`, founder, CLI_CONTEXT, h.gatehouse);
  await setOrgMember(notAdministered, admin, 'user', CLI_CONTEXT, h.gatehouse);
  const client = await h.client(await h.user(), 'server');
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(admin.email, PASSWORD);
  return { admin, founder, organisations, notAdministered, client, agent };
}

const orgAuthUrl = (client: RegisteredTestClient, extra: Record<string, string> = {}) =>
  `/oauth/v2/org/auth?${new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: SCOPE,
    access_type: 'offline',
    state: 'xyz',
    ...extra,
  })}`;

const answer = (agent: BrowserAgent, page: Page, fields: Record<string, string>) =>
  agent.post('/oauth/v2/org/auth/consent', { csrf: page.field('csrf'), interaction: page.field('interaction'), ...fields });

async function introspect(h: Harness, client: RegisteredTestClient, token: string) {
  return (await h.post('/oauth/v2/introspect', { client_id: client.clientId, client_secret: client.clientSecret!, token })).body!;
}

async function crmOrg(h: Harness, accessToken: string) {
  const res = await h.request('/crm/v8/org', { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body!.org[0] as { id: string; company_name: string };
}

/** Grants `org` through the consent page and exchanges the code; the tokens. */
async function grantOrg(h: Harness, agent: BrowserAgent, client: RegisteredTestClient, org: Organisation) {
  const page = await agent.get(orgAuthUrl(client));
  assert.equal(page.status, 200, page.body);
  const back = await answer(agent, page, { decision: 'accept', org: org.id });
  const params = back.redirectParams();
  assert.equal(params.get('state'), 'xyz');
  return h.exchange(client, params.get('code')!, { redirect_uri: REDIRECT });
}

describeEachStore('org-level authorization (/oauth/v2/org/auth)', (get) => {
  test('an administrator of several picks one; the code and its tokens act for that organisation', async () => {
    const h = get();
    const { admin, organisations, notAdministered, client, agent } = await setUp(h, 2);
    const page = await agent.get(orgAuthUrl(client));
    assert.equal(page.status, 200);
    assert.match(page.body, /wants to access an organisation you administer/);
    for (const org of organisations) assert.ok(page.body.includes(`value="${org.id}"`), 'each administered organisation is offered');
    assert.ok(!page.body.includes(notAdministered.id), 'not one where the user is a plain member');
    assert.match(page.body, /even if you stop administering it/);

    const chosen = organisations[1]!;
    const back = await answer(agent, page, { decision: 'accept', org: chosen.id });
    const params = back.redirectParams();
    assert.equal(params.get('location'), 'us');
    assert.ok(params.get('code'));
    const tokens = await h.exchange(client, params.get('code')!, { redirect_uri: REDIRECT });
    assert.ok(tokens.refresh_token, 'access_type=offline brings a refresh token');
    assert.equal(tokens.id_token, undefined);

    const described = await introspect(h, client, tokens.access_token);
    assert.equal(described.active, true);
    assert.equal(described.org_id, chosen.id);
    assert.equal(described.sub, admin.zuid, 'sub stays who authorised it');
    assert.equal((await introspect(h, client, tokens.refresh_token!)).org_id, chosen.id);
    const crm = await crmOrg(h, tokens.access_token);
    assert.deepEqual([crm.id, crm.company_name], [chosen.id, chosen.name], "the sample CRM answers the token's organisation");

    const refreshed = await h.refresh(client, tokens.refresh_token!);
    assert.equal(refreshed.status, 200);
    assert.equal((await introspect(h, client, refreshed.body!.access_token)).org_id, chosen.id, 'a refresh keeps the organisation');

    const audit = await h.storage.auditEvents.list({ type: 'org.grant.approved', userZuid: admin.zuid, limit: 5 });
    assert.equal(audit[0]?.subject, chosen.id);
    assert.equal(audit[0]?.clientId, client.clientId);
  });

  test("the grant outlives the administrator's role (Zoho's rule); disabling the account ends it", async () => {
    const h = get();
    const { admin, organisations, client, agent } = await setUp(h);
    const org = organisations[0]!;
    const tokens = await grantOrg(h, agent, client, org);
    await setOrgMember(org, admin, 'user', CLI_CONTEXT, h.gatehouse);
    assert.equal((await introspect(h, client, tokens.access_token)).active, true);
    const refreshed = await h.refresh(client, tokens.refresh_token!);
    assert.equal(refreshed.status, 200, 'the refresh token still works after the admin is demoted');

    await h.gatehouse.storage.transaction(async (tx) => tx.tokens.revokeAllForUser(admin.zuid));
    assert.equal((await introspect(h, client, refreshed.body!.access_token)).active, false);
  });

  test('refused before any page: response_type=token, identity scopes, prompt=none; a non-administrator is access_denied', async () => {
    const h = get();
    const { client, agent, founder } = await setUp(h);
    // A JavaScript app could use the implicit flow at /oauth/v2/auth; an org-wide grant is a code only.
    const jsApp = await h.client(await h.user(), 'client');
    const implicit = await agent.get(orgAuthUrl(jsApp, { response_type: 'token', access_type: 'online' }));
    assert.equal(implicit.redirectParams().get('error'), 'unsupported_response_type');
    for (const scope of ['openid,ZohoCRM.org.READ', 'ZohoCRM.org.READ,email']) {
      const identity = await agent.get(orgAuthUrl(client, { scope }));
      assert.equal(identity.redirectParams().get('error'), 'invalid_scope', scope);
      assert.equal(identity.redirectParams().get('state'), 'xyz');
    }
    const silent = await agent.get(orgAuthUrl(client, { prompt: 'none' }));
    assert.equal(silent.redirectParams().get('error'), 'consent_required');

    const plain = new BrowserAgent(h.baseUrl);
    const member = await h.user();
    const [theirs] = await h.storage.organisations.administeredBy(founder.zuid);
    await setOrgMember(theirs!, member, 'user', CLI_CONTEXT, h.gatehouse);
    await plain.signIn(member.email, PASSWORD);
    const denied = await plain.get(orgAuthUrl(client));
    assert.equal(denied.redirectParams().get('error'), 'access_denied');
    assert.match(denied.redirectParams().get('error_description')!, /administers no organisation/);
  });

  test('an answer naming an organisation the user does not administer is refused, and issues nothing', async () => {
    const h = get();
    const { client, agent, notAdministered } = await setUp(h);
    const page = await agent.get(orgAuthUrl(client));
    const forged = await answer(agent, page, { decision: 'accept', org: notAdministered.id });
    assert.equal(forged.status, 403);
    assert.match(forged.body, /Not an organisation you administer/);
    assert.deepEqual(await h.storage.tokens.listGrants({ orgId: notAdministered.id }), []);

    const again = await agent.get(orgAuthUrl(client));
    const missing = await answer(agent, again, { decision: 'accept' });
    assert.equal(missing.status, 400, 'no organisation chosen');
    const rejected = await answer(agent, again, { decision: 'reject' });
    assert.equal(rejected.redirectParams().get('error'), 'access_denied', 'the malformed answer left the page answerable');
  });

  test("an organisation's grant is its own pair: apart from the administrator's own grants, limits and connected apps", async () => {
    const h = get();
    const { organisations, client, agent } = await setUp(h);
    const org = organisations[0]!;
    const ownCode = await agent.consentTo(
      `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, access_type: 'offline' })}`,
    );
    const own = await h.exchange(client, ownCode.searchParams.get('code')!, { redirect_uri: REDIRECT });
    const orgTokens = await grantOrg(h, agent, client, org);

    const apps = await agent.get('/account/connected-apps');
    assert.match(apps.body, /Organisation-wide access/);
    assert.ok(apps.body.includes(`name="org_id" value="${org.id}"`));

    // The user's own Revoke leaves the organisation's grant alone.
    const ownRevoke = await agent.post('/account/connected-apps/revoke', { csrf: apps.field('csrf'), client_id: client.clientId });
    assert.equal(ownRevoke.status, 303);
    assert.equal((await introspect(h, client, own.refresh_token!)).active, false);
    assert.equal((await introspect(h, client, orgTokens.refresh_token!)).active, true);

    // Someone who does not administer it can neither revoke it nor learn anything.
    const outsider = new BrowserAgent(h.baseUrl);
    await outsider.signIn((await h.user()).email, PASSWORD);
    const outsiderPage = await outsider.get('/account/connected-apps');
    assert.ok(!outsiderPage.body.includes('Organisation-wide access'));
    const refused = await outsider.post('/account/connected-apps/revoke-org', {
      csrf: outsiderPage.field('csrf'),
      client_id: client.clientId,
      org_id: org.id,
    });
    assert.equal(refused.status, 403);
    assert.equal((await introspect(h, client, orgTokens.access_token)).active, true);

    const orgRevoke = await agent.post('/account/connected-apps/revoke-org', {
      csrf: apps.field('csrf'),
      client_id: client.clientId,
      org_id: org.id,
    });
    assert.equal(orgRevoke.status, 303);
    assert.equal((await introspect(h, client, orgTokens.access_token)).active, false);
    assert.equal((await introspect(h, client, orgTokens.refresh_token!)).active, false);
    const byClient = await h.storage.auditEvents.list({ type: 'org.grant.revoked', clientId: client.clientId, limit: 5 });
    assert.equal(byClient[0]?.subject, org.id);
  });

  test('scope enhancement is refused for an organisation-wide refresh token', async () => {
    const h = get();
    const { organisations, client, agent } = await setUp(h);
    const tokens = await grantOrg(h, agent, client, organisations[0]!);
    const res = await h.post('/oauth/v2/token/scopeenhance', {
      grant_type: 'update_scopes_token',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      refresh_token: tokens.refresh_token!,
    });
    assert.equal(res.body!.error, 'invalid_grant');
    assert.match(res.body!.error_description, /organisation-wide/);
  });

  test("a Self Client's soid token names its organisation too", async () => {
    const h = get();
    const owner = await h.user();
    const org = await createOrganisation('Soid Org', owner, CLI_CONTEXT, h.gatehouse);
    const self = await h.client(owner, 'self');
    const forOrg = await h.clientCredentials(self, 'ZohoCRM.org.READ', { soid: `ZohoCRM.${org.id}` });
    assert.equal((await crmOrg(h, forOrg.access_token)).id, org.id);
    const plain = await h.clientCredentials(self, 'ZohoCRM.org.READ');
    assert.notEqual((await crmOrg(h, plain.access_token)).id, org.id, 'without soid, the owner’s own one-person org');
    assert.equal((await introspect(h, self, plain.access_token)).org_id, undefined);
  });
});

/** 20 refresh tokens per (organisation, client), not per administrator: the limit, low here, applies per pair. */
describeEachStore(
  'org-level authorization: refresh token limit',
  (get) => {
    test("an organisation's grants evict its own oldest, never the administrator's own", async () => {
      const h = get();
      const { organisations, client, agent } = await setUp(h);
      const ownCode = await agent.consentTo(
        `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, access_type: 'offline' })}`,
      );
      const own = await h.exchange(client, ownCode.searchParams.get('code')!, { redirect_uri: REDIRECT });
      const grants: string[] = [];
      for (let i = 0; i < 3; i++) grants.push((await grantOrg(h, agent, client, organisations[0]!)).refresh_token!);
      assert.equal((await introspect(h, client, own.refresh_token!)).active, true);
      assert.equal((await introspect(h, client, grants[0]!)).active, false, 'the oldest of the organisation goes');
      assert.equal((await introspect(h, client, grants[2]!)).active, true);
      assert.equal((await h.storage.tokens.listGrants({ orgId: organisations[0]!.id }))[0]?.refreshTokens, 2);
    });
  },
  { limits: { refreshTokens: 2 } },
);
