import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { findClient, updateClient } from '../../src/core/clients/register-client.js';
import { describeEachStore } from '../support/each-store.js';
import { DpopKey, dpopTokenRequest as dpopPost, selfClientForm, TOKEN_URL } from '../support/dpop-key.js';
import type { Harness, JsonResponse, RegisteredTestClient } from '../support/harness.js';

/** A public client's PKCE code, and the form that exchanges it. */
async function publicClientCode(h: Harness): Promise<{ client: RegisteredTestClient; form: Record<string, string> }> {
  const client = await h.client(await h.user(), 'client');
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const code = await h.webCode(client.clientId, await h.user(), { codeChallenge: challenge, codeChallengeMethod: 'S256' });
  const form = {
    grant_type: 'authorization_code',
    client_id: client.clientId,
    code,
    redirect_uri: client.redirectUris[0]!,
    code_verifier: verifier,
  };
  return { client, form };
}

/** The form sent with a proof that has no nonce: the server's `use_dpop_nonce` answer. */
async function withoutNonce(h: Harness, key: DpopKey, form: Record<string, string>): Promise<JsonResponse> {
  return h.post('/oauth/v2/token', form, { headers: { dpop: await key.proof({ htm: 'POST', htu: TOKEN_URL }, h.clock.now()) } });
}

async function introspect(h: Harness, token: string): Promise<Record<string, any>> {
  const rs = await h.client(await h.user(), 'server');
  return (await h.post('/oauth/v2/introspect', { client_id: rs.clientId, client_secret: rs.clientSecret!, token })).body!;
}

