import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { REDIRECT } from '../support/harness.js';
import {
  authorizationUrl,
  discover,
  insecure,
  redeemOpenIdCode,
  requestChecks,
  secretPostClient,
  signInAndConsent,
} from '../support/strict-client.js';

/**
 * Gatehouse driven by oauth4webapi, an independent and strict client: discovery, PKCE, state, RFC 9207 `iss`, the
 * id_token's claims and nonce, userinfo, refresh, introspection and revocation. The browser part (sign-in, consent) is
 * done by the test's cookie-keeping agent.
 */
describeEachStore(
  'interoperability with oauth4webapi',
  (get) => {
    test('the authorization code flow with PKCE and OpenID Connect, then refresh, introspection and revocation', async () => {
      const h = get();
      const as = await discover(h.baseUrl, 'oidc');
      assert.equal(as.authorization_response_iss_parameter_supported, true);

      const user = await h.user();
      const { client, auth } = secretPostClient(await h.client(user, 'server', [REDIRECT]));

      const { checks, params } = await requestChecks();
      const url = authorizationUrl(as, {
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: 'openid email profile ZohoCRM.modules.ALL',
        access_type: 'offline',
        ...params,
      });
      const back = await signInAndConsent(new BrowserAgent(h.baseUrl), user.email, url);
      const tokens = await redeemOpenIdCode(as, client, auth, back, REDIRECT, checks);
      assert.equal(tokens.token_type, 'bearer');
      const claims = oauth.getValidatedIdTokenClaims(tokens)!;
      assert.equal(claims.sub, user.zuid);
      // oauth4webapi trusts the TLS channel for the id_token's signature; check it against the JWKS as well.
      await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(as.jwks_uri!)), { issuer: as.issuer, audience: client.client_id });

      const info = await oauth.processUserInfoResponse(
        as,
        client,
        claims.sub,
        await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
      );
      assert.equal(info.email, user.email);

      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure),
      );
      assert.ok(refreshed.access_token);

      const { client: rsClient, auth: rsAuth } = secretPostClient(await h.client(await h.user(), 'server'));
      const active = await oauth.processIntrospectionResponse(
        as,
        rsClient,
        await oauth.introspectionRequest(as, rsClient, rsAuth, refreshed.access_token, insecure),
      );
      assert.equal(active.active, true);
      assert.equal(active.sub, user.zuid);

      await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, tokens.refresh_token!, insecure));
      const inactive = await oauth.processIntrospectionResponse(
        as,
        rsClient,
        await oauth.introspectionRequest(as, rsClient, rsAuth, refreshed.access_token, insecure),
      );
      assert.equal(inactive.active, false, 'revoking the refresh token ended the access tokens issued from it');
    });

    test('a response from another issuer is refused by the client (RFC 9207 mix-up defence)', async () => {
      const as = await discover(get().baseUrl, 'oidc');
      const forged = new URL(`${REDIRECT}?code=x&state=s&iss=${encodeURIComponent('https://evil.example')}`);
      assert.throws(() => oauth.validateAuthResponse(as, { client_id: 'c' }, forged, 's'));
    });
  },
  { issuer: 'base-url', limits: { codeRate: null } },
);
