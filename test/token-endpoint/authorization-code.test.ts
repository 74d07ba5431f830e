import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';

const TOKEN_SHAPE = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;

describeEachStore('authorization_code grant', (get) => {
  test('a Self Client code gives Zoho-shaped tokens, with a refresh token and no redirect_uri', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    const res = await h.post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      code: await h.selfClientCode(client.clientId),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.body!.access_token, TOKEN_SHAPE);
    assert.match(res.body!.refresh_token, TOKEN_SHAPE);
    assert.deepEqual(
      { ...res.body, access_token: 'x', refresh_token: 'y' },
      {
        access_token: 'x',
        refresh_token: 'y',
        scope: 'ZohoCRM.modules.ALL AaaServer.profile.READ',
        api_domain: 'http://gatehouse.test',
        token_type: 'Bearer',
        expires_in: 3600,
      },
    );
    assert.ok(await h.accessTokenWorks(res.body!.access_token));
  });

  test('a web code needs the exact redirect_uri it was issued for', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'server');
    const code = await h.webCode(client.clientId, user);
    for (const wrong of [
      'https://app.example.com/callback/',
      'https://app.example.com/Callback',
      'https://app.example.com:443/callback?x=1',
    ]) {
      const res = await h.post('/oauth/v2/token', {
        grant_type: 'authorization_code',
        client_id: client.clientId,
        client_secret: client.clientSecret!,
        code,
        redirect_uri: wrong,
      });
      assert.equal(res.status, 400);
      assert.equal(res.body!.error, 'invalid_grant');
    }
    const missing = await h.post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      code,
    });
    assert.equal(missing.body!.error, 'invalid_request');
    // None of the failures used the code up.
    const tokens = await h.exchange(client, code, { redirect_uri: 'https://app.example.com/callback' });
    assert.match(tokens.access_token, TOKEN_SHAPE);
  });

  test('access_type=online gives no refresh token', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'server');
    const tokens = await h.exchange(client, await h.webCode(client.clientId, user, { offline: false }), {
      redirect_uri: client.redirectUris[0]!,
    });
    assert.equal(tokens.refresh_token, undefined);
  });

  test('a code is single use, and its replay revokes every token issued from it', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    const code = await h.selfClientCode(client.clientId);
    const tokens = await h.exchange(client, code);
    const refreshed = await h.refresh(client, tokens.refresh_token!);
    assert.equal(refreshed.status, 200);

    const replay = await h.post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      code,
    });
    assert.equal(replay.status, 400);
    assert.equal(replay.body!.error, 'invalid_grant');
    assert.equal(await h.accessTokenWorks(tokens.access_token), false);
    assert.equal(await h.accessTokenWorks(refreshed.body!.access_token), false);
    assert.equal((await h.refresh(client, tokens.refresh_token!)).body!.error, 'invalid_grant');
  });

  test('of three concurrent redemptions of one code exactly one succeeds, and the replay then revokes its tokens', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    for (let round = 0; round < 5; round++) {
      const code = await h.selfClientCode(client.clientId);
      const form = { grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret!, code };
      const results = await Promise.all([
        h.post('/oauth/v2/token', form),
        h.post('/oauth/v2/token', form),
        h.post('/oauth/v2/token', form),
      ]);
      const winners = results.filter((r) => r.status === 200);
      assert.equal(winners.length, 1, `round ${round}: ${results.map((r) => r.status)}`);
      assert.ok(results.filter((r) => r.status !== 200).every((r) => r.body!.error === 'invalid_grant'));
      assert.equal(await h.accessTokenWorks(winners[0]!.body!.access_token), false);
    }
  });

  test('a Self Client code expires after its chosen duration', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    const code = await h.selfClientCode(client.clientId, 'ZohoCRM.modules.ALL', 5);
    h.clock.advance(5 * 60 - 1);
    const early = await h.selfClientCode(client.clientId, 'ZohoCRM.modules.ALL', 5);
    h.clock.advance(1);
    const res = await h.post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      code,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body!.error, 'invalid_grant');
    assert.match(res.body!.error_description, /expired/);
    assert.ok((await h.exchange(client, early)).access_token);
  });

  test('a web code expires after 120 seconds', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'server');
    const code = await h.webCode(client.clientId, user);
    h.clock.advance(120);
    const res = await h.post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      code,
      redirect_uri: client.redirectUris[0]!,
    });
    assert.equal(res.body!.error, 'invalid_grant');
  });

  test("another client's code is refused like an unknown one and stays usable by its own client", async () => {
    const h = get();
    const user = await h.user();
    const owner = await h.client(user, 'server');
    const other = await h.client(await h.user(), 'server');
    const code = await h.webCode(owner.clientId, user);
    const stolen = await h.post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      client_id: other.clientId,
      client_secret: other.clientSecret!,
      code,
      redirect_uri: owner.redirectUris[0]!,
    });
    assert.equal(stolen.status, 400);
    assert.equal(stolen.body!.error, 'invalid_grant');
    assert.ok((await h.exchange(owner, code, { redirect_uri: owner.redirectUris[0]! })).access_token);
  });

  test('PKCE: S256 verifier checked; downgrades both ways refused', async () => {
    const h = get();
    const user = await h.user();
    const mobile = await h.client(user, 'mobile', ['com.example.app:/oauth2redirect']);
    const verifier = 'a'.repeat(20) + '-._~' + 'B'.repeat(30);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirect = { redirect_uri: 'com.example.app:/oauth2redirect' };
    const base = { grant_type: 'authorization_code', client_id: mobile.clientId, ...redirect };

    const withChallenge = await h.webCode(mobile.clientId, user, {
      redirectUri: redirect.redirect_uri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
    });
    assert.equal((await h.post('/oauth/v2/token', { ...base, code: withChallenge })).body!.error, 'invalid_grant', 'verifier missing');
    assert.equal(
      (await h.post('/oauth/v2/token', { ...base, code: withChallenge, code_verifier: verifier.replace('a', 'c') })).body!.error,
      'invalid_grant',
      'wrong verifier',
    );
    // A public mobile client (no secret) succeeds with the right verifier.
    const ok = await h.post('/oauth/v2/token', { ...base, code: withChallenge, code_verifier: verifier });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    const noChallenge = await h.webCode(mobile.clientId, user, { redirectUri: redirect.redirect_uri });
    const downgrade = await h.post('/oauth/v2/token', {
      ...base,
      client_secret: mobile.clientSecret!,
      code: noChallenge,
      code_verifier: verifier,
    });
    assert.equal(downgrade.body!.error, 'invalid_grant', 'verifier without challenge');
    const publicWithoutPkce = await h.post('/oauth/v2/token', { ...base, code: noChallenge });
    assert.equal(publicWithoutPkce.status, 401, 'a public client without PKCE cannot redeem');
    assert.equal(publicWithoutPkce.body!.error, 'invalid_client');
  });
});