describeEachStore('DPoP at the token endpoint (RFC 9449 §5)', (get) => {
  test('code + PKCE, public client: nonce first, then a DPoP token; the refresh token is bound to the key', async () => {
    const h = get();
    const key = await DpopKey.generate();
    const { client, form } = await publicClientCode(h);

    const noNonce = await withoutNonce(h, key, form);
    assert.deepEqual([noNonce.status, noNonce.body!.error], [400, 'use_dpop_nonce']);
    const nonce = noNonce.headers.get('dpop-nonce');
    assert.ok(nonce && nonce.length > 20, 'the answer carries the nonce to use');

    const tokens = await dpopPost(h, key, form, nonce);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body!.token_type, 'DPoP');
    assert.ok(tokens.headers.get('dpop-nonce'), 'a successful DPoP answer carries the next nonce');
    const jkt = await calculateJwkThumbprint(key.publicJwk, 'sha256');
    const access = await introspect(h, tokens.body!.access_token);
    assert.deepEqual([access.active, access.token_type, access.cnf], [true, 'DPoP', { jkt }]);
    assert.deepEqual((await introspect(h, tokens.body!.refresh_token)).cnf, { jkt }, 'a public client’s refresh token is bound');

    const refresh = { grant_type: 'refresh_token', client_id: client.clientId, refresh_token: tokens.body!.refresh_token };
    const bare = await h.post('/oauth/v2/token', refresh);
    assert.deepEqual([bare.status, bare.body!.error], [400, 'invalid_grant']);
    const otherKey = await dpopPost(h, await DpopKey.generate(), refresh, nonce);
    assert.deepEqual([otherKey.status, otherKey.body!.error], [400, 'invalid_grant']);
    const renewed = await dpopPost(h, key, refresh, nonce);
    assert.deepEqual([renewed.status, renewed.body!.token_type], [200, 'DPoP']);
    assert.deepEqual((await introspect(h, renewed.body!.access_token)).cnf, { jkt });
  });

  test('a confidential client: its refresh token stays unbound, each access token is bound to the proof presented', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'server');
    const key = await DpopKey.generate();
    const code = await h.webCode(client.clientId, await h.user());
    const form = {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      code,
      redirect_uri: client.redirectUris[0]!,
    };
    const tokens = await dpopPost(h, key, form);
    assert.equal(tokens.body!.token_type, 'DPoP');
    assert.equal((await introspect(h, tokens.body!.refresh_token)).cnf, undefined);

    const plain = await h.refresh(client, tokens.body!.refresh_token);
    assert.deepEqual([plain.status, plain.body!.token_type], [200, 'Bearer']);
    assert.equal((await introspect(h, plain.body!.access_token)).token_type, 'Bearer');
    const other = await DpopKey.generate();
    const rebound = await dpopPost(h, other, {
      grant_type: 'refresh_token',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      refresh_token: tokens.body!.refresh_token,
    });
    assert.equal(rebound.body!.token_type, 'DPoP');
    assert.deepEqual((await introspect(h, rebound.body!.access_token)).cnf, {
      jkt: await calculateJwkThumbprint(other.publicJwk, 'sha256'),
    });
  });

  test('client_credentials: bound with a proof, a bearer token without', async () => {
    const h = get();
    const { client, form } = await selfClientForm(h);
    const key = await DpopKey.generate();
    const bound = await dpopPost(h, key, form);
    assert.deepEqual([bound.status, bound.body!.token_type], [200, 'DPoP']);
    assert.equal((await introspect(h, bound.body!.access_token)).cnf.jkt, await calculateJwkThumbprint(key.publicJwk, 'sha256'));
    assert.equal((await h.clientCredentials(client)).token_type, 'Bearer');
  });

  test('bad proofs are invalid_dpop_proof and change nothing: wrong htu (the Host header), htm, replay, two headers', async () => {
    const h = get();
    const key = await DpopKey.generate();
    const { form } = await publicClientCode(h);
    const nonce = (await withoutNonce(h, key, form)).headers.get('dpop-nonce')!;
    const withProof = async (proof: string) => h.post('/oauth/v2/token', form, { headers: { dpop: proof } });
    const now = h.clock.now();
    const proofs = [
      await key.proof({ htm: 'POST', htu: `${h.baseUrl}/oauth/v2/token`, nonce }, now),
      await key.proof({ htm: 'GET', htu: TOKEN_URL, nonce }, now),
      await key.proof({ htm: 'POST', htu: TOKEN_URL, nonce, iat: Math.floor(now / 1000) - 3600 }, now),
      'not.a.jwt',
    ];
    for (const proof of proofs) {
      const res = await withProof(proof);
      assert.deepEqual([res.status, res.body!.error], [400, 'invalid_dpop_proof'], proof);
    }
    const twice = await postWithTwoProofs(h, form, await key.proof({ htm: 'POST', htu: TOKEN_URL, nonce }, now));
    assert.deepEqual([twice.status, twice.body.error], [400, 'invalid_dpop_proof']);

    const good = await key.proof({ htm: 'POST', htu: TOKEN_URL, nonce }, now);
    assert.equal((await withProof(good)).body!.token_type, 'DPoP', 'the code survived every refusal');
    const replay = await withProof(good);
    assert.equal(replay.body!.error, 'invalid_dpop_proof', 'a used proof is refused (before the used code is noticed)');
  });

  test('a client that requires DPoP (dpop_bound_access_tokens) gets no token without a proof', async () => {
    const h = get();
    const { client, form } = await selfClientForm(h);
    const { storage, hasher, now } = h.gatehouse;
    await updateClient(
      await findClient(client.clientId, storage.clients),
      { dpopBoundAccessTokens: true },
      { users: storage.users, clients: storage.clients, hasher, now },
    );
    const bare = await h.post('/oauth/v2/token', form);
    assert.deepEqual([bare.status, bare.body!.error], [400, 'invalid_request']);
    assert.match(bare.body!.error_description, /DPoP/);
    assert.equal((await dpopPost(h, await DpopKey.generate(), form)).body!.token_type, 'DPoP');
  });

  test('discovery names the proof algorithms in both documents', async () => {
    const h = get();
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      assert.deepEqual((await h.request(path)).body!.dpop_signing_alg_values_supported, ['ES256', 'EdDSA', 'RS256', 'PS256']);
    }
  });
});

describeEachStore(
  'DPoP with nonces off, Zoho error style',
  (get) => {
    test('a proof without a nonce is enough, and DPoP errors keep their RFC 9449 status in Zoho style', async () => {
      const h = get();
      const { form } = await selfClientForm(h);
      const key = await DpopKey.generate();
      const res = await h.post('/oauth/v2/token', form, {
        headers: { dpop: await key.proof({ htm: 'POST', htu: TOKEN_URL }, h.clock.now()) },
      });
      assert.deepEqual([res.status, res.body!.token_type, res.headers.get('dpop-nonce')], [200, 'DPoP', null]);
      const bad = await h.post('/oauth/v2/token', form, {
        headers: { dpop: await key.proof({ htm: 'PUT', htu: TOKEN_URL }, h.clock.now()) },
      });
      assert.deepEqual([bad.status, bad.body!.error], [400, 'invalid_dpop_proof']);
    });
  },
  { errorStyle: 'zoho', dpopNonce: false },
);

/** Two `DPoP` header lines (fetch would fold them into one). */
function postWithTwoProofs(
  h: Harness,
  form: Record<string, string>,
  proof: string,
): Promise<{ status: number; body: Record<string, any> }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${h.baseUrl}/oauth/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), dpop: [proof, proof] },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, any> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
