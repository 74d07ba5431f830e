import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';

async function tokensWithTwoAccessTokens(h: Harness) {
  const client = await h.client(await h.user(), 'self');
  const tokens = await h.exchange(client, await h.selfClientCode(client.clientId));
  const second = (await h.refresh(client, tokens.refresh_token!)).body!.access_token as string;
  return { client, tokens, second };
}

describeEachStore('revocation', (get) => {
  test('revoking a refresh token (token in the query, no client auth, as Zoho shows) revokes every access token from it', async () => {
    const h = get();
    const { client, tokens, second } = await tokensWithTwoAccessTokens(h);
    const res = await h.request(`/oauth/v2/token/revoke?token=${tokens.refresh_token}`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'success' });
    assert.equal(await h.accessTokenWorks(tokens.access_token), false);
    assert.equal(await h.accessTokenWorks(second), false);
    assert.equal((await h.refresh(client, tokens.refresh_token!)).body!.error, 'invalid_grant');
  });

  test('revoking an access token (token in the body) revokes only it', async () => {
    const h = get();
    const { client, tokens, second } = await tokensWithTwoAccessTokens(h);
    assert.equal((await h.post('/oauth/v2/token/revoke', { token: tokens.access_token })).status, 200);
    assert.equal(await h.accessTokenWorks(tokens.access_token), false);
    assert.ok(await h.accessTokenWorks(second));
    assert.equal((await h.refresh(client, tokens.refresh_token!)).status, 200);
  });

  test('the newer /oauth/v2/revoke/token takes Basic credentials and token_type', async () => {
    const h = get();
    const { client, tokens, second } = await tokensWithTwoAccessTokens(h);
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    const res = await h.request('/oauth/v2/revoke/token', {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ token: tokens.refresh_token!, token_type: 'refresh_token' }),
    });
    assert.equal(res.status, 200);
    assert.equal(await h.accessTokenWorks(second), false);
  });

  test('a wrong hint does not hide the token (RFC 7009 §2.1)', async () => {
    const h = get();
    const { tokens } = await tokensWithTwoAccessTokens(h);
    assert.equal((await h.post('/oauth/v2/token/revoke', { token: tokens.access_token, token_type_hint: 'refresh_token' })).status, 200);
    assert.equal(await h.accessTokenWorks(tokens.access_token), false);
  });

  test("an authenticated client cannot revoke another client's token", async () => {
    const h = get();
    const { tokens } = await tokensWithTwoAccessTokens(h);
    const other = await h.client(await h.user(), 'self');
    const res = await h.post('/oauth/v2/token/revoke', {
      token: tokens.access_token,
      client_id: other.clientId,
      client_secret: other.clientSecret!,
    });
    assert.equal(res.status, 200, 'RFC 7009: answered like an unknown token');
    assert.ok(await h.accessTokenWorks(tokens.access_token));
  });

  test('unknown tokens get 200 (RFC 7009 §2.2); a missing token, an unknown hint or a wrong secret are errors', async () => {
    const h = get();
    const { client } = await tokensWithTwoAccessTokens(h);
    assert.equal((await h.post('/oauth/v2/token/revoke', { token: 'no-such-token' })).status, 200);
    const missing = await h.post('/oauth/v2/token/revoke', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body!.error, 'invalid_request');
    assert.equal(
      (await h.post('/oauth/v2/token/revoke', { token: 'x', token_type_hint: 'id_token' })).body!.error,
      'unsupported_token_type',
    );
    const wrongSecret = await h.post('/oauth/v2/token/revoke', { token: 'x', client_id: client.clientId, client_secret: 'f'.repeat(42) });
    assert.equal(wrongSecret.status, 401);
  });
});
