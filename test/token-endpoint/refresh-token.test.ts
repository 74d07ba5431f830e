import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';
import { tokenWithoutIssueTime } from '../support/older-tokens.js';

async function selfClientWithTokens(h: Harness, scope?: string) {
  const client = await h.client(await h.user(), 'self');
  const tokens = await h.exchange(client, await h.selfClientCode(client.clientId, scope));
  return { client, tokens };
}

describeEachStore(
  'refresh_token grant',
  (get) => {
    test('gives a new access token with the same scopes and no new refresh token (Zoho does not rotate)', async () => {
      const h = get();
      const { client, tokens } = await selfClientWithTokens(h);
      const res = await h.refresh(client, tokens.refresh_token!);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body!).sort(), ['access_token', 'api_domain', 'expires_in', 'scope', 'token_type']);
      assert.equal(res.body!.scope, tokens.scope);
      assert.notEqual(res.body!.access_token, tokens.access_token);
      assert.ok(await h.accessTokenWorks(res.body!.access_token));
      assert.ok(await h.accessTokenWorks(tokens.access_token), 'earlier access tokens stay valid');
    });

    test('refresh tokens minted before tokens carried their issue time still refresh and revoke', async () => {
      const h = get();
      const { client, tokens } = await selfClientWithTokens(h);
      const current = await h.storage.tokens.findRefreshToken(h.gatehouse.hasher.storageKey(tokens.refresh_token!));
      assert.ok(current, 'a new refresh token is stored under its time-prefixed key');
      // Random leading digits nearly always read as an impossible issue time; about once in ten thousand as a possible one.
      const now = Date.now().toString(16).padStart(12, '0');
      for (const leading of ['f', now]) {
        const older = tokenWithoutIssueTime(leading);
        await h.storage.tokens.createRefreshToken({ ...current, id: h.gatehouse.hasher.hash(older) });
        const refreshed = await h.refresh(client, older);
        assert.equal(refreshed.status, 200, leading);
        assert.ok(await h.accessTokenWorks(refreshed.body!.access_token as string));
        assert.equal((await h.post('/oauth/v2/token/revoke', { token: older })).status, 200);
        assert.equal((await h.refresh(client, older)).status, 400, `${leading}: revoked`);
      }
    });

    test('scope may narrow the new token but never widen it', async () => {
      const h = get();
      const { client, tokens } = await selfClientWithTokens(h, 'ZohoCRM.modules.ALL');
      const narrow = await h.post('/oauth/v2/token', {
        grant_type: 'refresh_token',
        client_id: client.clientId,
        client_secret: client.clientSecret!,
        refresh_token: tokens.refresh_token!,
        scope: 'ZohoCRM.modules.leads.READ',
      });
      assert.equal(narrow.body!.scope, 'ZohoCRM.modules.leads.READ');
      const wide = await h.post('/oauth/v2/token', {
        grant_type: 'refresh_token',
        client_id: client.clientId,
        client_secret: client.clientSecret!,
        refresh_token: tokens.refresh_token!,
        scope: 'ZohoCRM.modules.ALL,AaaServer.profile.READ',
      });
      assert.equal(wide.status, 400);
      assert.equal(wide.body!.error, 'invalid_scope');
    });

    test('a refresh token works only for the client it was issued to', async () => {
      const h = get();
      const { tokens } = await selfClientWithTokens(h);
      const other = await h.client(await h.user(), 'self');
      const res = await h.refresh(other, tokens.refresh_token!);
      assert.equal(res.status, 400);
      assert.equal(res.body!.error, 'invalid_grant');
    });

    test('the 21st refresh token of a user and client replaces the oldest, with its access tokens', async () => {
      const h = get();
      const client = await h.client(await h.user(), 'self');
      const issued = [];
      for (let i = 0; i < 21; i++) issued.push(await h.exchange(client, await h.selfClientCode(client.clientId)));
      assert.equal((await h.refresh(client, issued[0]!.refresh_token!)).body!.error, 'invalid_grant', 'the oldest is gone');
      assert.equal(await h.accessTokenWorks(issued[0]!.access_token), false, 'and its access token with it');
      for (const t of issued.slice(1)) assert.equal((await h.refresh(client, t.refresh_token!)).status, 200);
      assert.ok(await h.accessTokenWorks(issued[1]!.access_token));
    });

    test('the limit counts per client: another client of the same user keeps its tokens', async () => {
      const h = get();
      const user = await h.user();
      const server = await h.client(user, 'server');
      const first = await h.exchange(server, await h.webCode(server.clientId, user), { redirect_uri: server.redirectUris[0]! });
      const self = await h.client(user, 'self');
      for (let i = 0; i < 21; i++) await h.exchange(self, await h.selfClientCode(self.clientId));
      assert.equal((await h.refresh(server, first.refresh_token!)).status, 200);
    });

    test('at most 15 live access tokens per refresh token: the 16th invalidates the oldest', async () => {
      const h = get();
      const { client, tokens } = await selfClientWithTokens(h);
      const minted = [tokens.access_token];
      for (let i = 0; i < 15; i++) {
        const res = await h.refresh(client, tokens.refresh_token!);
        assert.equal(res.status, 200);
        minted.push(res.body!.access_token);
      }
      assert.equal(await h.accessTokenWorks(minted[0]!), false);
      for (const t of minted.slice(1)) assert.ok(await h.accessTokenWorks(t));
    });
  },
  { limits: { codeRate: null, refreshRate: null } },
);

describeEachStore(
  'refresh rate limit',
  (get) => {
    const refreshN = async (h: Harness, client: RegisteredTestClient, token: string, n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(await h.refresh(client, token));
      return out;
    };

    test('the 11th access-token request in 10 minutes is throttled until the window ends', async () => {
      const h = get();
      const { client, tokens } = await selfClientWithTokens(h);
      const results = await refreshN(h, client, tokens.refresh_token!, 11);
      assert.ok(results.slice(0, 10).every((r) => r.status === 200));
      const throttled = results[10]!;
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body!.error, 'access_denied');
      assert.ok(Number(throttled.headers.get('retry-after')) > 0);
      h.clock.advance(600);
      assert.equal((await h.refresh(client, tokens.refresh_token!)).status, 200);
    });

    test('the window counts per refresh token', async () => {
      const h = get();
      const { client, tokens } = await selfClientWithTokens(h);
      await refreshN(h, client, tokens.refresh_token!, 11);
      const second = await h.exchange(client, await h.selfClientCode(client.clientId));
      assert.equal((await h.refresh(client, second.refresh_token!)).status, 200);
    });
  },
  { limits: { codeRate: null } },
);
