import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';
import { apiTokenUser, createApiToken, revokeApiToken } from '../../src/core/api-tokens/api-tokens.js';
import { createUser } from '../../src/core/users/create-user.js';
import type { User } from '../../src/core/users/user.js';
import type { UserRepository } from '../../src/core/users/user-repository.js';

/** A signed-in console user: its cookies and the CSRF token the console pages embed. */
async function consoleUser(h: Harness, existing?: User) {
  const user = existing ?? (await h.user());
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, 'correct horse battery');
  const csrf = (await agent.get('/account/connected-apps')).field('csrf');
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = { 'x-csrf-token': csrf }) => {
    const response = await fetch(`${h.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  };
  return { user, call };
}

const SERVER_APP = { type: 'server', name: 'CRM Sync', homepage: 'https://app.example.com', redirect_uris: ['https://app.example.com/cb'] };

describeEachStore(
  'management API /api/v1/clients',
  (get) => {
    test('client authentication: method and keys are set, shown, changed and checked; client_secret_jwt needs a new secret', async () => {
      const { call } = await consoleUser(get());
      const jwk = {
        kty: 'EC',
        crv: 'P-256',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      };
      const created = await call('POST', '/clients', {
        ...SERVER_APP,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [jwk] },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const view = created.body!.client;
      assert.equal(view.token_endpoint_auth_method, 'private_key_jwt');
      assert.deepEqual(view.jwks, { keys: [jwk] });
      assert.equal(view.require_signed_request_object, false);
      const path = `/clients/${view.client_id}`;

      for (const [body, code] of [
        [{ token_endpoint_auth_method: 'tls_client_auth' }, 'client.auth_method_invalid'],
        [{ token_endpoint_auth_method: 'none' }, 'client.auth_method_invalid'],
        [{ jwks: { keys: [{ ...jwk, d: 'x' }] } }, 'client.jwks_invalid'],
        [{ jwks: null }, 'client.jwks_required'],
        [{ jwks_uri: 'http://keys.example.com/jwks' }, 'client.jwks_uri_invalid'],
        // A bare `#` is a fragment too, though the URL parser's `hash` is empty for it.
        [{ jwks_uri: 'https://keys.example.com/jwks#' }, 'client.jwks_uri_invalid'],
        [{ jwks_uri: 'https://keys.example.com/jwks' }, 'client.jwks_invalid'],
      ] as const) {
        const refused = await call('PATCH', path, body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal(refused.body!.code, code, JSON.stringify(body));
      }

      const switched = await call('PATCH', path, {
        token_endpoint_auth_method: 'client_secret_jwt',
        jwks: null,
        jwks_uri: 'https://keys.example.com/jwks',
      });
      assert.equal(switched.status, 200, JSON.stringify(switched.body));
      assert.equal(switched.body!.client.token_endpoint_auth_method, 'client_secret_jwt');
      assert.equal(switched.body!.client.jwks_uri, 'https://keys.example.com/jwks');
      const stored = await get().storage.clients.find(view.client_id);
      assert.equal(stored!.sealedSecret, undefined, 'switching keeps no secret: only a new one is sealed');
      const rotated = await call('POST', `${path}/secret`);
      assert.equal(rotated.status, 200);
      const sealed = (await get().storage.clients.find(view.client_id))!.sealedSecret!;
      assert.equal(await get().gatehouse.clientSecretSeal.open(sealed, view.client_id), rotated.body!.client_secret);
      assert.ok(!JSON.stringify((await call('GET', path)).body).includes(sealed), 'the sealed secret is never shown');
    });

    test('a signed-in user registers every client type, sees them listed, and the secret only once', async () => {
      const { call } = await consoleUser(get());
      const bodies = [
        SERVER_APP,
        {
          type: 'client',
          name: 'SPA',
          homepage: 'https://spa.example.com',
          redirect_uris: ['https://spa.example.com/cb'],
          js_domains: ['https://spa.example.com'],
        },
        { type: 'mobile', name: 'Phone App', homepage: 'https://app.example.com', redirect_uris: ['com.example.app:/cb'] },
        { type: 'device', name: 'TV App', homepage: 'https://tv.example.com' },
        { type: 'self' },
      ];
      for (const body of bodies) {
        const created = await call('POST', '/clients', body);
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.match(created.body!.client.client_id, /^1000\.[A-Z0-9]{30}$/);
        assert.equal(typeof created.body!.client_secret === 'string', body.type !== 'client', body.type);
      }
      const listed = await call('GET', '/clients');
      assert.deepEqual(listed.body!.clients.map((c: { type: string }) => c.type).sort(), ['client', 'device', 'mobile', 'self', 'server']);
      assert.ok(listed.body!.clients.every((c: Record<string, unknown>) => !('client_secret' in c)));
      assert.equal((await call('POST', '/clients', { type: 'self' })).body!.code, 'client.self_client_exists');
    });

    test('bad input gets a management error naming the field, and creates nothing', async () => {
      const { call } = await consoleUser(get());
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ ...SERVER_APP, redirect_uris: ['javascript:alert(1)'] }, 'client.redirect_uri_invalid', 'redirect_uris'],
        [{ ...SERVER_APP, redirect_uris: ['https://app.example.com/cb#x'] }, 'client.redirect_uri_invalid', 'redirect_uris'],
        [{ ...SERVER_APP, redirect_uris: [] }, 'client.redirect_uri_required', 'redirect_uris'],
        [{ ...SERVER_APP, name: 'x'.repeat(101) }, 'client.name_invalid', 'name'],
        [{ ...SERVER_APP, name: '<script>' }, 'client.name_invalid', 'name'],
        [{ ...SERVER_APP, homepage: 'ftp://x' }, 'client.homepage_invalid', 'homepage'],
        [{ ...SERVER_APP, type: 'robot' }, 'client.type_invalid', 'type'],
        [{ ...SERVER_APP, redirect_uris: 'https://app.example.com/cb' }, 'request.invalid', 'redirect_uris'],
        [
          { type: 'device', name: 'TV', homepage: 'https://tv.example.com', redirect_uris: ['https://tv.example.com/cb'] },
          'client.field_not_allowed',
          'redirect_uris',
        ],
        [
          { ...SERVER_APP, post_logout_redirect_uris: ['https://app.example.com/bye#x'] },
          'client.post_logout_redirect_uri_invalid',
          'post_logout_redirect_uris',
        ],
        [
          { ...SERVER_APP, backchannel_logout_uri: 'http://app.example.com/bc' },
          'client.backchannel_logout_uri_invalid',
          'backchannel_logout_uri',
        ],
        [
          { ...SERVER_APP, backchannel_logout_uri: 'https://app.example.com/bc#f' },
          'client.backchannel_logout_uri_invalid',
          'backchannel_logout_uri',
        ],
        [
          { ...SERVER_APP, backchannel_logout_uri: 'https://user:pw@app.example.com/bc' },
          'client.backchannel_logout_uri_invalid',
          'backchannel_logout_uri',
        ],
        [{ ...SERVER_APP, backchannel_logout_session_required: 'yes' }, 'request.invalid', 'backchannel_logout_session_required'],
        [
          { type: 'device', name: 'TV', homepage: 'https://tv.example.com', backchannel_logout_uri: 'https://tv.example.com/bc' },
          'client.field_not_allowed',
          'backchannel_logout_uri',
        ],
      ];
      for (const [body, code, field] of cases) {
        const res = await call('POST', '/clients', body);
        assert.equal(res.status, 400, code);
        assert.deepEqual([res.body!.code, res.body!.field], [code, field]);
        assert.equal(typeof res.body!.message, 'string');
      }
      // Several fields wrong at once: each named in `errors`, the first also at the top.
      const many = await call('POST', '/clients', { ...SERVER_APP, name: '', homepage: 'nope', redirect_uris: ['https://a.example/#f'] });
      assert.deepEqual(
        many.body!.errors.map((e: { code: string; field: string }) => [e.code, e.field]),
        [
          ['client.name_invalid', 'name'],
          ['client.homepage_invalid', 'homepage'],
          ['client.redirect_uri_invalid', 'redirect_uris'],
        ],
      );
      assert.equal(many.body!.code, 'client.name_invalid');
      assert.deepEqual((await call('GET', '/clients')).body!.clients, []);
    });

    test('the OpenID Connect logout fields are registered, shown, changed one at a time and cleared', async () => {
      const { call } = await consoleUser(get());
      const created = await call('POST', '/clients', {
        ...SERVER_APP,
        post_logout_redirect_uris: ['https://app.example.com/bye'],
        backchannel_logout_uri: 'http://127.0.0.1:8080/bc',
        backchannel_logout_session_required: true,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { client_id: clientId } = created.body!.client;
      const logout = (c: Record<string, unknown>) => [
        c.post_logout_redirect_uris,
        c.backchannel_logout_uri,
        c.backchannel_logout_session_required,
      ];
      assert.deepEqual(logout(created.body!.client), [['https://app.example.com/bye'], 'http://127.0.0.1:8080/bc', true]);
      const renamed = await call('PATCH', `/clients/${clientId}`, { name: 'Renamed' });
      assert.deepEqual(logout(renamed.body!.client), [['https://app.example.com/bye'], 'http://127.0.0.1:8080/bc', true], 'kept');
      const changed = await call('PATCH', `/clients/${clientId}`, {
        backchannel_logout_uri: 'https://app.example.com/bc',
        backchannel_logout_session_required: false,
      });
      assert.deepEqual(logout(changed.body!.client), [['https://app.example.com/bye'], 'https://app.example.com/bc', false]);
      const cleared = await call('PATCH', `/clients/${clientId}`, { post_logout_redirect_uris: [], backchannel_logout_uri: '' });
      assert.deepEqual(logout(cleared.body!.client), [[], null, false]);
      assert.deepEqual(logout((await call('GET', `/clients/${clientId}`)).body!.client), [[], null, false]);
    });

    test("an administrator's API token works without session or CSRF header; an unknown, revoked or demoted one is 401", async () => {
      const h = get();
      const admin = await h.user({ isAdmin: true });
      const developer = await h.user();
      const deps = { users: h.storage.users, apiTokens: h.storage.apiTokens, hasher: h.gatehouse.hasher, now: h.clock.now };
      await assert.rejects(createApiToken({ email: developer.email, name: 'x' }, deps), /administrators only/);
      const { token } = await createApiToken({ email: admin.email, name: 'deploy' }, deps);
      const api = async (method: string, path: string, bearer: string, body?: unknown) => {
        const response = await fetch(`${h.baseUrl}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.text();
        return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
      };
      const created = await api('POST', '/clients', token, SERVER_APP);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await h.client(developer, 'device');
      const all = await api('GET', '/clients?all=true', token);
      assert.ok(
        all.body!.clients.some((c: { type: string }) => c.type === 'device'),
        "the admin sees the developer's client",
      );
      assert.equal((await api('GET', '/users', token)).status, 200);

      for (const bad of ['ghat_' + 'A'.repeat(43), 'not-a-token', `${token}x`]) {
        const refused = await api('GET', '/clients', bad);
        assert.deepEqual([refused.status, refused.body!.code], [401, 'auth.token_invalid'], bad);
      }
      await revokeApiToken({ email: admin.email, name: 'deploy' }, deps);
      assert.equal((await api('GET', '/clients', token)).status, 401, 'revoked');

      // A token outlives nothing: once its owner is no longer an administrator, it no longer identifies anyone.
      const second = await createApiToken({ email: admin.email, name: 'second' }, deps);
      assert.equal((await apiTokenUser(second.token, deps))?.user.zuid, admin.zuid);
      const demoted = { findByZuid: async (zuid: string) => ({ ...(await h.storage.users.findByZuid(zuid))!, isAdmin: false }) };
      assert.equal(await apiTokenUser(second.token, { ...deps, users: demoted as unknown as UserRepository }), undefined);
    });

    test('no session is 401; a state change without the CSRF header, or from another origin, is 403', async () => {
      const h = get();
      const anonymous = await fetch(`${h.baseUrl}/api/v1/clients`);
      assert.equal(anonymous.status, 401);
      assert.equal(((await anonymous.json()) as { code: string }).code, 'auth.required');
      const { call } = await consoleUser(h);
      assert.equal((await call('POST', '/clients', SERVER_APP, {})).body!.code, 'auth.csrf_failed');
      const forged = await call('POST', '/clients', SERVER_APP, { 'x-csrf-token': 'f'.repeat(64) });
      assert.equal(forged.status, 403);
      assert.deepEqual((await call('GET', '/clients')).body!.clients, [], 'nothing was created');
      assert.equal((await call('GET', '/nope')).body!.code, 'route.not_found');
    });

    test("another user's client is invisible and untouchable", async () => {
      const h = get();
      const alice = await consoleUser(h);
      const bob = await consoleUser(h);
      const id = (await alice.call('POST', '/clients', { type: 'self' })).body!.client.client_id;
      for (const [method, path, body] of [
        ['GET', `/clients/${id}`, undefined],
        ['POST', `/clients/${id}/secret`, undefined],
        ['POST', `/clients/${id}/codes`, { scope: 'ZohoCRM.modules.ALL' }],
      ] as const) {
        const res = await bob.call(method, path, body);
        assert.deepEqual([res.status, res.body!.code], [404, 'client.not_found'], `${method} ${path}`);
      }
      assert.equal((await alice.call('GET', `/clients/${id}`)).status, 200);
    });

    test('rotating a secret stops the old one; a Self Client code from the API works at the token endpoint', async () => {
      const h = get();
      const { call } = await consoleUser(h);
      const created = (await call('POST', '/clients', { type: 'self' })).body!;
      const clientId = created.client.client_id as string;
      const code = await call('POST', `/clients/${clientId}/codes`, {
        scope: 'ZohoCRM.modules.ALL, AaaServer.profile.READ',
        duration: 5,
        description: 'nightly sync',
      });
      assert.deepEqual([code.status, code.body!.expires_in, code.body!.scope], [201, 300, 'ZohoCRM.modules.ALL AaaServer.profile.READ']);
      assert.equal(
        (await call('POST', `/clients/${clientId}/codes`, { scope: 'ZohoCRM.nope.ALL' })).body!.code,
        'self_client.scope_invalid',
      );
      assert.equal(
        (await call('POST', `/clients/${clientId}/codes`, { scope: 'ZohoCRM.modules.ALL', duration: 11 })).body!.code,
        'self_client.duration_invalid',
      );

      const rotated = await call('POST', `/clients/${clientId}/secret`);
      assert.notEqual(rotated.body!.client_secret, created.client_secret);
      const exchange = (secret: string) =>
        h.post('/oauth/v2/token', { grant_type: 'authorization_code', client_id: clientId, client_secret: secret, code: code.body!.code });
      assert.equal((await exchange(created.client_secret)).status, 401, 'the old secret stops working');
      assert.equal((await exchange(rotated.body!.client_secret)).status, 200);
    });

    test('editing re-checks the fields for the type and changes nothing on error; a Self Client has nothing to edit', async () => {
      const { call } = await consoleUser(get());
      const id = (await call('POST', '/clients', SERVER_APP)).body!.client.client_id;
      const edited = await call('PATCH', `/clients/${id}`, {
        name: 'CRM Sync 2',
        redirect_uris: ['https://app.example.com/cb', 'https://app.example.com/cb2'],
      });
      assert.deepEqual(
        [edited.status, edited.body!.client.name, edited.body!.client.redirect_uris.length, edited.body!.client.homepage],
        [200, 'CRM Sync 2', 2, 'https://app.example.com'],
      );
      const bad = await call('PATCH', `/clients/${id}`, { redirect_uris: ['https://*.example.com/cb'] });
      assert.deepEqual([bad.status, bad.body!.code], [400, 'client.redirect_uri_invalid']);
      assert.equal((await call('GET', `/clients/${id}`)).body!.client.redirect_uris.length, 2);
      const self = (await call('POST', '/clients', { type: 'self' })).body!.client.client_id;
      assert.equal((await call('PATCH', `/clients/${self}`, { name: 'Mine' })).body!.code, 'client.field_not_allowed');
    });

    test('access_token_format: jwt or opaque, at registration or later (a Self Client too); anything else is named', async () => {
      const { call } = await consoleUser(get());
      const created = await call('POST', '/clients', { ...SERVER_APP, access_token_format: 'jwt' });
      assert.equal(created.body!.client.access_token_format, 'jwt');
      const id = created.body!.client.client_id as string;
      const off = await call('PATCH', `/clients/${id}`, { access_token_format: 'opaque' });
      assert.deepEqual([off.status, off.body!.client.access_token_format, off.body!.client.name], [200, 'opaque', 'CRM Sync']);
      const self = (await call('POST', '/clients', { type: 'self' })).body!.client;
      assert.equal(self.access_token_format, 'opaque');
      const selfOn = await call('PATCH', `/clients/${self.client_id}`, { access_token_format: 'jwt' });
      assert.deepEqual([selfOn.status, selfOn.body!.client.access_token_format], [200, 'jwt']);
      for (const body of [{ access_token_format: 'JWT' }, { access_token_format: 'paseto' }]) {
        const bad = await call('PATCH', `/clients/${id}`, body);
        assert.deepEqual([bad.status, bad.body!.code, bad.body!.field], [400, 'client.access_token_format_invalid', 'access_token_format']);
      }
      const badSelf = await call('PATCH', `/clients/${self.client_id}`, { access_token_format: 'x' });
      assert.deepEqual([badSelf.status, badSelf.body!.code], [400, 'client.access_token_format_invalid']);
      assert.equal((await call('GET', `/clients/${id}`)).body!.client.access_token_format, 'opaque', 'the refused edit changed nothing');
    });

    test('DPoP: a client is made to require it at registration or later (a Self Client too), with a boolean only', async () => {
      const { call } = await consoleUser(get());
      const created = await call('POST', '/clients', { ...SERVER_APP, dpop_bound_access_tokens: true });
      assert.equal(created.body!.client.dpop_bound_access_tokens, true);
      const id = created.body!.client.client_id as string;
      const off = await call('PATCH', `/clients/${id}`, { dpop_bound_access_tokens: false });
      assert.deepEqual([off.status, off.body!.client.dpop_bound_access_tokens, off.body!.client.name], [200, false, 'CRM Sync']);
      const self = (await call('POST', '/clients', { type: 'self' })).body!.client;
      assert.equal(self.dpop_bound_access_tokens, false);
      const selfOn = await call('PATCH', `/clients/${self.client_id}`, { dpop_bound_access_tokens: true });
      assert.deepEqual([selfOn.status, selfOn.body!.client.dpop_bound_access_tokens], [200, true]);
      const bad = await call('PATCH', `/clients/${id}`, { dpop_bound_access_tokens: 'yes' });
      assert.deepEqual([bad.status, bad.body!.code, bad.body!.field], [400, 'request.invalid', 'dpop_bound_access_tokens']);
      assert.equal((await call('GET', `/clients/${id}`)).body!.client.dpop_bound_access_tokens, false, 'the refused edit changed nothing');
    });

    test('signing algorithms: set at registration, changed, cleared (userinfo) and refused when unknown, a Self Client too', async () => {
      const { call } = await consoleUser(get());
      const created = await call('POST', '/clients', {
        ...SERVER_APP,
        id_token_signed_response_alg: 'ES256',
        userinfo_signed_response_alg: 'EdDSA',
      });
      const view = (body: Record<string, any> | undefined) => [
        body!.client.id_token_signed_response_alg,
        body!.client.userinfo_signed_response_alg,
      ];
      assert.deepEqual(view(created.body), ['ES256', 'EdDSA']);
      const id = created.body!.client.client_id as string;
      const kept = await call('PATCH', `/clients/${id}`, { name: 'Renamed' });
      assert.deepEqual(view(kept.body), ['ES256', 'EdDSA'], 'fields left out keep their value');
      const cleared = await call('PATCH', `/clients/${id}`, { userinfo_signed_response_alg: '' });
      assert.deepEqual(view(cleared.body), ['ES256', null], 'empty: plain JSON userinfo again');
      for (const [field, value] of [
        ['id_token_signed_response_alg', 'none'],
        ['id_token_signed_response_alg', 'HS256'],
        ['userinfo_signed_response_alg', 'RS512'],
      ] as const) {
        const bad = await call('PATCH', `/clients/${id}`, { [field]: value });
        assert.deepEqual([bad.status, bad.body!.code, bad.body!.field], [400, 'client.signing_alg_invalid', field], value);
      }
      const wrongType = await call('PATCH', `/clients/${id}`, { id_token_signed_response_alg: 256 });
      assert.deepEqual([wrongType.status, wrongType.body!.code], [400, 'request.invalid']);
      assert.deepEqual(view((await call('GET', `/clients/${id}`)).body), ['ES256', null], 'the refused edits changed nothing');
      const self = (await call('POST', '/clients', { type: 'self' })).body!.client;
      assert.deepEqual([self.id_token_signed_response_alg, self.userinfo_signed_response_alg], ['RS256', null]);
      const selfSigned = await call('PATCH', `/clients/${self.client_id}`, { id_token_signed_response_alg: 'EdDSA' });
      assert.deepEqual([selfSigned.status, ...view(selfSigned.body)], [200, 'EdDSA', null]);
    });

    test('PAR: a client with redirect URIs is made to require it at registration or later; a Self Client cannot be', async () => {
      const { call } = await consoleUser(get());
      const created = await call('POST', '/clients', { ...SERVER_APP, require_pushed_authorization_requests: true });
      assert.equal(created.body!.client.require_pushed_authorization_requests, true);
      const id = created.body!.client.client_id as string;
      const off = await call('PATCH', `/clients/${id}`, { require_pushed_authorization_requests: false });
      assert.deepEqual([off.status, off.body!.client.require_pushed_authorization_requests], [200, false]);
      const self = (await call('POST', '/clients', { type: 'self' })).body!.client;
      assert.equal(self.require_pushed_authorization_requests, false);
      const selfOn = await call('PATCH', `/clients/${self.client_id}`, { require_pushed_authorization_requests: true });
      assert.deepEqual([selfOn.status, selfOn.body!.code], [400, 'client.field_not_allowed']);
      const device = await call('POST', '/clients', {
        type: 'device',
        name: 'TV',
        homepage: 'https://tv.example.com',
        require_pushed_authorization_requests: true,
      });
      assert.deepEqual(
        [device.status, device.body!.code, device.body!.field],
        [400, 'client.field_not_allowed', 'require_pushed_authorization_requests'],
      );
      const bad = await call('PATCH', `/clients/${id}`, { require_pushed_authorization_requests: 'yes' });
      assert.deepEqual([bad.status, bad.body!.code, bad.body!.field], [400, 'request.invalid', 'require_pushed_authorization_requests']);
    });

    test('deleting a client revokes everything it holds; grants are listed and revoked per user', async () => {
      const h = get();
      const developer = await consoleUser(h);
      const created = (await developer.call('POST', '/clients', SERVER_APP)).body!;
      const client = {
        clientId: created.client.client_id as string,
        clientSecret: created.client_secret as string,
        redirectUris: ['https://app.example.com/cb'],
      };

      const grantor = await h.user();
      const tokens = await h.exchange(client, await h.webCode(client.clientId, grantor, { redirectUri: 'https://app.example.com/cb' }), {
        redirect_uri: 'https://app.example.com/cb',
      });
      await h.storage.consents.grant(grantor.zuid, client.clientId, 'ZohoCRM.modules.ALL', h.clock.now());
      const grants = await developer.call('GET', `/clients/${client.clientId}/grants`);
      assert.deepEqual(
        grants.body!.grants.map((g: { user: { email: string }; scopes: string[] }) => [g.user.email, g.scopes]),
        [[grantor.email, ['ZohoCRM.modules.ALL']]],
      );
      assert.equal((await developer.call('DELETE', `/clients/${client.clientId}/grants/${grantor.zuid}`)).status, 204);
      assert.equal(await h.accessTokenWorks(tokens.access_token), false);
      assert.equal((await developer.call('DELETE', `/clients/${client.clientId}/grants/${grantor.zuid}`)).body!.code, 'grant.not_found');

      const again = await h.exchange(client, await h.webCode(client.clientId, grantor, { redirectUri: 'https://app.example.com/cb' }), {
        redirect_uri: 'https://app.example.com/cb',
      });
      assert.equal((await developer.call('DELETE', `/clients/${client.clientId}`)).status, 204);
      assert.equal(await h.accessTokenWorks(again.access_token), false);
      assert.equal((await h.refresh(client, again.refresh_token!)).status, 401, 'the client itself is gone');
      assert.equal((await developer.call('GET', `/clients/${client.clientId}`)).body!.code, 'client.not_found');
    });

    test('administrators additionally see every user and client; others may not', async () => {
      const h = get();
      const plain = await consoleUser(h);
      await plain.call('POST', '/clients', { type: 'self' });
      assert.equal((await plain.call('GET', '/clients?all=true')).body!.code, 'auth.admin_required');
      assert.equal((await plain.call('GET', '/users')).status, 403);
      const adminUser = await createUser(
        { email: `boss-${Date.now()}@example.com`, password: 'correct horse battery', firstName: 'Bo', lastName: 'Ss', isAdmin: true },
        { users: h.storage.users, now: h.clock.now },
      );
      const admin = await consoleUser(h, adminUser);
      const all = await admin.call('GET', '/clients?all=true');
      assert.ok(all.body!.clients.some((c: { type: string }) => c.type === 'self'));
      const users = await admin.call('GET', '/users');
      assert.ok(users.body!.users.some((u: { email: string }) => u.email === plain.user.email));
      assert.ok(users.body!.users.every((u: Record<string, unknown>) => !('password_hash' in u) && !('passwordHash' in u)));
    });
  },
  { limits: { codeRate: null } },
);
