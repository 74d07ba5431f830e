import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as client from 'openid-client';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';

const REDIRECT = 'https://app.example.com/callback';
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

      // The test server speaks plain http on loopback; everything else openid-client checks stays on.
      const config = await client.discovery(
        new URL(h.baseUrl),
        registered.clientId,
        {},
        client.ClientSecretPost(registered.clientSecret!),
        { execute: [client.allowInsecureRequests] },
      );
      assert.equal(config.serverMetadata().end_session_endpoint, `${h.baseUrl}/oauth/v2/logout`);

      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const authorizationUrl = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid email',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(user.email, 'correct horse battery');
      const consent = await agent.get(authorizationUrl.href);
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
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
