import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { BrowserAgent } from '../support/browser-agent.js';
import { authorizePath, enable, exchange, PASSWORD, post, REDIRECT, SCOPES, startTwoDcs, userIn } from '../support/data-centers.js';
import { describeEach } from '../support/each-store.js';
import { STORE_KINDS } from '../support/stores.js';

type Page = Awaited<ReturnType<BrowserAgent['get']>>;

/** Answers a consent page (the authorization endpoint's or the scope enhancement's) with Accept. */
const accept = (agent: BrowserAgent, action: string, page: Page) =>
  agent.post(action, { csrf: page.field('csrf'), interaction: page.field('interaction'), decision: 'accept' });

/**
 * Incremental authorization, silent refresh and the id_tokens of the implicit flow and of a refresh, with two data
 * centres (spec §8, §2.4, §9): they answer as the authorization endpoint and the token endpoint do.
 */
describeEach(
  'incremental authorization and silent refresh across data centres',
  STORE_KINDS,
  startTwoDcs,
  ({ h }) => h.close(),
  (get) => {
    test("scope enhancement belongs at the refresh token's DC; its redirect names that DC, a refresh's id_token its issuer", async () => {
      const { h, us, eu } = get();
      const client = await h.client(await userIn(h, 'us'), 'server');
      await enable(h, client, ['eu']);
      const ann = await userIn(h, 'eu');
      const agent = new BrowserAgent(us);
      await agent.signIn(ann.email, PASSWORD);
      const consent = await agent.get(authorizePath(client, { scope: `${SCOPES},openid` }));
      const granted = await accept(agent, '/oauth/v2/auth/consent', consent);
      const tokens = await exchange(eu, client, granted.redirectParams().get('code')!);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      const refreshToken = tokens.body.refresh_token as string;

      const ask = {
        grant_type: 'update_scopes_token',
        client_id: client.clientId,
        client_secret: client.clientSecret!,
        refresh_token: refreshToken,
      };
      const atUs = await post(us, '/oauth/v2/token/scopeenhance', ask);
      assert.equal(atUs.status, 401);
      assert.equal(atUs.body.error, 'invalid_client');
      assert.match(atUs.body.error_description, /eu data centre/);
      const atEu = await post(eu, '/oauth/v2/token/scopeenhance', ask);
      assert.equal(atEu.status, 200, JSON.stringify(atEu.body));

      const page = await agent.get(
        `/oauth/v2/token/addextrascope?${new URLSearchParams({
          response_type: 'update_scopes',
          client_id: client.clientId,
          redirect_uri: REDIRECT,
          scope: 'ZohoCRM.modules.contacts.READ',
          enhance_token: atEu.body.access_token,
          state: 'e1',
        })}`,
      );
      assert.equal(page.status, 200, page.body.slice(0, 300));
      const back = await accept(agent, '/oauth/v2/token/addextrascope/consent', page);
      assert.equal(back.status, 303);
      const params = back.redirectParams();
      assert.deepEqual(
        [params.get('status'), params.get('state'), params.get('location'), params.get('accounts-server'), params.get('iss')],
        ['success', 'e1', 'eu', eu, us],
        "the user's DC, and the accounts server that answered",
      );

      const refresh = {
        grant_type: 'refresh_token',
        client_id: client.clientId,
        client_secret: client.clientSecret!,
        refresh_token: refreshToken,
      };
      assert.equal((await post(us, '/oauth/v2/token', refresh)).body.error, 'invalid_client');
      const refreshed = await post(eu, '/oauth/v2/token', refresh);
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.match(refreshed.body.scope, /ZohoCRM\.modules\.contacts\.READ/);
      const idToken = decodeJwt(refreshed.body.id_token);
      assert.equal(idToken.iss, eu, "the refresh token's DC's issuer");
      assert.equal(idToken.sub, ann.zuid);
      assert.equal(idToken.auth_time, decodeJwt(tokens.body.id_token).auth_time, 'the original sign-in, which the refresh token keeps');
    });

    test("silent refresh and response_type=id_token token send the user's DC, and its issuer in the id_token", async () => {
      const { h, us, eu } = get();
      const client = await h.client(await userIn(h, 'us'), 'client');
      await enable(h, client, ['eu']);
      const ann = await userIn(h, 'eu');
      const agent = new BrowserAgent(us);
      await agent.signIn(ann.email, PASSWORD);
      const query = (extra: Record<string, string> = {}) =>
        new URLSearchParams({ client_id: client.clientId, redirect_uri: REDIRECT, scope: `${SCOPES},openid`, state: 's', ...extra });

      const consent = await agent.get(`/oauth/v2/auth?${query({ response_type: 'id_token token', nonce: 'n-1' })}`);
      assert.equal(consent.status, 200, consent.body.slice(0, 300));
      const implicit = (await accept(agent, '/oauth/v2/auth/consent', consent)).redirectParams();
      assert.deepEqual(
        [implicit.get('location'), implicit.get('accounts-server'), implicit.get('iss'), implicit.get('api_domain')],
        ['eu', eu, us, eu],
      );
      const idToken = decodeJwt(implicit.get('id_token')!);
      assert.deepEqual([idToken.iss, idToken.nonce, idToken.sub], [eu, 'n-1', ann.zuid]);
      assert.equal(typeof idToken.auth_time, 'number', 'the sign-in behind the implicit flow is known');

      const silent = await agent.get(`/oauth/v2/auth/refresh?${query({ response_type: 'token' })}`);
      assert.equal(silent.status, 303);
      const fragment = silent.redirectParams();
      assert.ok(fragment.get('access_token'));
      assert.deepEqual(
        [fragment.get('location'), fragment.get('accounts-server'), fragment.get('iss'), fragment.get('api_domain')],
        ['eu', eu, us, eu],
      );

      // A request for a fresh or stronger sign-in than the session's needs a page.
      h.clock.advance(1);
      const demands: Record<string, string>[] = [{ prompt: 'login' }, { max_age: '0' }, { acr_values: 'urn:gatehouse:loa:2' }];
      for (const extra of demands) {
        const res = await agent.get(`/oauth/v2/auth/refresh?${query({ response_type: 'token', ...extra })}`);
        assert.equal(res.status, 303, JSON.stringify(extra));
        assert.equal(res.redirectParams().get('error'), 'prompt_required', JSON.stringify(extra));
        assert.equal(res.redirectParams().get('access_token'), null);
      }
    });
  },
);
