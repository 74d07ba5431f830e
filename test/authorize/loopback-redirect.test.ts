import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redirectUriMatches } from '../../src/core/authorize/checks/check-redirect-uri.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';

test('a loopback IP redirect URI matches with any port, and only the port may differ (RFC 8252 §7.3)', () => {
  const matches: Array<[string, string]> = [
    ['http://127.0.0.1/callback', 'http://127.0.0.1:53127/callback'],
    ['http://127.0.0.1:8080/callback', 'http://127.0.0.1:9/callback'],
    ['http://[::1]/callback', 'http://[::1]:61000/callback'],
    ['http://127.0.0.1', 'http://127.0.0.1:4000'],
    ['http://127.0.0.1/cb?x=1', 'http://127.0.0.1:4000/cb?x=1'],
  ];
  for (const [registered, requested] of matches) assert.ok(redirectUriMatches(registered, requested), `${registered} ~ ${requested}`);

  const differ: Array<[string, string]> = [
    ['http://127.0.0.1/callback', 'http://127.0.0.1:53127/callback/'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:53127/Callback'],
    ['http://127.0.0.1/callback', 'https://127.0.0.1:53127/callback'],
    ['http://127.0.0.1/callback', 'http://[::1]:53127/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1.evil.example:53127/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:53127@evil.example/callback'],
    ['http://localhost/callback', 'http://localhost:53127/callback'],
    ['https://app.example.com/callback', 'https://app.example.com:8443/callback'],
  ];
  for (const [registered, requested] of differ) assert.ok(!redirectUriMatches(registered, requested), `${registered} !~ ${requested}`);
});

describeEachStore('authorization endpoint: loopback redirect URIs', (get) => {
  test('a client that registered http://127.0.0.1/callback gets its code at whatever port it listens on', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'server', ['http://127.0.0.1/callback']);
    const agent = new BrowserAgent(h.baseUrl);
    await agent.signIn(user.email, 'correct horse battery');
    const redirectUri = 'http://127.0.0.1:53127/callback';
    const query = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'AaaServer.profile.READ',
    });
    const consent = await agent.get(`/oauth/v2/auth?${query}`);
    assert.equal(consent.status, 200, 'the consent page, not an error page');
    const answer = await agent.post('/oauth/v2/auth/consent', {
      csrf: consent.field('csrf'),
      interaction: consent.field('interaction'),
      decision: 'accept',
    });
    assert.ok(answer.location?.startsWith(`${redirectUri}?`), `redirected to ${answer.location}`);
    const code = answer.redirectParams().get('code')!;
    const tokens = await h.exchange(client, code, { redirect_uri: redirectUri });
    assert.ok(await h.accessTokenWorks(tokens.access_token));

    const otherHost = new URLSearchParams({ ...Object.fromEntries(query), redirect_uri: 'http://127.0.0.2:53127/callback' });
    assert.equal((await agent.get(`/oauth/v2/auth?${otherHost}`)).status, 400, 'another host is still refused, on a page');
  });
});
