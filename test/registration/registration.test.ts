import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import { createInitialAccessToken } from '../../src/core/registration/initial-access-tokens.js';
import { OPEN_REGISTRATION_LIMIT } from '../../src/core/registration/dynamic-registration.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { ASSERTION_TYPE, clientAssertion } from '../support/client-assertion.js';
import { describeEachStore } from '../support/each-store.js';
import { describeEachDeployment } from '../hostile/deployments.js';
import { type Harness, type JsonResponse, PASSWORD, REDIRECT } from '../support/harness.js';
import { requestChecks } from '../support/strict-client.js';

const SERVER_APP = { client_name: 'Registered App', client_uri: 'https://app.example.com', redirect_uris: [REDIRECT] };

function register(h: Harness, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return h.request('/oauth/v2/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function manage(h: Harness, uri: string, method: string, token: string | undefined, body?: unknown): Promise<JsonResponse> {
  return h.request(new URL(uri).pathname, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function initialToken(h: Harness, options: { expiresInSeconds?: number; ownerEmail?: string } = {}): Promise<string> {
  const { token } = await createInitialAccessToken(options, {
    users: h.storage.users,
    initialAccessTokens: h.storage.initialAccessTokens,
    hasher: h.gatehouse.hasher,
    now: h.clock.now,
  });
  return token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describeEachStore('dynamic client registration: off (the default)', (get) => {
  test('no endpoint and nothing advertised', async () => {
    const h = get();
    const res = await register(h, SERVER_APP);
    assert.equal(res.status, 404);
    assert.equal((await manage(h, `${h.baseUrl}/oauth/v2/register/1000.X`, 'GET', 'x')).status, 404);
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      assert.equal((await h.request(path)).body!.registration_endpoint, undefined, path);
    }
  });
});

describeEachStore(
  'dynamic client registration: initial access tokens',
  (get) => {
    test('advertised in both discovery documents', async () => {
      const h = get();
      for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
        assert.equal((await h.request(path)).body!.registration_endpoint, `${h.baseUrl}/oauth/v2/register`, path);
      }
    });

    test('refuses a missing, malformed, unknown, expired or used token with 401 invalid_token', async () => {
      const h = get();
      const missing = await register(h, SERVER_APP);
      assert.equal(missing.status, 401);
      assert.equal(missing.body!.error, 'invalid_token');
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="gatehouse"');
      for (const headers of [{ authorization: 'Basic abc' }, bearer('ghiat_unknown'), bearer(`ghiat_${'A'.repeat(43)}`)]) {
        const res = await register(h, SERVER_APP, headers);
        assert.equal(res.status, 401, JSON.stringify(headers));
        assert.equal(res.body!.error, 'invalid_token');
      }
      const expiring = await initialToken(h, { expiresInSeconds: 60 });
      h.clock.advance(61);
      assert.equal((await register(h, SERVER_APP, bearer(expiring))).status, 401);

      const once = await initialToken(h);
      assert.equal((await register(h, SERVER_APP, bearer(once))).status, 201);
      const again = await register(h, SERVER_APP, bearer(once));
      assert.equal(again.status, 401);
      assert.equal(again.body!.error_description, 'The initial access token is unknown, used or expired.');
    });

    test('a refused registration does not use the token up; two racing with one token: one client', async () => {
      const h = get();
      const token = await initialToken(h);
      const refused = await register(h, { ...SERVER_APP, redirect_uris: ['http://app.example.com/cb#x'] }, bearer(token));
      assert.equal(refused.status, 400);
      const before = await h.storage.clients.count();
      const answers = await Promise.all(Array.from({ length: 6 }, () => register(h, SERVER_APP, bearer(token))));
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 401, 401, 401, 401, 401]);
      assert.equal(await h.storage.clients.count(), before + 1);
    });

    test("a token created for an owner puts the client in the owner's console, in the owner's DC", async () => {
      const h = get();
      const owner = await h.user();
      const res = await register(h, SERVER_APP, bearer(await initialToken(h, { ownerEmail: owner.email })));
      assert.equal(res.status, 201);
      const mine = await h.storage.clients.listByOwner(owner.zuid);
      assert.deepEqual(
        mine.map((c) => c.clientId),
        [res.body!.client_id],
      );
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(owner.email, PASSWORD, '/developer-console');
      assert.match((await agent.get('/developer-console')).body, /Registered App/);
    });

    test('the 201 answer: credentials once, metadata as registered, the audit event without credentials', async () => {
      const h = get();
      const res = await register(
        h,
        { ...SERVER_APP, scope: 'ZohoCRM.modules.ALL openid', software_id: 'ignored' },
        bearer(await initialToken(h)),
      );
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const body = res.body!;
      assert.match(body.client_id, /^1000\./);
      assert.equal(typeof body.client_secret, 'string');
      assert.equal(body.client_secret_expires_at, 0);
      assert.ok(Math.abs(body.client_id_issued_at - Math.floor(h.clock.now() / 1000)) <= 1);
      assert.match(body.registration_access_token, /^ghrat_/);
      assert.equal(body.registration_client_uri, `${h.baseUrl}/oauth/v2/register/${body.client_id}`);
      assert.equal(body.client_name, 'Registered App');
      assert.deepEqual(body.redirect_uris, [REDIRECT]);
      assert.deepEqual(body.grant_types, ['authorization_code']);
      assert.deepEqual(body.response_types, ['code']);
      assert.equal(body.token_endpoint_auth_method, 'client_secret_basic');
      assert.equal(body.scope, 'ZohoCRM.modules.ALL openid');
      assert.equal(body.software_id, undefined, 'unknown metadata is ignored');
      const client = (await h.storage.clients.find(body.client_id))!;
      assert.equal(client.type, 'server');
      assert.equal(client.ownerZuid, null);
      const [event] = await h.storage.auditEvents.list({ type: 'client.registered', clientId: body.client_id, limit: 5 });
      assert.ok(event);
      const stored = JSON.stringify(event);
      for (const secret of [body.client_secret, body.registration_access_token]) assert.ok(!stored.includes(secret));
    });

    test('RFC 7592: read, update and delete with the registration access token; any other token is 401', async () => {
      const h = get();
      const created = (await register(h, SERVER_APP, bearer(await initialToken(h)))).body!;
      const uri: string = created.registration_client_uri;
      const other = (await register(h, SERVER_APP, bearer(await initialToken(h)))).body!;
      for (const method of ['GET', 'PUT', 'DELETE']) {
        for (const token of [undefined, 'wrong', other.registration_access_token, `${created.registration_access_token}x`]) {
          const res = await manage(h, uri, method, token, method === 'PUT' ? { ...SERVER_APP, client_id: created.client_id } : undefined);
          assert.equal(res.status, 401, `${method} ${token}`);
          assert.equal(res.body!.error, 'invalid_token');
        }
      }
      // Another client's URI with this client's token: the same refusal, and an unknown client too.
      assert.equal((await manage(h, other.registration_client_uri, 'GET', created.registration_access_token)).status, 401);
      assert.equal((await manage(h, `${h.baseUrl}/oauth/v2/register/1000.NOPE`, 'GET', created.registration_access_token)).status, 401);
      assert.equal((await manage(h, `${h.baseUrl}/oauth/v2/register/%00`, 'GET', created.registration_access_token)).status, 401);

      const read = await manage(h, uri, 'GET', created.registration_access_token);
      assert.equal(read.status, 200);
      assert.equal(read.body!.client_id, created.client_id);
      assert.equal(read.body!.client_name, 'Registered App');
      assert.equal(read.body!.client_secret, undefined, 'stored hashed: never shown again');

      // PUT: the client_id must match; a client_secret must be the current one; the type cannot change.
      const badId = await manage(h, uri, 'PUT', created.registration_access_token, { ...SERVER_APP, client_id: other.client_id });
      assert.equal(badId.body!.error, 'invalid_client_metadata');
      const badSecret = await manage(h, uri, 'PUT', created.registration_access_token, {
        ...SERVER_APP,
        client_id: created.client_id,
        client_secret: 'not it',
      });
      assert.equal(badSecret.body!.error, 'invalid_client_metadata');
      const retype = await manage(h, uri, 'PUT', created.registration_access_token, {
        ...SERVER_APP,
        client_id: created.client_id,
        application_type: 'native',
      });
      assert.equal(retype.body!.error, 'invalid_client_metadata');

      const updated = await manage(h, uri, 'PUT', created.registration_access_token, {
        client_id: created.client_id,
        client_secret: created.client_secret,
        client_name: 'Renamed App',
        client_uri: 'https://app.example.com',
        redirect_uris: [REDIRECT, 'https://app.example.com/other'],
      });
      assert.equal(updated.status, 200);
      assert.equal(updated.body!.client_name, 'Renamed App');
      assert.notEqual(updated.body!.registration_access_token, created.registration_access_token, 'rotated on update');
      assert.equal((await manage(h, uri, 'GET', created.registration_access_token)).status, 401, 'the old token stops working');
      const token = updated.body!.registration_access_token as string;
      assert.deepEqual((await h.storage.clients.find(created.client_id))!.redirectUris, [REDIRECT, 'https://app.example.com/other']);
      // The secret did not change: it still authenticates.
      assert.ok(h.gatehouse.hasher.matches(created.client_secret, (await h.storage.clients.find(created.client_id))!.secretHash!));

      // Delete takes the client's tokens with it.
      const user = await h.user();
      const tokens = await h.exchange(
        { clientId: created.client_id, clientSecret: created.client_secret, redirectUris: [REDIRECT] },
        await h.webCode(created.client_id, user),
        {
          redirect_uri: REDIRECT,
        },
      );
      assert.ok(await h.accessTokenWorks(tokens.access_token));
      const deleted = await manage(h, uri, 'DELETE', token);
      assert.equal(deleted.status, 204);
      assert.equal(await h.storage.clients.find(created.client_id), undefined);
      assert.equal(await h.accessTokenWorks(tokens.access_token), false);
      assert.equal((await manage(h, uri, 'GET', token)).status, 401);
      const types = (await h.storage.auditEvents.list({ clientId: created.client_id, limit: 10 })).map((e) => e.type);
      assert.deepEqual(types, ['client.registration.deleted', 'client.registration.updated', 'client.registered']);
    });

    test('RFC 7592: updates racing with one registration access token: one lands, and only its new token works', async () => {
      const h = get();
      const created = (await register(h, SERVER_APP, bearer(await initialToken(h)))).body!;
      const names = ['One', 'Two', 'Three', 'Four'];
      const answers = await Promise.all(
        names.map((name) =>
          manage(h, created.registration_client_uri, 'PUT', created.registration_access_token, {
            ...SERVER_APP,
            client_id: created.client_id,
            client_name: name,
          }),
        ),
      );
      const landed = answers.filter((a) => a.status === 200);
      assert.equal(landed.length, 1);
      assert.deepEqual(
        answers.filter((a) => a.status !== 200).map((a) => a.status),
        [401, 401, 401],
      );
      assert.equal((await h.storage.clients.find(created.client_id))!.name, landed[0]!.body!.client_name);
      const token = landed[0]!.body!.registration_access_token as string;
      assert.equal((await manage(h, created.registration_client_uri, 'GET', token)).status, 200);
    });

    test('openid-client registers a client and uses it at once: authorization code + PKCE, the consent page says so', async () => {
      const h = get();
      const user = await h.user();
      const config = await oidc.dynamicClientRegistration(
        new URL(h.baseUrl),
        { client_name: 'Dynamic Relying Party', client_uri: 'https://app.example.com', redirect_uris: [REDIRECT] },
        undefined,
        { initialAccessToken: await initialToken(h), execute: [oidc.allowInsecureRequests] },
      );
      const { checks, params } = await requestChecks({ nonce: false });
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid email', ...params });
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(user.email, PASSWORD, '/developer-console');
      const consent = await agent.get(url.pathname + url.search);
      assert.equal(consent.status, 200);
      assert.match(consent.body, /Dynamic Relying Party wants to access your account/);
      assert.match(consent.body, /Registered dynamically/);
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      assert.ok(back.location?.startsWith(REDIRECT), `${back.status} ${back.location}`);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(back.location!), checks);
      assert.equal(tokens.claims()!.sub, user.zuid);

      // A console-made client's consent page says nothing of registration.
      const made = await h.client(await h.user(), 'server', [REDIRECT]);
      const plain = await agent.get(
        `/oauth/v2/auth?response_type=code&client_id=${made.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=email`,
      );
      assert.equal(plain.status, 200);
      assert.doesNotMatch(plain.body, /Registered dynamically/);
    });
  },
  { issuer: 'base-url', registration: 'token', limits: { codeRate: null } },
);

