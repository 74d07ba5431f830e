import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { Harness } from '../support/harness.js';
import { sqliteStore } from '../support/stores.js';
import { ApiClient } from '../resources/api-client.js';
import { parseExposition, valueOf, type Sample } from '../support/exposition.js';
import { enrollTotp, signInWithCode, totpCode } from '../support/mfa.js';

const PASSWORD = 'correct horse battery';
const TOTP_STEP_MS = 30_000;

async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

const TOKEN_REQUESTS = 'gatehouse_http_request_duration_seconds_count';

describeEachStore(
  'Prometheus metrics at /metrics',
  (get) => {
    test('a client_credentials token counts under its grant and client type, and its request under the route pattern', async () => {
      const h = get();
      const client = await h.client(await h.user(), 'self');
      const issued = { grant: 'client_credentials', client_type: 'self' };
      const tokenRoute = { route: '/oauth/v2/token', method: 'POST', status: '200' };
      const before = await scrape(`${h.baseUrl}/metrics`);
      await h.clientCredentials(client);
      assert.equal((await h.request('/no/such/path-7f3a')).status, 404);
      const response = await fetch(`${h.baseUrl}/metrics`);
      const text = await response.text();
      const afterwards = parseExposition(text);
      assert.equal(
        valueOf(afterwards, 'gatehouse_tokens_issued_total', issued),
        valueOf(before, 'gatehouse_tokens_issued_total', issued) + 1,
      );
      assert.equal(valueOf(afterwards, TOKEN_REQUESTS, tokenRoute), valueOf(before, TOKEN_REQUESTS, tokenRoute) + 1);
      const bucket = { ...tokenRoute, le: '+Inf' };
      assert.equal(
        valueOf(afterwards, 'gatehouse_http_request_duration_seconds_bucket', bucket),
        valueOf(afterwards, TOKEN_REQUESTS, tokenRoute),
      );
      assert.ok(valueOf(afterwards, TOKEN_REQUESTS, { route: 'unmatched', method: 'GET', status: '404' }) >= 1);
      assert.doesNotMatch(text, /path-7f3a/, 'a URL is never a label');
      assert.ok(valueOf(afterwards, 'process_cpu_user_seconds_total') > 0, "Node's default metrics are there");
    });

    test('sign-ins count by outcome; past the limit they count as throttled, and the limit counts its refusal', async () => {
      const h = get();
      const user = await h.user();
      const before = await scrape(`${h.baseUrl}/metrics`);
      const attempt = (password: string) => new BrowserAgent(h.baseUrl).signIn(user.email, password);
      assert.equal((await attempt(PASSWORD)).status, 303);
      for (let i = 0; i < 5; i++) assert.equal((await attempt('wrong password')).status, 401);
      assert.equal((await attempt('wrong password')).status, 429);
      const afterwards = await scrape(`${h.baseUrl}/metrics`);
      const delta = (name: string, labels: Record<string, string>) => valueOf(afterwards, name, labels) - valueOf(before, name, labels);
      assert.equal(delta('gatehouse_sign_ins_total', { outcome: 'success', step: 'password' }), 1);
      assert.equal(delta('gatehouse_sign_ins_total', { outcome: 'failure', step: 'password' }), 5);
      assert.equal(delta('gatehouse_sign_ins_total', { outcome: 'throttled', step: 'password' }), 1);
      assert.equal(delta('gatehouse_sign_ins_total', { outcome: 'failure', step: 'second_factor' }), 0);
      assert.equal(delta('gatehouse_rate_limit_refusals_total', { limit: 'sign_in' }), 1);
      assert.equal(delta(TOKEN_REQUESTS, { route: '/signin', method: 'POST', status: '429' }), 1);
    });

    test('a second factor counts as its own step: a wrong code, then the right one', async () => {
      const h = get();
      const user = await h.user();
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(user.email, PASSWORD);
      const { secret } = await enrollTotp(agent, h.clock.now());
      h.clock.current += TOTP_STEP_MS;
      const before = await scrape(`${h.baseUrl}/metrics`);
      const right = totpCode(secret, h.clock.now());
      const wrong = await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, right === '000000' ? '111111' : '000000');
      assert.equal(wrong.status, 401);
      assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, right)).status, 303);
      const afterwards = await scrape(`${h.baseUrl}/metrics`);
      const delta = (labels: Record<string, string>) =>
        valueOf(afterwards, 'gatehouse_sign_ins_total', labels) - valueOf(before, 'gatehouse_sign_ins_total', labels);
      assert.equal(delta({ outcome: 'success', step: 'password' }), 2);
      assert.equal(delta({ outcome: 'failure', step: 'second_factor' }), 1);
      assert.equal(delta({ outcome: 'success', step: 'second_factor' }), 1);
    });

    test("the store's work is measured: cache lookups, statement times; PostgreSQL's pool is read when scraped", async () => {
      const h = get();
      const client = await h.client(await h.user(), 'self');
      for (let i = 0; i < 2; i++) {
        await h.clientCredentials(client);
      }
      const samples = await scrape(`${h.baseUrl}/metrics`);
      assert.ok(valueOf(samples, 'gatehouse_read_cache_lookups_total', { result: 'miss' }) >= 1);
      assert.ok(valueOf(samples, 'gatehouse_store_statement_duration_seconds_count') >= 2);
      if (h.storage.dialect === 'postgres') {
        assert.ok(valueOf(samples, 'gatehouse_store_pool_connections') >= 1);
        assert.ok(valueOf(samples, 'gatehouse_store_pool_idle_connections') <= valueOf(samples, 'gatehouse_store_pool_connections'));
        assert.equal(valueOf(samples, 'gatehouse_store_pool_waiting_queries'), 0);
        assert.equal(valueOf(samples, 'gatehouse_store_commit_group_size_count'), 0, 'PostgreSQL has no commit groups');
      } else {
        assert.ok(valueOf(samples, 'gatehouse_read_cache_lookups_total', { result: 'hit' }) >= 1, 'the client is remembered');
        assert.ok(valueOf(samples, 'gatehouse_store_commit_group_size_sum') >= 2);
      }
    });

    test('a revoked token counts once; revoking it again counts nothing', async () => {
      const h = get();
      const client = await h.client(await h.user(), 'self');
      const token = await h.clientCredentials(client);
      const before = valueOf(await scrape(`${h.baseUrl}/metrics`), 'gatehouse_revocations_total', { kind: 'token' });
      for (let i = 0; i < 2; i++) {
        assert.equal((await h.post('/oauth/v2/revoke/token', { token: token.access_token })).status, 200);
      }
      assert.equal(valueOf(await scrape(`${h.baseUrl}/metrics`), 'gatehouse_revocations_total', { kind: 'token' }), before + 1);
    });
  },
  {},
  { metrics: true },
);

describe('metrics of the read lane [sqlite]', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start(sqliteStore, { limits: { codeRate: null } }, { metrics: true });
  });
  after(() => h.close());

  test('a protected read answered from memory is counted under the route it stands in for, as the one Fastify answered', async () => {
    const api = await ApiClient.forScopes(h, 'ZohoCRM.modules.leads.ALL');
    const id = (await api.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Counted' }] })).body!.data[0].details.id as string;
    const route = { route: '/crm/v8/:module/:id', method: 'GET', status: '200' };
    const before = valueOf(await scrape(`${h.baseUrl}/metrics`), TOKEN_REQUESTS, route);
    // The first read loads the store through Fastify; the next two are the read lane's (test/resources/read-lane.test.ts).
    for (let i = 0; i < 3; i++) assert.equal((await api.call('GET', `/crm/v8/Leads/${id}`)).status, 200);
    assert.equal(valueOf(await scrape(`${h.baseUrl}/metrics`), TOKEN_REQUESTS, route), before + 3);
  });
});
