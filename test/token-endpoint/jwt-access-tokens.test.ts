import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { findClient, updateClient } from '../../src/core/clients/register-client.js';
import { ACR_PASSWORD } from '../../src/core/oidc/acr.js';
import { CLI_CONTEXT } from '../../src/core/audit/audit-log.js';
import { createOrganisation } from '../../src/core/orgs/administer-organisations.js';
import { describeEachStore } from '../support/each-store.js';
import { boundToken, DpopKey, dpopTokenRequest } from '../support/dpop-key.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

/** The harness's issuer, and so its api_domain: the default audience of a JWT access token. */
const ISSUER = 'http://gatehouse.test';
/** A resource server of the deployment's own (GATEHOUSE_RESOURCES). */
const OTHER_API = 'https://reports.example.com/api';
const RECORD = '/crm/v8/Leads/4000000000001';

async function useJwt(h: Harness, client: RegisteredTestClient): Promise<void> {
  const { storage, hasher, now } = h.gatehouse;
  await updateClient(
    await findClient(client.clientId, storage.clients),
    { accessTokenFormat: 'jwt' },
    { users: storage.users, clients: storage.clients, hasher, now },
  );
}

async function jwtClient(h: Harness, type: 'server' | 'self'): Promise<RegisteredTestClient> {
  const client = await h.client(await h.user(), type);
  await useJwt(h, client);
  return client;
}

/** Verifies a JWT access token against the server's published keys, as a resource server would. */
async function verified(h: Harness, token: string, audience = ISSUER) {
  const jwks = (await h.request('/oauth/v2/keys')).body as JSONWebKeySet;
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER, audience, typ: 'at+jwt', currentDate: new Date(h.clock.now()) });
}

async function introspect(h: Harness, token: string): Promise<Record<string, any>> {
  const rs = await h.client(await h.user(), 'server');
  return (await h.post('/oauth/v2/introspect', { client_id: rs.clientId, client_secret: rs.clientSecret!, token })).body!;
}

const crm = (h: Harness, token: string) => h.request(RECORD, { headers: { authorization: `Zoho-oauthtoken ${token}` } });

