import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPair, SignJWT, type CryptoKey, type KeyObject } from 'jose';
import { guard, introspectionVerifier, jwtVerifier, ResourceError, revocationChecked } from '@gatehouse/resource-server';
import { CLI_CONTEXT } from '../../src/core/audit/audit-log.js';
import { findClient, updateClient } from '../../src/core/clients/register-client.js';
import { createOrganisation } from '../../src/core/orgs/administer-organisations.js';
import { storageVerifier } from '../../src/resources/storage-verifier.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';

/** The server's real address is its issuer ('base-url'), and so its api_domain: the JWTs' default audience. */
async function jwtToken(h: Harness, scope = 'ZohoCRM.modules.ALL'): Promise<{ token: string; clientId: string }> {
  const registered = await h.client(await h.user(), 'self');
  const { storage, hasher, now } = h.gatehouse;
  await updateClient(
    await findClient(registered.clientId, storage.clients),
    { accessTokenFormat: 'jwt' },
    { users: storage.users, clients: storage.clients, hasher, now },
  );
  return { token: (await h.clientCredentials(registered, scope)).access_token, clientId: registered.clientId };
}

/** A token signed by `key` with the claims of a good one, each of which a case may change. */
async function forged(
  key: CryptoKey | KeyObject,
  kid: string,
  h: Harness,
  change: { typ?: string; iss?: string; aud?: string; exp?: number } = {},
): Promise<string> {
  const iat = Math.floor(h.clock.now() / 1000);
  return new SignJWT({ client_id: '1000.X', scope: 'ZohoCRM.modules.ALL' })
    .setProtectedHeader({ alg: 'RS256', typ: change.typ ?? 'at+jwt', kid })
    .setIssuer(change.iss ?? h.baseUrl)
    .setAudience(change.aud ?? h.baseUrl)
    .setSubject('123')
    .setJti('j')
    .setIssuedAt(iat)
    .setExpirationTime(change.exp ?? iat + 3600)
    .sign(key);
}

describeEachStore(
  'resource-server jwtVerifier: offline RFC 9068 validation',
  (get) => {
    const verifierOf = (h: Harness, audience = h.baseUrl) =>
      jwtVerifier({ jwksUrl: `${h.baseUrl}/oauth/v2/keys`, issuer: h.baseUrl, audience, now: h.clock.now });

    test('a Gatehouse JWT access token is accepted offline, with its subject, client, scopes and expiry', async () => {
      const h = get();
      const { token, clientId } = await jwtToken(h);
      const info = await guard(`Bearer ${token}`, { verify: verifierOf(h), scopes: ['ZohoCRM.modules.leads.READ'] });
      assert.deepEqual([info.subject, info.clientId, info.scopes], [clientId, clientId, ['ZohoCRM.modules.ALL']]);
      assert.equal(info.expiresAt, Math.floor(h.clock.now() / 1000) + 3600);
    });

    test('a token for an organisation gives TokenInfo.orgId, offline and through the store', async () => {
      const h = get();
      const owner = await h.user();
      const registered = await h.client(owner, 'self');
      const { storage, hasher, now } = h.gatehouse;
      const found = await findClient(registered.clientId, storage.clients);
      await updateClient(found, { accessTokenFormat: 'jwt' }, { users: storage.users, clients: storage.clients, hasher, now });
      const org = await createOrganisation('Verifier Org', owner, CLI_CONTEXT, h.gatehouse);
      const forOrg = await h.clientCredentials(registered, 'ZohoCRM.org.READ', { soid: `ZohoCRM.${org.id}` });
      const rs = await h.client(owner, 'server');
      const introspection = introspectionVerifier({
        introspectionUrl: `${h.baseUrl}/oauth/v2/introspect`,
        clientId: rs.clientId,
        clientSecret: rs.clientSecret!,
      });
      for (const verify of [verifierOf(h), storageVerifier(h.gatehouse), introspection]) {
        const info = await guard(`Bearer ${forOrg.access_token}`, { verify });
        assert.equal(info.orgId, org.id);
      }
      const plain = await guard(`Bearer ${(await jwtToken(h)).token}`, { verify: verifierOf(h) });
      assert.equal(plain.orgId, undefined);
    });

    test('refused: another audience, typ JWT (an id_token), expired, another issuer, a key the JWKS does not list', async () => {
      const h = get();
      const { token } = await jwtToken(h);
      const refused = async (verify: ReturnType<typeof verifierOf>, presented: string, why: string) =>
        assert.rejects(
          guard(`Bearer ${presented}`, { verify }),
          (err) => err instanceof ResourceError && err.code === 'INVALID_TOKEN',
          why,
        );
      await refused(verifierOf(h, 'https://reports.example.com/api'), token, 'wrong aud');
      const { kid, privateKey } = await h.gatehouse.signingKeys.signing();
      await refused(verifierOf(h), await forged(privateKey, kid, h, { typ: 'JWT' }), 'typ JWT, signed by the real key');
      await refused(verifierOf(h), await forged(privateKey, kid, h, { iss: 'https://evil.example.com' }), 'other issuer');
      const stranger = await generateKeyPair('RS256');
      await refused(verifierOf(h), await forged(stranger.privateKey, 'unknown-kid', h), 'a key not in the JWKS');
      await refused(verifierOf(h), await forged(stranger.privateKey, kid, h), 'the right kid, the wrong key');
      h.clock.advance(3600 + 6);
      await refused(verifierOf(h), token, 'expired, beyond the 5 s tolerance');
      await refused(verifierOf(h), 'not-a-jwt', 'garbage');
    });

    test('offline verification misses a revocation until exp; revocationChecked sees it through the store', async () => {
      const h = get();
      const { token, clientId } = await jwtToken(h);
      const combined = revocationChecked(verifierOf(h), storageVerifier(h.gatehouse));
      assert.equal((await guard(`Bearer ${token}`, { verify: combined })).clientId, clientId);
      const revoked = await h.post('/oauth/v2/token/revoke', { token });
      assert.equal(revoked.status, 200);
      assert.ok(await guard(`Bearer ${token}`, { verify: verifierOf(h) }), 'the offline verifier still accepts it');
      await assert.rejects(guard(`Bearer ${token}`, { verify: combined }), (err) => err instanceof ResourceError);
      // A forged token is refused offline, without asking the store.
      const stranger = await generateKeyPair('RS256');
      await assert.rejects(guard(`Bearer ${await forged(stranger.privateKey, 'k', h)}`, { verify: combined }), ResourceError);
    });
  },
  { issuer: 'base-url' },
);
