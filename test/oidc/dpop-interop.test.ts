import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { REDIRECT } from '../support/harness.js';
import { authorizationUrl, discover, insecure, requestChecks, signInAndConsent } from '../support/strict-client.js';

/** Runs a token request; on `use_dpop_nonce` (which the DPoP handle has then learnt the nonce from) once more. */
async function withNonceRetry<T>(
  send: () => Promise<Response>,
  process: (response: Response) => Promise<T>,
): Promise<{ result: T; retried: boolean }> {
  try {
    return { result: await process(await send()), retried: false };
  } catch (err) {
    if (!oauth.isDPoPNonceError(err)) throw err;
    return { result: await process(await send()), retried: true };
  }
}

/**
 * DPoP driven by oauth4webapi, a strict third-party client: a public client's authorization code flow with PKCE and
 * a DPoP key, the server's nonce retry, a bound refresh, and a protected API call with the bound token.
 */
describeEachStore(
  'DPoP interoperability with oauth4webapi',
  (get) => {
    test('code + PKCE with DPoP (nonce retry), refresh with the same key, a DPoP call to the CRM API', async () => {
      const h = get();
      const as = await discover(h.baseUrl, 'oauth2');
      assert.ok(as.dpop_signing_alg_values_supported?.includes('ES256'));

      const user = await h.user();
      const registered = await h.client(user, 'client', [REDIRECT]);
      const client: oauth.Client = { client_id: registered.clientId };
      const auth = oauth.None();
      const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));

      const { checks, params } = await requestChecks({ nonce: false });
      const url = authorizationUrl(as, {
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: 'ZohoCRM.modules.ALL ZohoCRM.users.READ',
        access_type: 'offline',
        ...params,
      });
      const back = await signInAndConsent(new BrowserAgent(h.baseUrl), user.email, url);
      const callback = oauth.validateAuthResponse(as, client, back, checks.expectedState);

      const exchange = await withNonceRetry(
        () => oauth.authorizationCodeGrantRequest(as, client, auth, callback, REDIRECT, checks.pkceCodeVerifier, { DPoP, ...insecure }),
        (response) => oauth.processAuthorizationCodeResponse(as, client, response),
      );
      assert.equal(exchange.retried, true, 'the first proof had no nonce, and the server asked for one');
      const tokens = exchange.result;
      assert.equal(tokens.token_type, 'dpop');

      // The handle keeps the nonce the last answer carried: no retry now.
      const refreshed = await withNonceRetry(
        () => oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, { DPoP, ...insecure }),
        (response) => oauth.processRefreshTokenResponse(as, client, response),
      );
      assert.equal(refreshed.retried, false);
      assert.equal(refreshed.result.token_type, 'dpop');

      const api = new URL(`${h.baseUrl}/crm/v8/users?type=CurrentUser`);
      const call = await oauth.protectedResourceRequest(refreshed.result.access_token, 'GET', api, new Headers(), null, {
        DPoP,
        ...insecure,
      });
      assert.equal(call.status, 200);
      assert.equal(((await call.json()) as { users: Array<{ email: string }> }).users[0]!.email, user.email);

      // Without its key the token is worth nothing: as a bearer token it is refused, with a DPoP challenge.
      await assert.rejects(
        oauth.protectedResourceRequest(refreshed.result.access_token, 'GET', api, new Headers(), null, insecure),
        (err) =>
          err instanceof oauth.WWWAuthenticateChallengeError &&
          err.response.status === 401 &&
          err.cause.some((c) => c.scheme === 'bearer' && c.parameters.error === 'invalid_token') &&
          err.cause.some((c) => c.scheme === 'dpop' && c.parameters.algs?.includes('ES256')),
      );
      // And a refresh without the key is refused: the public client's refresh token is bound.
      const other = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
      await assert.rejects(
        withNonceRetry(
          () => oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, { DPoP: other, ...insecure }),
          (response) => oauth.processRefreshTokenResponse(as, client, response),
        ),
        (err) => err instanceof oauth.ResponseBodyError && err.error === 'invalid_grant',
      );
    });
  },
  { issuer: 'base-url', limits: { codeRate: null } },
);
