import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { REDIRECT } from '../support/harness.js';
import {
  authorizationUrl,
  discover,
  insecure,
  openidDiscovery,
  redeemOpenIdCode,
  requestChecks,
  secretPostClient,
  signInAndConsent,
} from '../support/strict-client.js';

/**
 * Pushed authorization requests (RFC 9126) driven by two strict, independent clients: oauth4webapi pushes the request
 * (PKCE, state, nonce) and redeems the code; openid-client's `buildAuthorizationUrlWithPAR` does the same its own way,
 * with Basic authentication. The browser part (sign-in, consent) is the test's cookie-keeping agent.
 */
describeEachStore(
  'pushed authorization requests with oauth4webapi and openid-client',
  (get) => {
    test('oauth4webapi: pushedAuthorizationRequest, the browser with only client_id and request_uri, then the code with PKCE', async () => {
      const h = get();
      const as = await discover(h.baseUrl, 'oidc');
      assert.equal(as.pushed_authorization_request_endpoint, `${h.baseUrl}/oauth/v2/par`);

      const user = await h.user();
      const { client, auth } = secretPostClient(await h.client(user, 'server', [REDIRECT]));
      const { checks, params } = await requestChecks();
      const response = await oauth.pushedAuthorizationRequest(
        as,
        client,
        auth,
        { redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email ZohoCRM.modules.ALL', ...params },
        insecure,
      );
      const { request_uri, expires_in } = await oauth.processPushedAuthorizationResponse(as, client, response);
      assert.ok(expires_in > 0 && expires_in <= 90);

      const url = authorizationUrl(as, { client_id: client.client_id, request_uri });
      const back = await signInAndConsent(new BrowserAgent(h.baseUrl), user.email, url);
      const tokens = await redeemOpenIdCode(as, client, auth, back, REDIRECT, checks);
      assert.equal(oauth.getValidatedIdTokenClaims(tokens)!.sub, user.zuid);
      assert.equal(tokens.scope, 'openid email ZohoCRM.modules.ALL');

      // The library reads a refusal as RFC 9126 §2.3 writes it.
      const refused = await oauth.pushedAuthorizationRequest(
        as,
        client,
        auth,
        { redirect_uri: 'https://evil.example/', response_type: 'code', scope: 'openid' },
        insecure,
      );
      await assert.rejects(oauth.processPushedAuthorizationResponse(as, client, refused), (err: unknown) => {
        assert.ok(err instanceof oauth.ResponseBodyError);
        assert.equal(err.error, 'invalid_request');
        assert.equal(err.status, 400);
        return true;
      });
    });

    test('openid-client: buildAuthorizationUrlWithPAR with Basic authentication, then authorizationCodeGrant', async () => {
      const h = get();
      const user = await h.user();
      const registered = await h.client(user, 'server', [REDIRECT]);
      const config = await openidDiscovery(h.baseUrl, registered.clientId, undefined, openid.ClientSecretBasic(registered.clientSecret!));
      const { checks, params } = await requestChecks();
      const url = await openid.buildAuthorizationUrlWithPAR(config, { redirect_uri: REDIRECT, scope: 'openid email', ...params });
      assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);

      const back = await signInAndConsent(new BrowserAgent(h.baseUrl), user.email, url);
      const tokens = await openid.authorizationCodeGrant(config, back, checks);
      assert.equal(tokens.claims()!.sub, user.zuid);
    });
  },
  // openid-client checks times against the real clock: the server's stays at real time.
  { issuer: 'base-url', limits: { codeRate: null } },
);
