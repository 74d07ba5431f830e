import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { REDIRECT } from '../support/harness.js';
import { openidDiscovery, requestChecks, signInAndConsent } from '../support/strict-client.js';

const BYE = 'https://app.example.com/signed-out';

/**
 * Gatehouse's logout driven by openid-client v6, a certified relying party library: discovery, the code flow with PKCE,
 * state and nonce, then `buildEndSessionUrl` from the discovered `end_session_endpoint`, followed by the browser.
 */
describeEachStore(
  'interoperability with openid-client: RP-initiated logout',
  (get) => {
    test('discovery, the code flow, then buildEndSessionUrl signs the user out and returns to the application with state', async () => {
      const h = get();
      const user = await h.user();
      const registered = await h.client(user, 'server', [REDIRECT], { postLogoutRedirectUris: [BYE] });
      const config = await openidDiscovery(h.baseUrl, registered.clientId, {}, client.ClientSecretPost(registered.clientSecret!));
      assert.equal(config.serverMetadata().end_session_endpoint, `${h.baseUrl}/oauth/v2/logout`);

      const { checks, params } = await requestChecks();
      const authorizationUrl = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid email', ...params });
      const agent = new BrowserAgent(h.baseUrl);
      const back = await signInAndConsent(agent, user.email, authorizationUrl);
      const tokens = await client.authorizationCodeGrant(config, back, { ...checks, idTokenExpected: true });
      assert.equal(tokens.claims()?.sub, user.zuid);
      assert.equal(typeof tokens.claims()?.sid, 'string');

      const logoutState = client.randomState();
      const endSessionUrl = client.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: BYE,
        state: logoutState,
      });
      const done = await agent.get(endSessionUrl.href);
      assert.equal(done.status, 303);
      assert.equal(done.location, `${BYE}?state=${logoutState}`);
      assert.equal((await agent.get('/account/connected-apps')).status, 303, 'signed out: sent to sign in');
    });
  },
  { issuer: 'base-url' },
);
