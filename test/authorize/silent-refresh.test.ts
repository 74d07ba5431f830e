import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

const REDIRECT = 'https://app.example.com/callback';
const SCOPE = 'ZohoCRM.modules.leads.READ';

function implicitQuery(client: RegisteredTestClient, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    client_id: client.clientId,
    response_type: 'token',
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state: 's-1',
    ...extra,
  }).toString();
}

/** A signed-in user who granted a client-based (JavaScript) app through the implicit flow's consent page. */
async function grantedJsApp(h: Harness) {
  const user = await h.user();
  const client = await h.client(user, 'client');
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, 'correct horse battery');
  const consent = await agent.get(`/oauth/v2/auth?${implicitQuery(client)}`);
  const back = await agent.post('/oauth/v2/auth/consent', {
    csrf: consent.field('csrf'),
    interaction: consent.field('interaction'),
    decision: 'accept',
  });
  assert.ok(back.redirectParams().get('access_token'));
  return { user, client, agent };
}

describeEachStore('silent refresh for client-based apps (spec §2.4)', (get) => {
  test('after a grant: a fresh implicit-flow token in the fragment, no page, at both spellings of the path', async () => {
    const h = get();
    const { client, agent } = await grantedJsApp(h);
    for (const path of ['/oauth/v2/auth/refresh', '/oauth/v2/refresh']) {
      const res = await agent.get(`${path}?${implicitQuery(client)}`);
      assert.equal(res.status, 303, path);
      assert.ok(res.location!.startsWith(`${REDIRECT}#`), 'in the fragment, never the query');
      const params = res.redirectParams();
      assert.deepEqual(
        [params.get('token_type'), params.get('expires_in'), params.get('scope'), params.get('state'), params.get('location')],
        ['Bearer', '3600', SCOPE, 's-1', 'us'],
      );
      const crm = await h.request('/crm/v8/Leads', { headers: { authorization: `Zoho-oauthtoken ${params.get('access_token')}` } });
      assert.ok(crm.status !== 401 && crm.status !== 403, `the token works at the API (${crm.status})`);
      assert.equal(params.get('refresh_token'), null);
    }
  });

  test('errors in the fragment with state: client_not_granted without a grant, prompt_required beyond it or signed out', async () => {
    const h = get();
    const { user, client, agent } = await grantedJsApp(h);
    const other = await h.client(user, 'client');
    const cases: Array<[BrowserAgent, string, string]> = [
      [agent, implicitQuery(other), 'client_not_granted'],
      [agent, implicitQuery(client, { scope: `${SCOPE},ZohoCRM.modules.contacts.READ` }), 'prompt_required'],
      [agent, implicitQuery(client, { prompt: 'consent' }), 'prompt_required'],
      [new BrowserAgent(h.baseUrl), implicitQuery(client), 'prompt_required'],
      [
        agent,
        implicitQuery(client, { response_type: 'code', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256' }),
        'unsupported_response_type',
      ],
    ];
    for (const [who, query, error] of cases) {
      const res = await who.get(`/oauth/v2/auth/refresh?${query}`);
      assert.equal(res.status, 303, query);
      const params = res.redirectParams();
      assert.equal(params.get('error'), error, query);
      assert.equal(params.get('state'), 's-1');
      assert.equal(params.get('access_token'), null);
    }
    const badRedirect = await agent.get(`/oauth/v2/auth/refresh?${implicitQuery(client, { redirect_uri: 'https://evil.example/cb' })}`);
    assert.equal(badRedirect.status, 400, 'an unregistered redirect_uri is a page, never a redirect');
    assert.match(badRedirect.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  });
});