describeEachStore(
  'JWT access tokens (RFC 9068) and resource indicators (RFC 8707)',
  (get) => {
    test('a JWT client gets an at+jwt token signed with the published key, with the RFC 9068 claims', async () => {
      const h = get();
      const client = await jwtClient(h, 'server');
      const user = await h.user();
      const tokens = await h.exchange(client, await h.webCode(client.clientId, user), { redirect_uri: client.redirectUris[0]! });
      assert.equal(tokens.token_type, 'Bearer');
      assert.equal(tokens.expires_in, 3600);
      assert.match(tokens.refresh_token!, /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/, 'refresh tokens stay opaque');
      const { payload, protectedHeader } = await verified(h, tokens.access_token);
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.ok(protectedHeader.kid);
      assert.equal(payload.sub, user.zuid);
      assert.equal(payload.client_id, client.clientId);
      assert.equal(payload.aud, ISSUER, 'no resource: the default audience, the api_domain');
      assert.equal(payload.scope, 'ZohoCRM.modules.ALL AaaServer.profile.READ');
      assert.equal(payload.exp! - payload.iat!, 3600);
      assert.equal(typeof payload.jti, 'string');
      assert.deepEqual([payload.amr, payload.acr, payload.auth_time], [['pwd'], ACR_PASSWORD, payload.iat]);
      // Works at the sample API through the store, and introspects like an opaque token.
      assert.equal((await crm(h, tokens.access_token)).status, 204);
      const answer = await introspect(h, tokens.access_token);
      assert.deepEqual([answer.active, answer.client_id, answer.sub, answer.aud], [true, client.clientId, user.zuid, undefined]);
    });

    test('revoked, a JWT is inactive at introspection and refused by the store verifier, though its signature still holds', async () => {
      const h = get();
      const client = await jwtClient(h, 'server');
      const tokens = await h.exchange(client, await h.webCode(client.clientId, await h.user()), { redirect_uri: client.redirectUris[0]! });
      // Twice: the second answer may come from the store's memory, which revocation must clear.
      assert.equal((await crm(h, tokens.access_token)).status, 204);
      assert.equal((await crm(h, tokens.access_token)).status, 204);
      const revoked = await h.post('/oauth/v2/token/revoke', {
        client_id: client.clientId,
        client_secret: client.clientSecret!,
        token: tokens.access_token,
      });
      assert.equal(revoked.status, 200);
      assert.deepEqual(await introspect(h, tokens.access_token), { active: false });
      const refused = await crm(h, tokens.access_token);
      assert.deepEqual([refused.status, refused.body!.code], [401, 'INVALID_TOKEN']);
      await verified(h, tokens.access_token); // what an offline verifier would still accept until exp
    });

    test('a token that acts for an organisation (soid) carries its org_id claim; one that does not, none', async () => {
      const h = get();
      const owner = await h.user();
      const self = await h.client(owner, 'self');
      await useJwt(h, self);
      const org = await createOrganisation('JWT Org', owner, CLI_CONTEXT, h.gatehouse);
      const forOrg = await h.clientCredentials(self, 'ZohoCRM.org.READ', { soid: `ZohoCRM.${org.id}` });
      assert.equal((await verified(h, forOrg.access_token)).payload.org_id, org.id);
      const plain = await h.clientCredentials(self, 'ZohoCRM.org.READ');
      assert.equal((await verified(h, plain.access_token)).payload.org_id, undefined);
    });

    test('client_credentials: sub is the client (RFC 9068 §2.2); the connected-apps cascade and the per-refresh-token limit still hold', async () => {
      const h = get();
      const self = await jwtClient(h, 'self');
      const { access_token: token } = await h.clientCredentials(self);
      const { payload } = await verified(h, token);
      assert.equal(payload.sub, self.clientId);
      assert.equal(payload.client_id, self.clientId);

      const client = await jwtClient(h, 'server');
      const user = await h.user();
      const tokens = await h.exchange(client, await h.webCode(client.clientId, user), { redirect_uri: client.redirectUris[0]! });
      const refreshed = await h.refresh(client, tokens.refresh_token!);
      assert.equal(refreshed.status, 200);
      const original = (await verified(h, tokens.access_token)).payload;
      const renewed = (await verified(h, refreshed.body!.access_token)).payload;
      assert.deepEqual(
        [renewed.auth_time, renewed.amr, renewed.acr],
        [original.auth_time, original.amr, original.acr],
        'the sign-in the grant was made in',
      );
      await h.gatehouse.storage.tokens.revokeGrant({ userZuid: user.zuid }, client.clientId);
      for (const t of [tokens.access_token, refreshed.body!.access_token]) assert.equal((await crm(h, t)).status, 401);
    });

    test('a DPoP-bound JWT carries cnf.jkt and is accepted only with a proof', async () => {
      const h = get();
      const key = await DpopKey.generate();
      const self = await jwtClient(h, 'self');
      const form = {
        grant_type: 'client_credentials',
        client_id: self.clientId,
        client_secret: self.clientSecret!,
        scope: 'ZohoCRM.modules.ALL',
      };
      const res = await dpopTokenRequest(h, key, form);
      assert.equal(res.body!.token_type, 'DPoP');
      const { payload } = await verified(h, res.body!.access_token);
      assert.deepEqual(payload.cnf, { jkt: await calculateJwkThumbprint(key.publicJwk, 'sha256') });
      assert.equal((await crm(h, res.body!.access_token)).status, 401, 'a bound JWT as a bearer token is refused');
      const proof = await key.proof({ htm: 'GET', htu: ISSUER + RECORD, accessToken: res.body!.access_token }, h.clock.now());
      const withProof = await h.request(RECORD, { headers: { authorization: `DPoP ${res.body!.access_token}`, dpop: proof } });
      assert.equal(withProof.status, 204);
      assert.ok(await boundToken(h, key), 'opaque bound tokens are unchanged');
    });

    test('opaque stays the default: no JWT without the setting', async () => {
      const h = get();
      const { access_token: token } = await h.clientCredentials(await h.client(await h.user(), 'self'));
      assert.match(token, /^1000\./);
      assert.throws(() => decodeProtectedHeader(token));
    });

    test('resource on the code: remembered, narrowed at the token endpoint, kept by the refresh token; more is invalid_target', async () => {
      const h = get();
      const client = await jwtClient(h, 'server');
      const user = await h.user();
      const granted = `${ISSUER} ${OTHER_API}`;
      // RFC 8707: `resource` repeated, one target each.
      async function postWithResources(h: Harness, extra: Record<string, string>, resources: string[]) {
        const body = new URLSearchParams({
          grant_type: extra.code ? 'authorization_code' : 'refresh_token',
          client_id: client.clientId,
          client_secret: client.clientSecret!,
          ...extra,
        });
        for (const r of resources) body.append('resource', r);
        return h.request('/oauth/v2/token', { method: 'POST', body });
      }

      // Only OTHER_API asked for: restricted to it; the sample API refuses it.
      const narrowed = await postWithResources(
        h,
        { code: await h.webCode(client.clientId, user, { resources: granted }), redirect_uri: client.redirectUris[0]! },
        [OTHER_API],
      );
      assert.equal(narrowed.status, 200, JSON.stringify(narrowed.body));
      assert.equal((await verified(h, narrowed.body!.access_token, OTHER_API)).payload.aud, OTHER_API);
      assert.equal((await introspect(h, narrowed.body!.access_token)).aud, OTHER_API);
      const refused = await crm(h, narrowed.body!.access_token);
      assert.deepEqual([refused.status, refused.body!.code], [401, 'INVALID_TOKEN']);

      // The refresh token remembers both; a refresh may name either, or neither (then both), but nothing else.
      const refreshToken = narrowed.body!.refresh_token as string;
      const toCrm = await postWithResources(h, { refresh_token: refreshToken }, [`${ISSUER}/`]);
      assert.equal(toCrm.status, 200, JSON.stringify(toCrm.body));
      assert.equal((await verified(h, toCrm.body!.access_token)).payload.aud, ISSUER, 'the spelling configured');
      assert.equal((await crm(h, toCrm.body!.access_token)).status, 204);
      const both = await postWithResources(h, { refresh_token: refreshToken }, []);
      assert.deepEqual((await verified(h, both.body!.access_token)).payload.aud, [ISSUER, OTHER_API]);
      assert.equal((await crm(h, both.body!.access_token)).status, 204);

      for (const [resources, reason] of [
        [['https://unknown.example.com/'], 'unknown'],
        [['not a uri'], 'not absolute'],
        [[`${OTHER_API}#part`], 'a fragment'],
      ] as const) {
        const res = await postWithResources(h, { refresh_token: refreshToken }, [...resources]);
        assert.deepEqual([res.status, res.body!.error], [400, 'invalid_target'], reason);
      }
      // A code granted no resource: naming one at the token endpoint asks for more than was granted.
      const plain = await postWithResources(h, { code: await h.webCode(client.clientId, user), redirect_uri: client.redirectUris[0]! }, [
        OTHER_API,
      ]);
      assert.deepEqual([plain.status, plain.body!.error], [400, 'invalid_target']);
    });

    test('client_credentials with resource: any known one, audience-restricted; opaque tokens are restricted alike', async () => {
      const h = get();
      const self = await h.client(await h.user(), 'self');
      const ask = (resources: string[]) => {
        const body = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: self.clientId,
          client_secret: self.clientSecret!,
          scope: 'ZohoCRM.modules.ALL',
        });
        for (const r of resources) body.append('resource', r);
        return h.request('/oauth/v2/token', { method: 'POST', body });
      };
      const elsewhere = await ask([OTHER_API]);
      assert.equal(elsewhere.status, 200);
      assert.match(elsewhere.body!.access_token, /^1000\./);
      assert.equal((await introspect(h, elsewhere.body!.access_token)).aud, OTHER_API);
      // Twice: the second answer comes from the store's memory (the read lane), which must refuse it too.
      for (let i = 0; i < 2; i++) assert.equal((await crm(h, elsewhere.body!.access_token)).status, 401);
      const here = await ask([ISSUER]);
      for (let i = 0; i < 2; i++) assert.equal((await crm(h, here.body!.access_token)).status, 204);
      const unknown = await ask(['https://unknown.example.com/']);
      assert.deepEqual([unknown.status, unknown.body!.error], [400, 'invalid_target']);
    });

    test('resource on the authorization request is checked and remembered', async () => {
      const h = get();
      const client = await h.client(await h.user(), 'server');
      const { validateAuthorizationRequest } = await import('../../src/core/authorize/pipeline.js');
      const { authorizationCheckDeps } = await import('../../src/http/browser/authorization-deps.js');
      const { RequestParams } = await import('../../src/core/params/request-params.js');
      const params = (resources: string[]) =>
        RequestParams.from(
          [
            [
              ['client_id', client.clientId],
              ['response_type', 'code'],
              ['redirect_uri', client.redirectUris[0]!],
              ['scope', 'ZohoCRM.modules.ALL'],
              ...resources.map((r) => ['resource', r] as const),
            ],
          ],
          4096,
        );
      const deps = authorizationCheckDeps(h.gatehouse);
      const request = await validateAuthorizationRequest(params([OTHER_API, ISSUER, OTHER_API]), deps);
      assert.equal(request.resources, `${OTHER_API} ${ISSUER}`);
      assert.equal((await validateAuthorizationRequest(params([]), deps)).resources, undefined);
      await assert.rejects(validateAuthorizationRequest(params(['https://unknown.example.com/']), deps), (err: any) => {
        assert.equal(err.error.code, 'invalid_target');
        assert.equal(err.redirect.redirectUri, client.redirectUris[0]);
        return true;
      });
      // Any other parameter given twice is still refused.
      assert.throws(
        () =>
          RequestParams.from(
            [
              [
                ['scope', 'a'],
                ['scope', 'b'],
              ],
            ],
            4096,
          ),
        /more than once/,
      );
    });
  },
  { resources: [OTHER_API] },
);
