import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { BrowserAgent, type Page } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { type Harness, PASSWORD, REDIRECT } from '../support/harness.js';
import { openidDiscovery, requestChecks } from '../support/strict-client.js';

const MAX_AGE = 60;

/**
 * Gatehouse driven by openid-client v6, a certified relying party: discovery, then the authorization code flow with
 * `max_age` and `prompt=login`, its id_token checked by the library itself (signature, issuer, audience, nonce, and
 * `auth_time` against `maxAge`). The browser part is the test's cookie-keeping agent. openid-client checks times
 * against the real clock, so the server's clock stays at real time except where a test sets it back.
 */
describeEachStore(
  'interoperability with openid-client',
  (get) => {
    /** The user's browser follows the request to the application's redirect URI, signing in when asked. */
    async function authorize(h: Harness, agent: BrowserAgent, url: URL, email: string): Promise<Page> {
      let page = await agent.get(url.pathname + url.search);
      if (page.location?.startsWith('/signin?')) {
        const form = await agent.get(page.location);
        h.clock.advance(1); // the person types
        const back = await agent.post('/signin', {
          csrf: form.field('csrf'),
          return_to: form.field('return_to'),
          email,
          password: PASSWORD,
        });
        assert.equal(back.status, 303);
        page = await agent.get(back.location!);
      }
      if (page.status === 200) {
        page = await agent.post('/oauth/v2/auth/consent', {
          csrf: page.field('csrf'),
          interaction: page.field('interaction'),
          decision: 'accept',
        });
      }
      assert.ok(page.location?.startsWith(REDIRECT), `expected the redirect back, got ${page.status} ${page.location}`);
      return page;
    }

    test('discovery, then max_age and prompt=login: a fresh sign-in whose auth_time the library accepts', async () => {
      const h = get();
      const user = await h.user();
      const registered = await h.client(user, 'server', [REDIRECT]);
      const config = await openidDiscovery(h.baseUrl, registered.clientId, registered.clientSecret!);
      const metadata = config.serverMetadata();
      assert.equal(metadata.claims_parameter_supported, true);
      assert.deepEqual(metadata.prompt_values_supported, ['none', 'login', 'consent', 'select_account']);
      assert.ok(metadata.claims_supported!.includes('auth_time'));

      const start = async (extra: Record<string, string>) => {
        const { checks, params } = await requestChecks();
        const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid email', ...params, ...extra });
        return { url, checks };
      };

      // The user signed in two minutes ago (and agreed then).
      const realNow = h.clock.now();
      h.clock.current = realNow - 120_000;
      const agent = new BrowserAgent(h.baseUrl);
      const first = await start({});
      await authorize(h, agent, first.url, user.email);
      h.clock.current = realNow;

      // Without max_age the old session answers, and the library's own auth_time check refuses it for maxAge=60.
      const stale = await start({});
      const staleBack = await authorize(h, agent, stale.url, user.email);
      await assert.rejects(
        client.authorizationCodeGrant(config, new URL(staleBack.location!), { ...stale.checks, maxAge: MAX_AGE }),
        (err: Error) => (err.cause as Error).message === 'too much time has elapsed since the last End-User authentication',
      );

      for (const extra of [{ max_age: String(MAX_AGE) }, { prompt: 'login' }] as Record<string, string>[]) {
        const fresh = await start(extra);
        const back = await authorize(h, agent, fresh.url, user.email);
        const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { ...fresh.checks, maxAge: MAX_AGE });
        const claims = tokens.claims()!;
        assert.equal(claims.sub, user.zuid, JSON.stringify(extra));
        assert.equal(claims.auth_time, Math.floor(h.clock.now() / 1000), JSON.stringify(extra));
        assert.equal(claims.acr, 'urn:gatehouse:loa:1');
      }
    });
  },
  { issuer: 'base-url', limits: { codeRate: null } },
);
