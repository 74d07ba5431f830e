import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { findClient, updateClient } from '../../src/core/clients/register-client.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { REDIRECT } from '../support/harness.js';
import { authorizationUrl, discover, insecure, secretPostClient, signInAndConsent } from '../support/strict-client.js';

const REPORTS = 'https://reports.example.com/api';

/**
 * oauth4webapi, a strict third-party library, on both sides: as the client it sends `resource` on the authorization
 * and token requests (RFC 8707); as a resource server it validates the Gatehouse JWT access token it got
 * (`validateJwtAccessToken`: RFC 9068 claims, `typ`, signature against the discovered JWKS, `iss`, `aud`, `exp`).
 */
describeEachStore(
  'JWT access tokens and resource indicators with oauth4webapi',
  (get) => {
    test('code flow with resource; the access token validates as an RFC 9068 JWT for that audience only', async () => {
      const h = get();
      const as = await discover(h.baseUrl, 'oauth2');
      const user = await h.user();
      const registered = await h.client(user, 'server', [REDIRECT]);
      const { storage, hasher, now } = h.gatehouse;
      await updateClient(
        await findClient(registered.clientId, storage.clients),
        { accessTokenFormat: 'jwt' },
        { users: storage.users, clients: storage.clients, hasher, now },
      );
      const { client, auth } = secretPostClient(registered);

      const state = oauth.generateRandomState();
      const url = authorizationUrl(as, {
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: 'ZohoCRM.modules.ALL',
        access_type: 'offline',
        state,
      });
      url.searchParams.append('resource', h.baseUrl);
      url.searchParams.append('resource', REPORTS);
      const back = await signInAndConsent(new BrowserAgent(h.baseUrl), user.email, url);
      const callback = oauth.validateAuthResponse(as, client, back, state);
      const tokens = await oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(as, client, auth, callback, REDIRECT, oauth.nopkce, {
          additionalParameters: { resource: REPORTS },
          ...insecure,
        }),
      );

      const request = new Request(`${REPORTS}/summary`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const claims = await oauth.validateJwtAccessToken(as, request, REPORTS, insecure);
      assert.deepEqual(
        [claims.sub, claims.client_id, claims.aud, claims.scope],
        [user.zuid, client.client_id, REPORTS, 'ZohoCRM.modules.ALL'],
      );
      await assert.rejects(oauth.validateJwtAccessToken(as, request, h.baseUrl, insecure), 'not for the sample API');

      // The refresh token keeps both resources: a refresh may ask for the other one.
      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, {
          additionalParameters: { resource: h.baseUrl },
          ...insecure,
        }),
      );
      const crm = new Request(`${h.baseUrl}/crm/v8/Leads/4000000000001`, {
        headers: { authorization: `Bearer ${refreshed.access_token}` },
      });
      assert.equal((await oauth.validateJwtAccessToken(as, crm, h.baseUrl, insecure)).aud, h.baseUrl);
      assert.equal((await fetch(crm)).status, 204, 'the sample CRM API takes it (no such record: 204)');
    });
  },
  { issuer: 'base-url', limits: { codeRate: null }, resources: [REPORTS] },
);
