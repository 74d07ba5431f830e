import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { atHash } from '../../src/core/oidc/id-token.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';

const REDIRECT = 'https://app.example.com/callback';

async function signInAndConsent(h: Harness, scope: string, extra: Record<string, string> = {}) {
  const user = await h.user({ firstName: 'Ann', lastName: 'Lee' });
  const client = await h.client(user, 'server');
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, 'correct horse battery');
  const consent = await agent.get(
    `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope, ...extra })}`,
  );
  const back = await agent.post('/oauth/v2/auth/consent', {
    csrf: consent.field('csrf'),
    interaction: consent.field('interaction'),
    decision: 'accept',
  });
  const tokens = (
    await h.post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      code: back.redirectParams().get('code')!,
      redirect_uri: REDIRECT,
    })
  ).body!;
  return { user, client, tokens };
}

describeEachStore('OpenID Connect', (get) => {
  test('openid, email and profile bring a signed id_token with the nonce, at_hash, kid and Zoho key_id', async () => {
    const h = get();
    const { user, client, tokens } = await signInAndConsent(h, 'openid,email,profile', { nonce: 'n-0S6_WzA2Mj' });
    assert.equal(typeof tokens.id_token, 'string');
    const header = decodeProtectedHeader(tokens.id_token);
    assert.equal(header.alg, 'RS256');
    assert.equal(header.key_id, header.kid);
    const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
    const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer: 'http://gatehouse.test', audience: client.clientId });
    assert.equal(payload.sub, user.zuid);
    assert.equal(payload.nonce, 'n-0S6_WzA2Mj');
    assert.equal(payload.at_hash, atHash(tokens.access_token));
    assert.equal(payload.email, user.email);
    assert.equal(payload.given_name, 'Ann');
    assert.equal(payload.family_name, 'Lee');
    assert.equal((payload.exp as number) - (payload.iat as number), 3600);
    // Always there, asked for or not (OpenID Connect Core §2 permits it): when the user signed in, and how strongly.
    assert.equal(typeof payload.auth_time, 'number');
    assert.ok((payload.auth_time as number) <= (payload.iat as number));
    assert.equal(payload.acr, 'urn:gatehouse:loa:1');
  });

  test('a refresh with openid granted brings a new id_token (OIDC Core §12.2: same iss, sub, aud, auth_time, amr, sid; at_hash of the new token); without openid none', async () => {
    const h = get();
    const { user, client, tokens } = await signInAndConsent(h, 'openid,email', { access_type: 'offline', nonce: 'n-1' });
    const refreshed = await h.refresh(client, tokens.refresh_token!);
    assert.equal(refreshed.status, 200);
    const idToken = refreshed.body!.id_token as string;
    assert.equal(typeof idToken, 'string');
    const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
    const first = (await jwtVerify(tokens.id_token, jwks)).payload;
    const { payload } = await jwtVerify(idToken, jwks, { issuer: 'http://gatehouse.test', audience: client.clientId });
    assert.deepEqual([payload.iss, payload.sub, payload.aud], [first.iss, first.sub, first.aud]);
    assert.equal(payload.sub, user.zuid);
    assert.equal(payload.at_hash, atHash(refreshed.body!.access_token));
    assert.equal(payload.email, user.email);
    assert.equal(payload.nonce, undefined, 'the nonce belonged to the original authentication');
    // §12.2: auth_time is "the time of the original authentication", however much later the refresh comes; with it
    // the original amr, acr and session sid.
    h.clock.advance(600);
    const later = (await jwtVerify((await h.refresh(client, tokens.refresh_token!)).body!.id_token as string, jwks)).payload;
    assert.equal(typeof first.auth_time, 'number');
    for (const claim of ['auth_time', 'amr', 'acr', 'sid'] as const) assert.deepEqual(later[claim], first[claim], claim);
    assert.ok((later.iat as number) > (first.iat as number));

    const narrowed = await h.post('/oauth/v2/token', {
      grant_type: 'refresh_token',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      refresh_token: tokens.refresh_token!,
      scope: 'email',
    });
    assert.equal(narrowed.status, 200);
    assert.equal(narrowed.body!.id_token, undefined, 'no openid in the new token: no signature spent');
    const emailOnly = await signInAndConsent(h, 'email', { access_type: 'offline' });
    assert.equal((await h.refresh(emailOnly.client, emailOnly.tokens.refresh_token!)).body!.id_token, undefined);
  });

  test('implicit response_type=id_token token: an id_token in the fragment with the nonce and the at_hash of its access token; nonce required', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'client');
    const agent = new BrowserAgent(h.baseUrl);
    await agent.signIn(user.email, 'correct horse battery');
    const query = (extra: Record<string, string>) =>
      `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'id_token token', redirect_uri: REDIRECT, scope: 'openid,email', state: 's', ...extra })}`;
    const consent = await agent.get(query({ nonce: 'n-implicit' }));
    const back = await agent.post('/oauth/v2/auth/consent', {
      csrf: consent.field('csrf'),
      interaction: consent.field('interaction'),
      decision: 'accept',
    });
    assert.ok(back.location!.startsWith(`${REDIRECT}#`), 'in the fragment');
    const params = back.redirectParams();
    const accessToken = params.get('access_token')!;
    const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
    const { payload } = await jwtVerify(params.get('id_token')!, jwks, { issuer: 'http://gatehouse.test', audience: client.clientId });
    assert.equal(payload.sub, user.zuid);
    assert.equal(payload.nonce, 'n-implicit');
    assert.equal(payload.at_hash, atHash(accessToken));
    assert.equal(params.get('refresh_token'), null);

    const plain = await agent.get(query({ response_type: 'token', nonce: 'n' }));
    assert.equal(plain.redirectParams().get('id_token'), null, 'response_type=token alone brings no id_token');
    const noNonce = await agent.get(query({}));
    assert.equal(noNonce.redirectParams().get('error'), 'invalid_request');
    assert.match(noNonce.location!, /#/, 'the error goes in the fragment');
    const server = await h.client(user, 'server');
    const notJs = await agent.get(query({ client_id: server.clientId, nonce: 'n' }));
    assert.equal(notJs.redirectParams().get('error'), 'unauthorized_client');
    const discovery = (await h.request('/.well-known/openid-configuration')).body!;
    assert.deepEqual(discovery.response_types_supported, ['code', 'token', 'id_token token'], 'advertised exactly as served');
  });

  test('email alone (Zoho style) is enough for an id_token; CRM scopes alone give none', async () => {
    const h = get();
    const emailOnly = await signInAndConsent(h, 'email');
    assert.ok(emailOnly.tokens.id_token);
    const crm = await signInAndConsent(h, 'ZohoCRM.modules.ALL');
    assert.equal(crm.tokens.id_token, undefined);
  });

  test('userinfo releases the claims of the granted scopes, by GET or POST, and needs an identity scope', async () => {
    const h = get();
    const { user, tokens } = await signInAndConsent(h, 'openid,email');
    for (const method of ['GET', 'POST']) {
      const info = await h.request('/oauth/v2/userinfo', { method, headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(info.status, 200, method);
      assert.deepEqual(info.body, { sub: user.zuid, email: user.email, email_verified: false });
    }
    const crm = await signInAndConsent(h, 'ZohoCRM.modules.ALL');
    const refused = await h.request('/oauth/v2/userinfo', { headers: { authorization: `Bearer ${crm.tokens.access_token}` } });
    assert.equal(refused.status, 403);
  });

  test('discovery and JWKS describe what is served; a rotated key signs next while the old one still verifies', async () => {
    const h = get();
    const discovery = (await h.request('/.well-known/openid-configuration')).body!;
    assert.equal(discovery.issuer, 'http://gatehouse.test');
    assert.equal(discovery.jwks_uri, 'http://gatehouse.test/oauth/v2/keys');
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA']);
    assert.deepEqual(discovery.userinfo_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA']);
    assert.deepEqual(discovery.prompt_values_supported, ['none', 'login', 'consent', 'select_account']);
    assert.deepEqual(discovery.acr_values_supported, ['urn:gatehouse:loa:1', 'urn:gatehouse:loa:2']);
    assert.equal(discovery.claims_parameter_supported, true);
    for (const claim of ['auth_time', 'acr', 'amr', 'email']) assert.ok(discovery.claims_supported.includes(claim), claim);
    assert.equal(discovery.ui_locales_supported, undefined, 'the pages are in English only');
    const before = await signInAndConsent(h, 'openid');
    const oldKid = decodeProtectedHeader(before.tokens.id_token).kid;
    const { kid: newKid, signsFrom } = await h.gatehouse.signingKeys.rotate();
    const keysResponse = await h.request('/oauth/v2/keys');
    assert.equal(keysResponse.headers.get('cache-control'), 'public, max-age=300');
    const keys = keysResponse.body!.keys as Array<{ kid: string; d?: string }>;
    assert.deepEqual(new Set(keys.map((k) => k.kid)), new Set([oldKid, newKid]), 'published at once');
    const meanwhile = await signInAndConsent(h, 'openid');
    assert.equal(decodeProtectedHeader(meanwhile.tokens.id_token).kid, oldKid, 'the old key signs until its time');
    h.clock.advance((signsFrom - h.clock.now()) / 1000);
    const after = await signInAndConsent(h, 'openid');
    assert.equal(decodeProtectedHeader(after.tokens.id_token).kid, newKid);
    assert.ok(
      keys.every((k) => k.d === undefined),
      'no private parts in the JWKS',
    );
    const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
    await jwtVerify(before.tokens.id_token, jwks);
    await jwtVerify(after.tokens.id_token, jwks);
  });
});