// One node with limits in memory, and PostgreSQL with the limits in Redis, shared as between nodes.
describeEachDeployment(
  'dynamic client registration: open',
  (get) => {
    let addresses = 0;
    /** Each call from an address of its own (X-Forwarded-For through the trusted proxy), so limits stay apart. */
    const from = () => ({ 'x-forwarded-for': `198.51.100.${++addresses}` });

    test('parallel registrations from one address cannot outrun the limit', async () => {
      const h = get();
      const address = from();
      const attempts = OPEN_REGISTRATION_LIMIT.count + 5;
      const answers = await Promise.all(Array.from({ length: attempts }, () => register(h, SERVER_APP, address)));
      const statuses = answers.map((a) => a.status);
      assert.equal(statuses.filter((s) => s === 201).length, OPEN_REGISTRATION_LIMIT.count);
      assert.equal(statuses.filter((s) => s === 429).length, 5);
      const refused = answers.find((a) => a.status === 429)!;
      assert.equal(refused.body!.error, 'access_denied');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      // Another address still may.
      assert.equal((await register(h, SERVER_APP, from())).status, 201);
    });

    test('maps metadata to client types, never a Self Client', async () => {
      const h = get();
      const cases: Array<[Record<string, unknown>, string, boolean]> = [
        [SERVER_APP, 'server', true],
        [{ ...SERVER_APP, token_endpoint_auth_method: 'client_secret_post' }, 'server', true],
        [{ ...SERVER_APP, token_endpoint_auth_method: 'none' }, 'client', false],
        [{ ...SERVER_APP, application_type: 'native', redirect_uris: ['com.example.app:/callback'] }, 'mobile', true],
        [
          {
            client_name: 'TV App',
            client_uri: 'https://tv.example.com',
            grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
          },
          'device',
          true,
        ],
      ];
      for (const [metadata, type, secret] of cases) {
        const res = await register(h, metadata, from());
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const client = (await h.storage.clients.find(res.body!.client_id))!;
        assert.equal(client.type, type, JSON.stringify(metadata));
        assert.equal(typeof res.body!.client_secret === 'string', secret, type);
        if (type === 'client') assert.deepEqual(client.jsDomains, ['https://app.example.com']);
      }
    });

    test('private_key_jwt with jwks, signing algorithms and PAR: the client proves itself with an assertion at once, never with its secret', async () => {
      const h = get();
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
      const metadata = {
        ...SERVER_APP,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [jwk] },
        id_token_signed_response_alg: 'ES256',
        userinfo_signed_response_alg: 'EdDSA',
        require_pushed_authorization_requests: true,
        require_signed_request_object: true,
      };
      const res = await register(h, metadata, from());
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const clientId = res.body!.client_id as string;
      for (const [name, value] of Object.entries(metadata)) assert.deepEqual(res.body![name], value, name);
      const client = (await h.storage.clients.find(clientId))!;
      assert.deepEqual(
        [client.tokenEndpointAuthMethod, client.idTokenSignedResponseAlg, client.requirePushedAuthorizationRequests],
        ['private_key_jwt', 'ES256', true],
      );

      const signed = await clientAssertion(clientId, h.gatehouse.config.issuer, privateKey, {
        kid: 'k1',
        nowS: Math.floor(h.clock.now() / 1000),
      });
      const introspected = await h.post('/oauth/v2/introspect', {
        token: 'not-a-token',
        client_id: clientId,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: signed,
      });
      assert.deepEqual([introspected.status, introspected.body], [200, { active: false }]);
      if (typeof res.body!.client_secret === 'string') {
        const bySecret = await h.post('/oauth/v2/introspect', { token: 'x', client_id: clientId, client_secret: res.body!.client_secret });
        assert.equal(bySecret.body!.error, 'invalid_client', 'the registered method only');
      }

      for (const refused of [
        { ...SERVER_APP, token_endpoint_auth_method: 'private_key_jwt' },
        { ...SERVER_APP, token_endpoint_auth_method: 'client_secret_jwt' },
        { ...SERVER_APP, jwks: { keys: [{ ...jwk, d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }] } },
        { ...SERVER_APP, id_token_signed_response_alg: 'HS256' },
      ]) {
        const answer = await register(h, refused, from());
        assert.deepEqual([answer.status, answer.body!.error], [400, 'invalid_client_metadata'], JSON.stringify(refused));
      }
    });

    test('every refusal: 400 invalid_redirect_uri or invalid_client_metadata, and nothing is created', async () => {
      const h = get();
      const before = await h.storage.clients.count();
      const redirect = (uris: unknown) => ({ ...SERVER_APP, redirect_uris: uris });
      const refusals: Array<[unknown, string]> = [
        [redirect([]), 'invalid_redirect_uri'],
        [redirect('https://app.example.com/cb'), 'invalid_redirect_uri'],
        [redirect(['https://app.example.com/cb#fragment']), 'invalid_redirect_uri'],
        [redirect(['https://*.example.com/cb']), 'invalid_redirect_uri'],
        [redirect(['javascript:alert(1)']), 'invalid_redirect_uri'],
        [redirect(['com.example.app:/callback']), 'invalid_redirect_uri'],
        [redirect(['relative/path']), 'invalid_redirect_uri'],
        [['an', 'array'], 'invalid_client_metadata'],
        ['text', 'invalid_client_metadata'],
        [{ ...SERVER_APP, client_name: undefined }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, client_name: '<script>' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, client_name: 42 }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, client_uri: 'ftp://example.com' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, post_logout_redirect_uris: ['https://app.example.com/bye#x'] }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, backchannel_logout_uri: 'http://app.example.com/logout' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, backchannel_logout_session_required: 'yes' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, dpop_bound_access_tokens: 1 }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, token_endpoint_auth_method: 'client_secret_jwt' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, grant_types: ['client_credentials'] }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, grant_types: ['implicit'] }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, grant_types: ['refresh_token'] }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, response_types: ['token'] }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, response_types: [] }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, application_type: 'desktop' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, scope: 'NoSuch.scope.READ' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, scope: 'openid  email' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, scope: Array.from({ length: 500 }, (_, i) => `Nope${i}.x.READ`).join(' ') }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, scope: 'openid "email"' }, 'invalid_client_metadata'],
        [{ ...SERVER_APP, grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code'] }, 'invalid_client_metadata'],
        [
          {
            client_name: 'TV',
            client_uri: 'https://tv.example.com',
            grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
            redirect_uris: [REDIRECT],
          },
          'invalid_redirect_uri',
        ],
        [
          {
            client_name: 'TV',
            client_uri: 'https://tv.example.com',
            grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
            token_endpoint_auth_method: 'none',
          },
          'invalid_client_metadata',
        ],
      ];
      for (const [body, error] of refusals) {
        const res = await register(h, body, from());
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body!.error, error, JSON.stringify(body));
        assert.ok(res.body!.error_description.length > 0);
      }
      const notJson = await h.request('/oauth/v2/register', {
        method: 'POST',
        headers: from(),
        body: new URLSearchParams({ client_name: 'x' }),
      });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body!.error, 'invalid_request');
      const malformed = await h.request('/oauth/v2/register', {
        method: 'POST',
        headers: { ...from(), 'content-type': 'application/json' },
        body: '{"client_name":',
      });
      assert.equal(malformed.status, 400);
      assert.equal(await h.storage.clients.count(), before);
    });

    test('an openly registered client is unowned: administrators see it under Unowned clients and may delete it', async () => {
      const h = get();
      const created = (await register(h, { ...SERVER_APP, client_name: 'Orphan App' }, from())).body!;
      const admin = await h.user({ isAdmin: true });
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(admin.email, PASSWORD, '/developer-console');
      const list = await agent.get('/developer-console/admin/clients/unowned');
      assert.equal(list.status, 200);
      assert.match(list.body, /<h1>Unowned clients<\/h1>/);
      assert.match(list.body, new RegExp(created.client_id.replace('.', '\\.')));
      assert.match(list.body, /Orphan App/);
      // Someone's own client is not listed there.
      const owned = await h.client(admin, 'server');
      assert.doesNotMatch(list.body, new RegExp(owned.clientId.replace('.', '\\.')));

      const details = await agent.get(`/developer-console/clients/${created.client_id}`);
      assert.equal(details.status, 200);
      assert.match(details.body, /Owner: none \(registered dynamically\)/);
      assert.match(details.body, /<a href="\/developer-console\/admin\/clients\/unowned">Unowned clients<\/a>/);
      const asked = await agent.post(`/developer-console/clients/${created.client_id}/delete`, { csrf: details.field('csrf') });
      assert.equal(asked.status, 200);
      const done = await agent.post(`/developer-console/clients/${created.client_id}/delete`, {
        csrf: details.field('csrf'),
        confirmed: 'yes',
      });
      assert.equal(done.status, 303);
      assert.equal(await h.storage.clients.find(created.client_id), undefined);

      // Not for other users.
      const someone = await h.user();
      const theirs = new BrowserAgent(h.baseUrl);
      await theirs.signIn(someone.email, PASSWORD, '/developer-console');
      assert.notEqual((await theirs.get('/developer-console/admin/clients/unowned')).status, 200);
    });
  },
  { registration: 'open' },
);
