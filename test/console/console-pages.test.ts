import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { CLI_CONTEXT } from '../../src/core/audit/audit-log.js';
import { createOrganisation, setOrgMember } from '../../src/core/orgs/administer-organisations.js';
import type { Harness } from '../support/harness.js';
import type { User } from '../../src/core/users/user.js';

/** The console's pages over plain HTTP: what a browser without script, or a forger, gets. */
async function signedIn(h: Harness, user: User): Promise<{ agent: BrowserAgent; csrf: string }> {
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, 'correct horse battery', '/developer-console');
  const page = await agent.get('/developer-console');
  assert.equal(page.status, 200);
  return { agent, csrf: page.field('csrf') };
}

describeEachStore('developer console pages', (get) => {
  test('signed out, the console sends the browser to sign in and back', async () => {
    const h = get();
    const page = await new BrowserAgent(h.baseUrl).get('/developer-console/new/server');
    assert.equal(page.status, 303);
    assert.equal(page.location, `/signin?return_to=${encodeURIComponent('/developer-console/new/server')}`);
  });

  test('pages carry the locked-down headers and only the console script', async () => {
    const h = get();
    const { agent } = await signedIn(h, await h.user());
    const page = await agent.get('/developer-console/new/client');
    assert.equal(page.status, 200);
    assert.equal(
      page.headers.get('content-security-policy'),
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    assert.deepEqual(
      [...page.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!.trim()),
      ['src="/assets/console.js" defer'],
    );
    // Exactly the fields a client-based application asks for, the optional OpenID Connect logout ones, its keys (no
    // authentication method: it has no secret), the signing algorithms, then Require DPoP.
    // Exactly the fields a client-based application asks for, the optional OpenID Connect logout ones, then Require DPoP
    // and Require pushed authorization requests.
    assert.deepEqual(
      [...page.body.matchAll(/<(?:input|textarea|select)[^>]* name="(\w+)"/g)].map((m) => m[1]).filter((n) => n !== 'csrf'),
      [
        'name',
        'homepage',
        'redirect_uris',
        'js_domains',
        'post_logout_redirect_uris',
        'backchannel_logout_uri',
        'backchannel_logout_session_required',
        'jwks',
        'jwks_uri',
        'require_signed_request_object',
        'id_token_signed_response_alg',
        'userinfo_signed_response_alg',
        'dpop_bound_access_tokens',
        'access_token_format',
        'require_pushed_authorization_requests',
      ],
    );
    const script = await fetch(`${h.baseUrl}/assets/console.js`);
    assert.match(script.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(script.headers.get('x-content-type-options'), 'nosniff');
  });

  test('Client Details sets, shows and clears the OpenID Connect logout fields; a wrong one is marked beside its field', async () => {
    const h = get();
    const owner = await h.user();
    const { agent, csrf } = await signedIn(h, owner);
    const client = await h.client(owner, 'server');
    const path = `/developer-console/clients/${client.clientId}`;
    const form = { csrf, name: 'Logout app', homepage: 'https://app.example.com', redirect_uris: client.redirectUris.join('\n') };
    const saved = await agent.post(path, {
      ...form,
      post_logout_redirect_uris: 'https://app.example.com/bye\nhttps://app.example.com/bye2',
      backchannel_logout_uri: 'https://app.example.com/backchannel',
      backchannel_logout_session_required: 'yes',
    });
    assert.equal(saved.location, `${path}?saved=1`);
    const stored = (await h.storage.clients.find(client.clientId))!;
    assert.deepEqual(
      [stored.postLogoutRedirectUris, stored.backchannelLogoutUri, stored.backchannelLogoutSessionRequired],
      [['https://app.example.com/bye', 'https://app.example.com/bye2'], 'https://app.example.com/backchannel', true],
    );
    const details = await agent.get(path);
    assert.match(details.body, /name="backchannel_logout_uri"[^>]*value="https:\/\/app\.example\.com\/backchannel"/);
    assert.match(details.body, /<option value="yes"\s+selected/);

    const refused = await agent.post(path, { ...form, backchannel_logout_uri: 'http://intranet.example/logout' });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /id="field-backchannel_logout_uri-error">Enter a valid back-channel logout URI/);
    assert.equal((await h.storage.clients.find(client.clientId))!.backchannelLogoutUri, 'https://app.example.com/backchannel');

    assert.equal((await agent.post(path, form)).status, 303);
    const cleared = (await h.storage.clients.find(client.clientId))!;
    assert.deepEqual(
      [cleared.postLogoutRedirectUris, cleared.backchannelLogoutUri, cleared.backchannelLogoutSessionRequired],
      [[], null, false],
    );
  });

  test('Client Details sets and shows the signing algorithms; an unknown one is marked beside its field', async () => {
    const h = get();
    const owner = await h.user();
    const { agent, csrf } = await signedIn(h, owner);
    const client = await h.client(owner, 'server');
    const path = `/developer-console/clients/${client.clientId}`;
    const form = { csrf, name: 'Signing app', homepage: 'https://app.example.com', redirect_uris: client.redirectUris.join('\n') };
    const saved = await agent.post(path, { ...form, id_token_signed_response_alg: 'EdDSA', userinfo_signed_response_alg: 'ES256' });
    assert.equal(saved.location, `${path}?saved=1`);
    const stored = (await h.storage.clients.find(client.clientId))!;
    assert.deepEqual([stored.idTokenSignedResponseAlg, stored.userinfoSignedResponseAlg], ['EdDSA', 'ES256']);
    const details = await agent.get(path);
    assert.match(details.body, /<option value="EdDSA"\s+selected/);
    assert.match(details.body, /<option value="ES256"\s+selected/);

    const refused = await agent.post(path, { ...form, id_token_signed_response_alg: 'none', userinfo_signed_response_alg: 'ES256' });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /id="field-id_token_signed_response_alg-error">The id_token_signed_response_alg must be one of/);
    assert.equal((await h.storage.clients.find(client.clientId))!.idTokenSignedResponseAlg, 'EdDSA');

    assert.equal(
      (await agent.post(path, { ...form, id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: '' })).status,
      303,
    );
    const cleared = (await h.storage.clients.find(client.clientId))!;
    assert.deepEqual([cleared.idTokenSignedResponseAlg, cleared.userinfoSignedResponseAlg], ['RS256', null]);
  });

  test('Require DPoP is set at registration and cleared by saving the form without it', async () => {
    const h = get();
    const user = await h.user();
    const { agent, csrf } = await signedIn(h, user);
    const fields = { csrf, name: 'TV', homepage: 'https://tv.example.com' };
    const created = await agent.post('/developer-console/new/device', { ...fields, dpop_bound_access_tokens: 'yes' });
    assert.equal(created.status, 201);
    const [client] = await h.storage.clients.listByOwner(user.zuid);
    assert.equal(client!.dpopBoundAccessTokens, true);
    const details = await agent.get(`/developer-console/clients/${client!.clientId}`);
    assert.match(details.body, /name="dpop_bound_access_tokens" value="yes"\s+checked/);
    const saved = await agent.post(`/developer-console/clients/${client!.clientId}`, { ...fields, csrf: details.field('csrf') });
    assert.equal(saved.status, 303);
    assert.equal((await h.storage.clients.find(client!.clientId))!.dpopBoundAccessTokens, false);
  });

  test('Client authentication and keys: private_key_jwt with a JWK Set; a private key is marked beside its field', async () => {
    const h = get();
    const user = await h.user();
    const { agent, csrf } = await signedIn(h, user);
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    };
    const fields = { csrf, name: 'Signer', homepage: 'https://app.example.com', redirect_uris: 'https://app.example.com/cb' };
    const refused = await agent.post('/developer-console/new/server', {
      ...fields,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: JSON.stringify({ keys: [{ ...jwk, d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }] }),
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /id="field-jwks-error">Enter a valid JWK Set: it holds private key material/);
    const created = await agent.post('/developer-console/new/server', {
      ...fields,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: JSON.stringify({ keys: [jwk] }),
      require_signed_request_object: 'yes',
    });
    assert.equal(created.status, 201);
    const [client] = await h.storage.clients.listByOwner(user.zuid);
    assert.equal(client!.tokenEndpointAuthMethod, 'private_key_jwt');
    assert.deepEqual(client!.jwks, { keys: [jwk] });
    assert.equal(client!.requireSignedRequestObject, true);
    const details = await agent.get(`/developer-console/clients/${client!.clientId}`);
    assert.match(details.body, /<option value="private_key_jwt"\s+selected/);
  });

  test('JWT access tokens are chosen at registration and cleared by saving the form without them', async () => {
    const h = get();
    const user = await h.user();
    const { agent, csrf } = await signedIn(h, user);
    const fields = { csrf, name: 'TV', homepage: 'https://tv.example.com' };
    const created = await agent.post('/developer-console/new/device', { ...fields, access_token_format: 'jwt' });
    assert.equal(created.status, 201);
    const [client] = await h.storage.clients.listByOwner(user.zuid);
    assert.equal(client!.accessTokenFormat, 'jwt');
    const details = await agent.get(`/developer-console/clients/${client!.clientId}`);
    assert.match(details.body, /name="access_token_format" value="jwt"\s+checked/);
    const saved = await agent.post(`/developer-console/clients/${client!.clientId}`, { ...fields, csrf: details.field('csrf') });
    assert.equal(saved.status, 303);
    assert.equal((await h.storage.clients.find(client!.clientId))!.accessTokenFormat, 'opaque');
  });

  test('Require pushed authorization requests is set at registration, cleared by saving without it, and not offered without redirect URIs', async () => {
    const h = get();
    const user = await h.user();
    const { agent, csrf } = await signedIn(h, user);
    const fields = { csrf, name: 'Web', homepage: 'https://app.example.com', redirect_uris: 'https://app.example.com/cb' };
    const created = await agent.post('/developer-console/new/server', { ...fields, require_pushed_authorization_requests: 'yes' });
    assert.equal(created.status, 201);
    const [client] = await h.storage.clients.listByOwner(user.zuid);
    assert.equal(client!.requirePushedAuthorizationRequests, true);
    const details = await agent.get(`/developer-console/clients/${client!.clientId}`);
    assert.match(details.body, /name="require_pushed_authorization_requests"\s+value="yes"\s+checked/);
    const saved = await agent.post(`/developer-console/clients/${client!.clientId}`, { ...fields, csrf: details.field('csrf') });
    assert.equal(saved.status, 303);
    assert.equal((await h.storage.clients.find(client!.clientId))!.requirePushedAuthorizationRequests, false);
    assert.doesNotMatch((await agent.get('/developer-console/new/device')).body, /require_pushed_authorization_requests/);
  });

  test('a form without its CSRF token changes nothing', async () => {
    const h = get();
    const user = await h.user();
    const { agent } = await signedIn(h, user);
    const page = await agent.post('/developer-console/new/device', { name: 'TV', homepage: 'https://tv.example.com' });
    assert.equal(page.status, 403);
    assert.deepEqual(await h.storage.clients.listByOwner(user.zuid), []);
  });

  test('without script, destructive actions ask on a page of their own before anything happens', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'server');
    const before = (await h.storage.clients.find(client.clientId))!.secretHash;
    const { agent, csrf } = await signedIn(h, user);
    const base = `/developer-console/clients/${client.clientId}`;

    const asked = await agent.post(`${base}/secret`, { csrf });
    assert.equal(asked.status, 200);
    assert.match(asked.body, /Rotate the client secret\?/);
    assert.equal(asked.field('confirmed'), 'yes');
    assert.equal((await h.storage.clients.find(client.clientId))!.secretHash, before, 'not rotated yet');

    const rotated = await agent.post(`${base}/secret`, { csrf, confirmed: 'yes' });
    assert.match(rotated.body, /id="client-secret"[^>]*>([0-9a-f]{42})</);
    assert.notEqual((await h.storage.clients.find(client.clientId))!.secretHash, before);

    assert.match((await agent.post(`${base}/delete`, { csrf })).body, /Delete Test server app\?/);
    assert.ok(await h.storage.clients.find(client.clientId), 'not deleted yet');
    const deleted = await agent.post(`${base}/delete`, { csrf, confirmed: 'yes' });
    assert.equal(deleted.location, '/developer-console?deleted=1');
    assert.equal(await h.storage.clients.find(client.clientId), undefined);
  });

  test("another user's client is not found on every page and every form, and nothing changes", async () => {
    const h = get();
    const owner = await h.user();
    const theirs = await h.client(owner, 'self');
    const before = await h.storage.clients.find(theirs.clientId);
    const { agent, csrf } = await signedIn(h, await h.user());
    const base = `/developer-console/clients/${theirs.clientId}`;
    for (const path of [base, `${base}/secret`, `${base}/generate-code`, `${base}/grants`]) {
      const page = await agent.get(path);
      assert.equal(page.status, 404, path);
      assert.match(page.body, /No client has this client ID/);
    }
    const forms: Array<[string, Record<string, string>]> = [
      [base, { name: 'Taken' }],
      [`${base}/delete`, { confirmed: 'yes' }],
      [`${base}/secret`, { confirmed: 'yes' }],
      [`${base}/generate-code`, { scope: 'ZohoCRM.modules.ALL', duration: '3' }],
      [`${base}/grants/revoke`, { zuid: owner.zuid, confirmed: 'yes' }],
    ];
    for (const [path, form] of forms) {
      const page = await agent.post(path, { csrf, ...form });
      assert.equal(page.status, 404, path);
      assert.doesNotMatch(page.body, /1000\.[0-9a-f]{32}\.[0-9a-f]{32}/, `no code on ${path}`);
    }
    assert.deepEqual(await h.storage.clients.find(theirs.clientId), before);
  });

  test("an administrator on someone else's client is in All clients, shown whose it is; on their own, in My clients", async () => {
    const h = get();
    const owner = await h.user();
    const admin = await h.user({ isAdmin: true });
    const theirs = await h.client(owner, 'self');
    const mine = await h.client(admin, 'server');
    const { agent } = await signedIn(h, admin);
    /** The current link of a nav (aria-current="page"), by its label. */
    const currentIn = (body: string, nav: string) =>
      [
        ...(body.match(new RegExp(`<nav[^>]*aria-label="${nav}"[^>]*>([\\s\\S]*?)</nav>`))?.[1] ?? '').matchAll(
          /<a [^>]*aria-current="page"[^>]*>([^<]*)</g,
        ),
      ].map((m) => m[1]);
    const base = `/developer-console/clients/${theirs.clientId}`;
    for (const [path, tab] of [
      [base, 'Client Details'],
      [`${base}/secret`, 'Client Secret'],
      [`${base}/generate-code`, 'Generate Code'],
      [`${base}/grants`, 'Grants'],
    ] as const) {
      const page = await agent.get(path);
      assert.equal(page.status, 200, path);
      assert.deepEqual(currentIn(page.body, 'Your pages'), ['Developer console'], path);
      assert.deepEqual(currentIn(page.body, 'Console sections'), ['All clients'], path);
      assert.deepEqual(currentIn(page.body, 'Client'), [tab], path);
      const breadcrumb = page.body.match(/<p class="breadcrumb">([\s\S]*?)<\/p>/)![1]!.replace(/\s+/g, ' ');
      assert.match(breadcrumb, /<a href="\/developer-console\/admin\/clients">All clients<\/a>/, path);
      assert.ok(breadcrumb.includes(`<a href="/developer-console/admin/users/${owner.zuid}">${owner.email}</a>`), path);
      assert.doesNotMatch(breadcrumb, /Your clients/, path);
      assert.ok(page.body.includes(`Owner: <a href="/developer-console/admin/users/${owner.zuid}">${owner.email}</a>`), path);
    }

    const own = await agent.get(`/developer-console/clients/${mine.clientId}`);
    assert.deepEqual(currentIn(own.body, 'Console sections'), ['My clients']);
    assert.match(own.body, /<a href="\/developer-console">Your clients<\/a>/);
    assert.doesNotMatch(own.body, /Owner:/);
    const apps = await agent.get('/account/connected-apps');
    assert.deepEqual(currentIn(apps.body, 'Your pages'), ['Connected apps']);
  });

  test('administrator pages are refused to other users; an unknown client type is a clear error', async () => {
    const h = get();
    const { agent } = await signedIn(h, await h.user());
    for (const path of ['/developer-console/admin/users', '/developer-console/admin/clients', '/developer-console/admin/orgs']) {
      const page = await agent.get(path);
      assert.equal(page.status, 403, path);
      assert.match(page.body, /Only administrators/);
    }
    const unknown = await agent.get('/developer-console/new/robot');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /The client type must be one of server, client, mobile, device, self/);
  });

  test('administrators see the organisations: name, ID, administrators and users', async () => {
    const h = get();
    const admin = await h.user({ isAdmin: true });
    const ola = await h.user({ email: `ola-${Date.now()}@example.com` });
    const per = await h.user({ email: `per-${Date.now()}@example.com` });
    const org = await createOrganisation('Zylker <Nordic>', ola, CLI_CONTEXT, h.gatehouse);
    await setOrgMember(org, per, 'user', CLI_CONTEXT, h.gatehouse);
    const { agent } = await signedIn(h, admin);
    const page = await agent.get('/developer-console/admin/orgs');
    assert.equal(page.status, 200);
    assert.match(page.body, /<a href="\/developer-console\/admin\/orgs" aria-current="page">Organisations<\/a>/, 'its own tab');
    const row = page.body.split('<tr>').find((r) => r.includes(org.id))!;
    assert.ok(row.includes('Zylker &lt;Nordic&gt;'), 'the name, escaped');
    assert.match(row, new RegExp(`data-label="Administrators">${ola.email}<`));
    assert.match(row, new RegExp(`data-label="Users">${per.email}<`));
  });

  test('Generate Code refuses a bad duration and a long description, naming the field', async () => {
    const h = get();
    const user = await h.user();
    const self = await h.client(user, 'self');
    const { agent, csrf } = await signedIn(h, user);
    const path = `/developer-console/clients/${self.clientId}/generate-code`;
    const duration = await agent.post(path, { csrf, scope: 'ZohoCRM.modules.ALL', duration: '11' });
    assert.equal(duration.status, 400);
    assert.match(duration.body, /id="field-duration-error">The time duration must be a whole number of minutes from 3 to 10\./);
    const description = await agent.post(path, { csrf, scope: 'ZohoCRM.modules.ALL', duration: '3', description: 'd'.repeat(251) });
    assert.match(description.body, /id="field-description-error">The description must be at most 250 characters\./);
    const empty = await agent.post(path, { csrf, scope: '', duration: '3' });
    assert.match(empty.body, /id="field-scope-error">Enter at least one scope\./);
  });
});
