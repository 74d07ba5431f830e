import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';

function authUrl(client: RegisteredTestClient, extra: Record<string, string> = {}): string {
  return `/oauth/v2/auth?${new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'ZohoCRM.modules.leads.READ,AaaServer.profile.READ',
    access_type: 'offline',
    state: 'st&te=1/ä',
    ...extra,
  })}`;
}

async function signedIn(h: Harness) {
  const user = await h.user();
  const agent = new BrowserAgent(h.baseUrl);
  const page = await agent.signIn(user.email, PASSWORD);
  assert.equal(page.status, 303);
  return { user, agent };
}

describeEachStore(
  'authorization endpoint',
  (get) => {
    test('sign-in, consent, Accept: back at the redirect URI with code, state, location, accounts-server and iss', async () => {
      const h = get();
      const user = await h.user();
      const client = await h.client(user, 'server');
      const agent = new BrowserAgent(h.baseUrl);

      const start = await agent.get(authUrl(client));
      assert.equal(start.status, 303);
      assert.match(start.location!, /^\/signin\?return_to=/);
      const signInForm = await agent.get(start.location!);
      assert.equal(signInForm.status, 200);
      assert.match(signInForm.body, /<label for="email">Email<\/label>/);
      assert.match(signInForm.body, /Sign in to continue to <strong>Test server app<\/strong>/, 'the page names the app');
      const afterSignIn = await agent.post('/signin', {
        csrf: signInForm.field('csrf'),
        return_to: signInForm.field('return_to'),
        email: user.email,
        password: PASSWORD,
      });
      assert.equal(afterSignIn.status, 303);
      assert.equal(afterSignIn.location, authUrl(client), 'the authorization request survives sign-in');

      const consent = await agent.get(afterSignIn.location!);
      assert.equal(consent.status, 200);
      assert.match(consent.body, /Test server app/);
      assert.match(consent.body, /Read your CRM leads/);
      assert.match(consent.body, /Read your profile/);
      assert.doesNotMatch(consent.body, /<script/i);
      assert.match(consent.headers.get('content-security-policy')!, /frame-ancestors 'none'/);

      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      assert.equal(back.status, 303);
      assert.ok(back.location!.startsWith(`${REDIRECT}?`));
      const params = back.redirectParams();
      assert.equal(params.get('state'), 'st&te=1/ä');
      assert.equal(params.get('location'), 'us');
      assert.equal(params.get('accounts-server'), 'http://gatehouse.test');
      assert.equal(params.get('iss'), 'http://gatehouse.test');
      const tokens = await h.exchange(client, params.get('code')!, { redirect_uri: REDIRECT });
      assert.ok(tokens.refresh_token, 'offline access on first consent gives a refresh token');
      assert.equal(tokens.scope, 'ZohoCRM.modules.leads.READ AaaServer.profile.READ');
      assert.ok(await h.accessTokenWorks(tokens.access_token));
    });

    test('a user who granted the scopes is not asked again, and gets a refresh token again only with prompt=consent', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server');
      const consent = await agent.get(authUrl(client));
      await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });

      const again = await agent.get(authUrl(client, { scope: 'ZohoCRM.modules.leads.READ' }));
      assert.equal(again.status, 303, 'no consent page');
      const silent = await h.exchange(client, again.redirectParams().get('code')!, { redirect_uri: REDIRECT });
      assert.equal(silent.refresh_token, undefined);

      const asked = await agent.get(authUrl(client, { prompt: 'consent' }));
      assert.equal(asked.status, 200);
      const answered = await agent.post('/oauth/v2/auth/consent', {
        csrf: asked.field('csrf'),
        interaction: asked.field('interaction'),
        decision: 'accept',
      });
      assert.ok((await h.exchange(client, answered.redirectParams().get('code')!, { redirect_uri: REDIRECT })).refresh_token);

      const wider = await agent.get(authUrl(client, { scope: 'ZohoCRM.modules.ALL' }));
      assert.equal(wider.status, 200, 'a scope never granted is asked for');
    });

    test('POST (OpenID Connect Core §3.1.2.1): the form goes on as the GET with the same parameters, and the flow completes', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server');
      const asGet = authUrl(client);
      const posted = await agent.post('/oauth/v2/auth', Object.fromEntries(new URLSearchParams(asGet.split('?')[1])));
      assert.equal(posted.status, 303);
      assert.equal(posted.location, asGet, 'the same request, as a GET on this server');
      const consent = await agent.get(posted.location!);
      assert.equal(consent.status, 200);
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      const params = back.redirectParams();
      assert.equal(params.get('state'), 'st&te=1/ä');
      assert.ok((await h.exchange(client, params.get('code')!, { redirect_uri: REDIRECT })).access_token);

      // A parameter both in the query and in the form is given twice: refused as the GET refuses it, never sent on.
      const twice = await agent.post(`/oauth/v2/auth?client_id=${client.clientId}`, { client_id: client.clientId, response_type: 'code' });
      assert.equal(twice.status, 400);
      assert.equal(twice.location, undefined);
      const tooLong = await agent.post('/oauth/v2/auth', {
        client_id: client.clientId,
        state: 'x'.repeat(2000),
        nonce: 'n'.repeat(2000),
        a: 'a'.repeat(2000),
        b: 'b'.repeat(2000),
        c: 'c'.repeat(2000),
      });
      assert.equal(tooLong.status, 400);
      assert.equal(tooLong.location, undefined);
    });

    test('Reject sends access_denied with the state back', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server');
      const consent = await agent.get(authUrl(client));
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'reject',
      });
      const params = back.redirectParams();
      assert.equal(params.get('error'), 'access_denied');
      assert.equal(params.get('state'), 'st&te=1/ä');
      assert.equal(params.get('iss'), 'http://gatehouse.test');
      assert.equal(params.get('code'), null);
    });

    test('redirect_uri must match exactly: every variation is an error page, never a redirect', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server', [REDIRECT, 'http://localhost:8000/cb']);
      const variations = [
        'https://app.example.com/callback/extra',
        'https://app.example.com/callback?x=1',
        'https://app.example.com:8443/callback',
        'https://APP.example.com/callback',
        'https://app.example.com/Callback',
        'https://app.example.com/callback/',
        'https://evil.example@app.example.com/callback',
        'https://app.example.com@evil.example/callback',
        'http://app.example.com/callback',
        'http://localhost:8001/cb',
        'https://app.example.com/callback#frag',
        '',
      ];
      for (const redirect_uri of variations) {
        const page = await agent.get(authUrl(client, { redirect_uri }));
        assert.equal(page.status, 400, redirect_uri);
        assert.equal(page.location, undefined, `${redirect_uri} must not redirect`);
        assert.match(page.body, /redirect/i);
      }
      const unknown = await agent.get(authUrl({ ...client, clientId: '1000.NOSUCHCLIENTNOSUCHCLIENT00000' }));
      assert.equal(unknown.status, 400);
      assert.match(unknown.body, /Unknown application/);
    });

    test('other errors go back to the application', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server');
      const cases: Array<[Record<string, string>, string]> = [
        [{ response_type: 'id_token' }, 'unsupported_response_type'],
        [{ response_type: 'token' }, 'unauthorized_client'],
        [{ scope: 'ZohoCRM.modules.ALL,Nope.nope.READ' }, 'invalid_scope'],
        [{ scope: '' }, 'invalid_request'],
        [{ access_type: 'forever' }, 'invalid_request'],
        [{ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
        [{ code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
        [{ prompt: 'create' }, 'invalid_request'],
        [{ prompt: 'none login' }, 'invalid_request'],
        [{ prompt: 'consent none' }, 'invalid_request'],
        [{ max_age: '-1' }, 'invalid_request'],
        [{ max_age: '1.5' }, 'invalid_request'],
        [{ claims: '{"id_token":' }, 'invalid_request'],
        [{ claims: '["acr"]' }, 'invalid_request'],
        [{ claims: '{"id_token":{"acr":{"essential":"yes"}}}' }, 'invalid_request'],
        [{ id_token_hint: 'not-a-jwt' }, 'invalid_request'],
      ];
      for (const [extra, error] of cases) {
        const page = await agent.get(authUrl(client, extra));
        assert.equal(page.status, 303, JSON.stringify(extra));
        assert.equal(page.redirectParams().get('error'), error, JSON.stringify(extra));
        assert.equal(page.redirectParams().get('state'), 'st&te=1/ä');
      }
      const repeated = await agent.get(`${authUrl(client)}&scope=ZohoCRM.modules.ALL`);
      assert.equal(repeated.status, 400, 'a repeated parameter is refused before anything else');
    });

    test('CSRF: consent and sign-in without the token, or with a forged one, are refused and change nothing', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server');
      const consent = await agent.get(authUrl(client));
      const interaction = consent.field('interaction');
      for (const csrf of [undefined, 'f'.repeat(64), consent.field('csrf').replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))]) {
        const page = await agent.post('/oauth/v2/auth/consent', { ...(csrf ? { csrf } : {}), interaction, decision: 'accept' });
        assert.equal(page.status, 403);
        assert.equal(page.location, undefined);
      }
      const stranger = new BrowserAgent(h.baseUrl);
      const forged = await stranger.post('/oauth/v2/auth/consent', { csrf: consent.field('csrf'), interaction, decision: 'accept' });
      assert.equal(forged.status, 403, "another browser's token is worthless");
      // The interaction is still unanswered: the real form still works.
      const ok = await agent.post('/oauth/v2/auth/consent', { csrf: consent.field('csrf'), interaction, decision: 'accept' });
      assert.equal(ok.status, 303);
      const signInForged = await new BrowserAgent(h.baseUrl).post('/signin', { email: user.email, password: PASSWORD, return_to: '/' });
      assert.equal(signInForged.status, 403);
    });

    test('a replayed consent POST finds nothing: one answer, one code', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server');
      const consent = await agent.get(authUrl(client));
      const form = { csrf: consent.field('csrf'), interaction: consent.field('interaction'), decision: 'accept' };
      const first = await agent.post('/oauth/v2/auth/consent', form);
      assert.equal(first.status, 303);
      const replay = await agent.post('/oauth/v2/auth/consent', form);
      assert.equal(replay.status, 400);
      assert.equal(replay.location, undefined);
      assert.match(replay.body, /already answered/);
    });

    test("one user cannot answer another user's consent page", async () => {
      const h = get();
      const alice = await signedIn(h);
      const client = await h.client(alice.user, 'server');
      const consent = await alice.agent.get(authUrl(client));
      const mallory = await signedIn(h);
      const csrfForMallory = (await mallory.agent.get('/account/connected-apps')).field('csrf');
      const stolen = await mallory.agent.post('/oauth/v2/auth/consent', {
        csrf: csrfForMallory,
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      assert.equal(stolen.status, 400);
    });

    test('PKCE: mobile apps must send an S256 challenge, and the verifier is checked at the token endpoint', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const mobile = await h.client(user, 'mobile', [REDIRECT]);
      const missing = await agent.get(authUrl(mobile));
      assert.equal(missing.redirectParams().get('error'), 'invalid_request');

      const verifier = 'v'.repeat(20) + '-._~' + 'W'.repeat(40);
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const consent = await agent.get(authUrl(mobile, { code_challenge: challenge, code_challenge_method: 'S256' }));
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      const code = back.redirectParams().get('code')!;
      const token = (extra: Record<string, string>) =>
        h.post('/oauth/v2/token', { grant_type: 'authorization_code', client_id: mobile.clientId, code, redirect_uri: REDIRECT, ...extra });
      assert.equal((await token({})).body!.error, 'invalid_grant', 'no verifier');
      assert.equal((await token({ code_verifier: 'x'.repeat(64) })).body!.error, 'invalid_grant', 'wrong verifier');
      assert.equal((await token({ code_verifier: verifier })).status, 200);
    });

    test('client-based apps get an access token in the fragment (implicit flow), never a refresh token', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const spa = await h.client(user, 'client', [REDIRECT]);
      const consent = await agent.get(authUrl(spa, { response_type: 'token', access_type: 'online' }));
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      assert.ok(back.location!.startsWith(`${REDIRECT}#`));
      const params = back.redirectParams();
      assert.equal(params.get('token_type'), 'Bearer');
      assert.equal(params.get('expires_in'), '3600');
      assert.equal(params.get('refresh_token'), null);
      assert.ok(await h.accessTokenWorks(params.get('access_token')!));
      const query = await agent.get(authUrl(spa, { response_type: 'token', response_mode: 'query' }));
      assert.equal(query.status, 303);
      assert.ok(query.location!.includes('#'), 'errors for a token request go in the fragment too');
    });

    test('offline_access (OpenID Connect Core §11) asks for a refresh token as access_type=offline does; implicit ignores it', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server');
      const standard = { scope: 'openid,offline_access', access_type: '' };
      const consent = await agent.get(authUrl(client, standard));
      assert.match(consent.body, /Keep access while you are away from the application/);
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      const tokens = await h.exchange(client, back.redirectParams().get('code')!, { redirect_uri: REDIRECT });
      assert.ok(tokens.refresh_token, 'a refresh token on the first consent');
      assert.equal(tokens.scope, 'openid offline_access');
      const again = await agent.get(authUrl(client, standard));
      assert.equal(again.status, 303, 'granted already: no page');
      const silent = await h.exchange(client, again.redirectParams().get('code')!, { redirect_uri: REDIRECT });
      assert.equal(silent.refresh_token, undefined, 'no consent given now: no refresh token (§11 asks for prompt=consent)');
      const online = await agent.get(authUrl(client, { ...standard, access_type: 'online', prompt: 'consent' }));
      const onlineBack = await agent.post('/oauth/v2/auth/consent', {
        csrf: online.field('csrf'),
        interaction: online.field('interaction'),
        decision: 'accept',
      });
      const explicit = await h.exchange(client, onlineBack.redirectParams().get('code')!, { redirect_uri: REDIRECT });
      assert.equal(explicit.refresh_token, undefined, "Zoho's explicit access_type=online wins");

      const spa = await h.client(user, 'client', [REDIRECT]);
      const implicit = await agent.get(
        authUrl(spa, { response_type: 'token', scope: 'ZohoCRM.modules.leads.READ,offline_access', access_type: '' }),
      );
      assert.equal(implicit.status, 200, 'not an error: the consent page');
    });

    test('prompt=none: login_required when signed out, consent_required when never granted', async () => {
      const h = get();
      const owner = await h.user();
      const client = await h.client(owner, 'server');
      const anonymous = await new BrowserAgent(h.baseUrl).get(authUrl(client, { prompt: 'none' }));
      assert.equal(anonymous.redirectParams().get('error'), 'login_required');
      const { agent } = await signedIn(h);
      assert.equal((await agent.get(authUrl(client, { prompt: 'none' }))).redirectParams().get('error'), 'consent_required');
    });

    test('the sign-in page names the app only for an authorization request of a client that exists, as text', async () => {
      const h = get();
      const owner = await h.user();
      const client = await h.client(owner, 'server');
      await h.storage.clients.updateFields(
        client.clientId,
        {
          ...(await h.storage.clients.find(client.clientId))!,
          name: '<b>Evil</b> & Co',
        },
        h.clock.now(),
      );
      const signInFor = async (returnTo: string) =>
        (await new BrowserAgent(h.baseUrl).get(`/signin?return_to=${encodeURIComponent(returnTo)}`)).body;
      assert.match(await signInFor(authUrl(client)), /continue to <strong>&lt;b&gt;Evil&lt;\/b&gt; &amp; Co<\/strong>/);
      const unknown = authUrl(client).replace(client.clientId, '1000.UNKNOWNUNKNOWNUNKNOWNUNKNOWN00');
      for (const returnTo of [unknown, `/account/connected-apps?client_id=${client.clientId}`, '/oauth/v2/auth?client_id=%00']) {
        assert.match(await signInFor(returnTo), /Use your Gatehouse account\./, returnTo);
      }
    });
  },
  { limits: { codeRate: null } },
);
