import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DpopVerifier, introspectionVerifier, type TokenVerifier } from '@gatehouse/resource-server';
import { storageVerifier } from '../../src/resources/storage-verifier.js';
import { boundToken, DpopKey } from '../support/dpop-key.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';
import { API_FACTORIES, type RunningApi } from './apis.js';

const SCOPES = ['ZohoCRM.modules.leads.READ'];

async function tokenWith(h: Harness, scope: string): Promise<string> {
  const client = await h.client(await h.user(), 'self');
  return (await h.exchange(client, await h.selfClientCode(client.clientId, scope))).access_token;
}

async function introspection(h: Harness, extra: { cacheSeconds?: number; now?: () => number } = {}): Promise<TokenVerifier> {
  const rs = await h.client(await h.user(), 'server');
  return introspectionVerifier({
    introspectionUrl: `${h.baseUrl}/oauth/v2/introspect`,
    clientId: rs.clientId,
    clientSecret: rs.clientSecret!,
    ...extra,
  });
}

async function call(api: RunningApi, authorization?: string) {
  const response = await fetch(`${api.url}/leads`, authorization ? { headers: { authorization } } : {});
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describeEachStore(
  'resource-server adapters',
  (get) => {
    for (const [framework, start] of Object.entries(API_FACTORIES)) {
      for (const mode of ['storage', 'introspection'] as const) {
        test(`${framework} with ${mode}: accepts a covering token, refuses the rest in Zoho's envelope`, async () => {
          const h = get();
          const verify = mode === 'storage' ? storageVerifier(h.gatehouse) : await introspection(h);
          const api = await start({ verify, scopes: SCOPES, realm: 'crm' });
          try {
            const all = await tokenWith(h, 'ZohoCRM.modules.ALL');
            const ok = await call(api, `Zoho-oauthtoken ${all}`);
            assert.equal(ok.status, 200);
            assert.match(String(ok.body.subject), /^[0-9]+$/);
            assert.equal((await call(api, `Bearer ${all}`)).status, 200);

            const none = await call(api);
            assert.deepEqual([none.status, none.body.code], [401, 'AUTHENTICATION_FAILURE']);
            assert.match(none.challenge!, /^Bearer realm="crm"/);
            const bad = await call(api, `Bearer 1000.${'0'.repeat(32)}.${'0'.repeat(32)}`);
            assert.deepEqual([bad.status, bad.body.code], [401, 'INVALID_TOKEN']);
            assert.match(bad.challenge!, /error="invalid_token"/);
            const narrow = await call(api, `Bearer ${await tokenWith(h, 'ZohoCRM.modules.contacts.READ')}`);
            assert.deepEqual([narrow.status, narrow.body.code], [401, 'OAUTH_SCOPE_MISMATCH']);
            assert.match(narrow.challenge!, /error="insufficient_scope"/);
          } finally {
            await api.close();
          }
        });
      }
    }

    for (const [framework, start] of Object.entries(API_FACTORIES)) {
      test(`${framework} with introspection and dpop: a bound token with a proof for this request, never as Bearer`, async () => {
        const h = get();
        const origin = 'https://api.example.com';
        const api = await start({ verify: await introspection(h), scopes: SCOPES, dpop: { origin, proofs: new DpopVerifier() } });
        try {
          const key = await DpopKey.generate();
          const token = await boundToken(h, key);
          const proof = (by = key) => by.proof({ htm: 'GET', htu: `${origin}/leads`, accessToken: token });
          const ok = await fetch(`${api.url}/leads`, { headers: { authorization: `DPoP ${token}`, dpop: await proof() } });
          assert.equal(ok.status, 200);
          const asBearer = await call(api, `Bearer ${token}`);
          assert.deepEqual([asBearer.status, asBearer.body.code], [401, 'INVALID_TOKEN']);
          assert.match(asBearer.challenge!, /DPoP realm="api", algs="ES256 EdDSA RS256 PS256"$/);
          const otherKey = await fetch(`${api.url}/leads`, {
            headers: { authorization: `DPoP ${token}`, dpop: await proof(await DpopKey.generate()) },
          });
          assert.equal(otherKey.status, 401);
          assert.match(otherKey.headers.get('www-authenticate')!, /DPoP realm="api", error="invalid_dpop_proof"/);
        } finally {
          await api.close();
        }
      });
    }

    let api: RunningApi | undefined;
    after(() => api?.close());

    test('sharing storage, a revoked token is refused on the very next request', async () => {
      const h = get();
      api = await API_FACTORIES['node:http']!({ verify: storageVerifier(h.gatehouse), scopes: SCOPES });
      const token = await tokenWith(h, 'ZohoCRM.modules.ALL');
      assert.equal((await call(api, `Bearer ${token}`)).status, 200);
      await h.post('/oauth/v2/token/revoke', { token });
      assert.equal((await call(api, `Bearer ${token}`)).status, 401);
      await api.close();
      api = undefined;
    });

    test('with introspection, a revoked token is refused once the cache bound (30 s by default) has passed, not later', async () => {
      const h = get();
      let now = Date.now();
      api = await API_FACTORIES['node:http']!({ verify: await introspection(h, { now: () => now }), scopes: SCOPES });
      const token = await tokenWith(h, 'ZohoCRM.modules.ALL');
      assert.equal((await call(api, `Bearer ${token}`)).status, 200);
      await h.post('/oauth/v2/token/revoke', { token });
      now += 29_000;
      assert.equal((await call(api, `Bearer ${token}`)).status, 200, 'still cached within the bound');
      now += 1_000;
      assert.equal((await call(api, `Bearer ${token}`)).status, 401, 'refused as soon as the bound has passed');
    });
  },
  { limits: { codeRate: null } },
);
