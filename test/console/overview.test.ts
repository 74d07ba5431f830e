import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';

/** The numbers one chart of the overview writes: its total and each hour's bar, oldest first. */
function chart(body: string, id: string): { total: number; bars: number[] } {
  const section = new RegExp(`<section class="chart-card" aria-labelledby="${id}-heading">([\\s\\S]*?)</section>`).exec(body);
  assert.ok(section, `the ${id} chart`);
  const total = Number(/<span class="chart-total">(\d+)<\/span>/.exec(section[1]!)![1]);
  const bars = [...section[1]!.matchAll(/<text class="bar-value"[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
  return { total, bars };
}

function liveCount(body: string, name: string): number {
  return Number(new RegExp(`<dt>${name}</dt>\\s*<dd>(\\d+)</dd>`).exec(body)![1]);
}

describeEachStore('developer console: the administrators\u2019 overview', (get) => {
  test('charts this hour\u2019s tokens, sign-ins and failed sign-ins with their numbers, and live counts; hours roll off', async () => {
    const h = get();
    const admin = await h.user({ isAdmin: true });
    const client = await h.client(admin, 'self');
    const before = h.gatehouse.activity.series();
    const agent = new BrowserAgent(h.baseUrl);
    assert.equal((await new BrowserAgent(h.baseUrl).signIn(admin.email, 'wrong password')).status, 401);
    assert.equal((await agent.signIn(admin.email, 'correct horse battery', '/developer-console')).status, 303);
    await h.clientCredentials(client);
    await h.clientCredentials(client);

    const page = await agent.get('/developer-console/admin/overview');
    assert.equal(page.status, 200);
    assert.match(page.body, /<svg class="chart"[^>]*role="img" aria-labelledby="tokens-title tokens-desc">/);
    assert.match(page.body, /<title id="tokens-title">Tokens issued per hour<\/title>/);
    assert.doesNotMatch(page.body, /<script>|style="/, 'no inline script or style (the CSP forbids both)');
    const expected = { tokens: 2, 'sign-ins': 1, 'failed-sign-ins': 1 };
    for (const [id, added] of Object.entries(expected)) {
      const { total, bars } = chart(page.body, id);
      assert.equal(bars.length, 24);
      const key = id === 'tokens' ? 'tokens' : id === 'sign-ins' ? 'signIns' : 'failedSignIns';
      assert.equal(bars[23], before[key][23]! + added, `${id}: this hour's bar`);
      assert.equal(
        total,
        bars.reduce((sum, n) => sum + n, 0),
        `${id}: the total is the bars' sum`,
      );
    }
    assert.equal(liveCount(page.body, 'Users'), await h.storage.users.count());
    assert.equal(liveCount(page.body, 'Clients'), await h.storage.clients.count());
    assert.equal(liveCount(page.body, 'Grants'), await h.storage.consents.count());

    // A day later every bar counts a new hour: what was counted has rolled off.
    h.clock.advance(24 * 60 * 60);
    assert.deepEqual(h.gatehouse.activity.series().tokens, new Array(24).fill(0));
  });

  test('is refused to anyone but an administrator, and asks a signed-out visitor to sign in', async () => {
    const h = get();
    const user = await h.user();
    const agent = new BrowserAgent(h.baseUrl);
    await agent.signIn(user.email, 'correct horse battery', '/developer-console');
    const refused = await agent.get('/developer-console/admin/overview');
    assert.equal(refused.status, 403);
    assert.doesNotMatch(refused.body, /Tokens issued/);
    const stranger = await new BrowserAgent(h.baseUrl).get('/developer-console/admin/overview');
    assert.equal(stranger.status, 303);
  });
});
