import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { MemoryReplayCache } from '@gatehouse/resource-server';
import { verifyClientAssertion } from '../../src/core/client-auth/client-assertion.js';
import { ClientKeys } from '../../src/core/client-auth/client-keys.js';
import { HttpJwksFetcher } from '../../src/core/client-auth/http-jwks-fetcher.js';
import { JwksFetchError } from '../../src/core/client-auth/jwks-fetcher.js';
import type { Client } from '../../src/core/clients/client.js';
import { SecretSeal } from '../../src/core/secret-seal.js';
import { RedisReplayCache } from '../../src/storage/redis-replay-cache.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';
import { ASSERTION_TYPE, clientAssertion as assertion } from '../support/client-assertion.js';
import { JwksServer } from '../support/jwks-server.js';
import { REDIS_URL, unavailable } from '../support/services.js';
import { discover, insecure } from '../support/strict-client.js';

interface KeyPair {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function keyPair(alg: 'ES256' | 'RS256' | 'EdDSA', kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

async function clientCredentials(h: Harness, clientId: string, jwt: string, extra: Record<string, string> = {}) {
  return h.post('/oauth/v2/token', {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: jwt,
    scope: 'ZohoCRM.modules.ALL',
    ...extra,
  });
}

function refusedWith(res: { status: number; body: Record<string, any> | undefined }, pattern: RegExp): void {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.equal(res.body?.error, 'invalid_client');
  assert.match(res.body?.error_description, pattern);
}

describeEachStore(
  'Client authentication with JWTs (RFC 7523)',
  (get) => {
    let jwksServer: JwksServer;
    before(async () => {
      jwksServer = await JwksServer.start();
    });
    after(() => jwksServer.close());

    /** The issuer of the running server (`issuer: 'base-url'`): the audience every assertion must name. */
    const issuer = () => get().baseUrl;

    async function privateKeyClient(type: 'self' | 'server', key: KeyPair): Promise<RegisteredTestClient> {
      const h = get();
      return h.client(await h.user(), type, type === 'self' ? [] : undefined, {
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [key.publicJwk] },
      });
    }

    test('oauth4webapi PrivateKeyJwt: client_credentials (Self Client), then code + refresh (server app)', async () => {
      const h = get();
      const as = await discover(issuer(), 'oauth2');
      assert.ok(as.token_endpoint_auth_methods_supported?.includes('private_key_jwt'));
      assert.ok(as.token_endpoint_auth_signing_alg_values_supported?.includes('ES256'));

      const key = await keyPair('ES256', 'k1');
      const self = await privateKeyClient('self', key);
      const auth = oauth.PrivateKeyJwt({ key: key.privateKey, kid: 'k1' });
      const selfClient: oauth.Client = { client_id: self.clientId };
      const tokens = await oauth.processClientCredentialsResponse(
        as,
        selfClient,
        await oauth.clientCredentialsGrantRequest(as, selfClient, auth, new URLSearchParams({ scope: 'ZohoCRM.modules.ALL' }), insecure),
      );
      assert.equal(tokens.scope, 'ZohoCRM.modules.ALL');

      const rsa = await keyPair('RS256', 'r1');
      const user = await h.user();
      const server = await h.client(user, 'server', undefined, {
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [rsa.publicJwk] },
      });
      const client: oauth.Client = { client_id: server.clientId };
      const rsaAuth = oauth.PrivateKeyJwt({ key: rsa.privateKey, kid: 'r1' });
      const code = await h.webCode(server.clientId, user);
      const callback = oauth.validateAuthResponse(
        as,
        client,
        new URL(`${server.redirectUris[0]}?${new URLSearchParams({ code, iss: issuer() })}`),
        oauth.skipStateCheck,
      );
      const exchanged = await oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(as, client, rsaAuth, callback, server.redirectUris[0]!, oauth.nopkce, insecure),
      );
      assert.ok(exchanged.refresh_token);
      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, rsaAuth, exchanged.refresh_token, insecure),
      );
      assert.ok(await h.accessTokenWorks(refreshed.access_token));
    });

    test('oauth4webapi ClientSecretJwt: the secret, sealed at registration, checks the HMAC', async () => {
      const h = get();
      const as = await discover(issuer(), 'oauth2');
      const self = await h.client(await h.user(), 'self', [], { tokenEndpointAuthMethod: 'client_secret_jwt' });
      const client: oauth.Client = { client_id: self.clientId };
      const tokens = await oauth.processClientCredentialsResponse(
        as,
        client,
        await oauth.clientCredentialsGrantRequest(
          as,
          client,
          oauth.ClientSecretJwt(self.clientSecret!),
          new URLSearchParams({ scope: 'ZohoCRM.modules.ALL' }),
          insecure,
        ),
      );
      assert.equal(tokens.scope, 'ZohoCRM.modules.ALL');
      // The secret itself is refused for this client: it is registered for client_secret_jwt.
      const plain = await h.post('/oauth/v2/token', {
        grant_type: 'client_credentials',
        client_id: self.clientId,
        client_secret: self.clientSecret!,
        scope: 'ZohoCRM.modules.ALL',
      });
      refusedWith(plain, /registered for client_secret_jwt/);
      // Another secret's HMAC does not verify.
      const wrong = await assertion(self.clientId, issuer(), new TextEncoder().encode('not-the-secret'), { alg: 'HS256' });
      refusedWith(await clientCredentials(h, self.clientId, wrong), /signature does not verify/);
    });

    test('each assertion rule, one at a time', async () => {
      const h = get();
      const key = await keyPair('ES256', 'k1');
      const { clientId } = await privateKeyClient('self', key);
      const send = (jwt: string) => clientCredentials(h, clientId, jwt);
      const nowS = Math.floor(h.clock.now() / 1000);
      const sign = (options: Parameters<typeof assertion>[3] = {}, audience: unknown = issuer()) =>
        assertion(clientId, audience, key.privateKey, { kid: 'k1', nowS, ...options });

      assert.equal((await send(await sign())).status, 200);
      refusedWith(await send(await sign({}, `${issuer()}/oauth/v2/token`)), /aud must be this server's issuer identifier/);
      refusedWith(await send(await sign({}, [issuer()])), /aud must be .* as a single string/);
      refusedWith(await send(await sign({ claims: { iat: nowS - 600, exp: nowS - 120 } })), /has expired/);
      refusedWith(await send(await sign({ claims: { exp: nowS + 3600 } })), /expires too far ahead/);
      refusedWith(await send(await sign({ claims: { exp: undefined } })), /exp/);
      refusedWith(await send(await sign({ claims: { jti: undefined } })), /jti/);
      refusedWith(await send(await sign({ claims: { iss: 'someone-else' } })), /iss/);
      refusedWith(await send(await sign({ claims: { nbf: nowS + 600 } })), /nbf/);
      refusedWith(await send(await sign({ claims: { iat: nowS + 600 } })), /iat|issued in the future/);

      const replayed = await sign();
      assert.equal((await send(replayed)).status, 200);
      refusedWith(await send(replayed), /used before/);

      // Algorithms: not allow-listed (ES384), and HS256 keyed with the client's public key (the classic confusion).
      const es384 = await generateKeyPair('ES384');
      refusedWith(await send(await assertion(clientId, issuer(), es384.privateKey, { alg: 'ES384', nowS })), /must be signed with one of/);
      const publicKeyBytes = new TextEncoder().encode(JSON.stringify(key.publicJwk));
      refusedWith(await send(await assertion(clientId, issuer(), publicKeyBytes, { alg: 'HS256', nowS })), /must be signed with one of/);
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: clientId, sub: clientId, aud: issuer(), exp: nowS + 60, jti: 'x' })).toString('base64url')}.`;
      refusedWith(await send(unsigned), /must be signed with one of|not a valid signed JWT/);
      // Another key than the registered one.
      const stranger = await keyPair('ES256', 'k1');
      refusedWith(await send(await assertion(clientId, issuer(), stranger.privateKey, { kid: 'k1', nowS })), /signature does not verify/);

      // Refusals are audited without the assertion, once per client per minute.
      const mine = await h.storage.auditEvents.list({ type: 'client.assertion.refused', clientId, limit: 50 });
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.outcome, 'failure');
      assert.equal(mine[0]!.detail, 'client_assertion_invalid');
      assert.ok(!JSON.stringify(mine[0]).includes(replayed.split('.')[2]!));
    });

    test('the method lock and requests mixing methods', async () => {
      const h = get();
      const key = await keyPair('ES256', 'k1');
      const pkj = await privateKeyClient('self', key);
      const jwt = () => assertion(pkj.clientId, issuer(), key.privateKey, { kid: 'k1', nowS: Math.floor(h.clock.now() / 1000) });
      // A private_key_jwt client may not use its secret…
      refusedWith(
        await h.post('/oauth/v2/token', {
          grant_type: 'client_credentials',
          client_id: pkj.clientId,
          client_secret: pkj.clientSecret!,
          scope: 'ZohoCRM.modules.ALL',
        }),
        /registered for private_key_jwt/,
      );
      // …and a secret client may not send an assertion.
      const secretClient = await h.client(await h.user(), 'self', []);
      const forSecretClient = await assertion(secretClient.clientId, issuer(), key.privateKey, {
        kid: 'k1',
        nowS: Math.floor(h.clock.now() / 1000),
      });
      refusedWith(await clientCredentials(h, secretClient.clientId, forSecretClient), /registered for client_secret_basic/);
      // Both at once is a malformed request, whichever client.
      const mixed = await clientCredentials(h, pkj.clientId, await jwt(), { client_secret: pkj.clientSecret! });
      assert.equal(mixed.status, 400);
      assert.equal(mixed.body?.error, 'invalid_request');
      const basic = `Basic ${Buffer.from(`${pkj.clientId}:${pkj.clientSecret}`).toString('base64')}`;
      const withHeader = await h.post(
        '/oauth/v2/token',
        {
          grant_type: 'client_credentials',
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: await jwt(),
          scope: 'ZohoCRM.modules.ALL',
        },
        { headers: { authorization: basic } },
      );
      assert.equal(withHeader.status, 400);
      // client_id must name the assertion's client; left out, the assertion's sub names it.
      const other = await clientCredentials(h, secretClient.clientId, await jwt());
      refusedWith(other, /registered for client_secret_basic|iss|sub/);
      const { client_id: _dropped, ...withoutId } = {
        client_id: '',
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await jwt(),
        scope: 'ZohoCRM.modules.ALL',
      };
      assert.equal((await h.post('/oauth/v2/token', withoutId)).status, 200);
      // A wrong assertion type.
      const wrongType = await h.post('/oauth/v2/token', {
        grant_type: 'client_credentials',
        client_id: pkj.clientId,
        client_assertion_type: 'urn:example:saml',
        client_assertion: await jwt(),
      });
      refusedWith(wrongType, /client_assertion_type must be/);
    });

    test('introspection and revocation accept the assertion too', async () => {
      const h = get();
      const key = await keyPair('EdDSA', 'e1');
      const { clientId } = await privateKeyClient('self', key);
      const sign = () => assertion(clientId, issuer(), key.privateKey, { alg: 'EdDSA', kid: 'e1', nowS: Math.floor(h.clock.now() / 1000) });
      const issued = await clientCredentials(h, clientId, await sign());
      assert.equal(issued.status, 200);
      const token = issued.body!.access_token as string;
      const introspected = await h.post('/oauth/v2/introspect', {
        token,
        client_id: clientId,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await sign(),
      });
      assert.equal(introspected.status, 200);
      assert.equal(introspected.body?.active, true);
      const revoked = await h.post('/oauth/v2/revoke/token', {
        token,
        client_id: clientId,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await sign(),
      });
      assert.equal(revoked.status, 200);
      assert.equal(await h.accessTokenWorks(token), false);
    });

    test('jwks_uri: read once and cached; an unknown kid reads again, at most once per cooldown', async () => {
      const h = get();
      const first = await keyPair('ES256', 'first');
      const second = await keyPair('ES256', 'second');
      jwksServer.behaviour = 'serve';
      jwksServer.keys = [first.publicJwk];
      const uri = `${jwksServer.url}?c=${randomUUID()}`;
      const { clientId } = await h.client(await h.user(), 'self', [], { tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: uri });
      const sign = (key: KeyPair, kid: string) =>
        assertion(clientId, issuer(), key.privateKey, { kid, nowS: Math.floor(h.clock.now() / 1000) });
      const readsBefore = jwksServer.reads;
      assert.equal((await clientCredentials(h, clientId, await sign(first, 'first'))).status, 200);
      assert.equal((await clientCredentials(h, clientId, await sign(first, 'first'))).status, 200);
      assert.equal(jwksServer.reads - readsBefore, 1, 'the second request used the cached keys');

      // The client rotates: the new kid is unknown to the cache, and the last read is too recent to read again.
      jwksServer.keys = [first.publicJwk, second.publicJwk];
      refusedWith(await clientCredentials(h, clientId, await sign(second, 'second')), /No registered key/);
      assert.equal(jwksServer.reads - readsBefore, 1, 'no read inside the cooldown, whatever the kid');
      h.clock.advance(31);
      assert.equal((await clientCredentials(h, clientId, await sign(second, 'second'))).status, 200);
      assert.equal(jwksServer.reads - readsBefore, 2);
      // An unknown kid again, right after: no read.
      const third = await keyPair('ES256', 'third');
      refusedWith(await clientCredentials(h, clientId, await sign(third, 'third')), /No registered key/);
      assert.equal(jwksServer.reads - readsBefore, 2);
    });

    test('jwks_uri: a redirect, an oversize answer and non-JSON are refused, as invalid_client', async () => {
      const h = get();
      const key = await keyPair('ES256', 'k');
      jwksServer.keys = [key.publicJwk];
      for (const behaviour of ['redirect', 'oversize', 'not-json'] as const) {
        jwksServer.behaviour = behaviour;
        const uri = `${jwksServer.url}?c=${randomUUID()}`;
        const { clientId } = await h.client(await h.user(), 'self', [], { tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: uri });
        const jwt = await assertion(clientId, issuer(), key.privateKey, { kid: 'k', nowS: Math.floor(h.clock.now() / 1000) });
        refusedWith(await clientCredentials(h, clientId, jwt), /jwks_uri could not be read/);
      }
      jwksServer.behaviour = 'serve';
    });
  },
  { issuer: 'base-url', limits: { codeRate: null } },
);

describe('HttpJwksFetcher bounds', () => {
  let jwksServer: JwksServer;
  before(async () => {
    jwksServer = await JwksServer.start();
  });
  after(() => jwksServer.close());

  test('a slow jwks_uri times out; redirects, oversize answers and private keys are refused', async () => {
    const fetcher = new HttpJwksFetcher(300);
    const key = await keyPair('ES256', 'k');
    jwksServer.keys = [key.publicJwk];
    jwksServer.cacheControl = 'public, max-age=60';
    assert.deepEqual(await fetcher.fetch(jwksServer.url), { jwks: { keys: [key.publicJwk] }, maxAgeSeconds: 60 });
    for (const [behaviour, message] of [
      ['slow', /did not answer within/],
      ['redirect', /HTTP 302/],
      ['oversize', /larger than 64 KiB/],
      ['not-json', /not JSON/],
    ] as const) {
      jwksServer.behaviour = behaviour;
      await assert.rejects(fetcher.fetch(jwksServer.url), (err) => err instanceof JwksFetchError && message.test(err.message), behaviour);
    }
    jwksServer.behaviour = 'serve';
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    jwksServer.keys = [await exportJWK(privateKey)];
    await assert.rejects(fetcher.fetch(jwksServer.url), /private key material/);
  });
});

describe('Client assertion replay across two nodes sharing Redis', async () => {
  const skip = await unavailable('Redis');
  const caches: RedisReplayCache[] = [];
  after(() => Promise.all(caches.map((c) => c.close())));

  test('an assertion used at one node is refused at the other', { skip }, async () => {
    const prefix = `gatehouse:test-assertion:${Date.now()}:`;
    const [a, b] = [new RedisReplayCache(REDIS_URL, prefix), new RedisReplayCache(REDIS_URL, prefix)];
    caches.push(a, b);
    const key = await keyPair('ES256', 'k');
    const client = {
      clientId: '1000.ASSERTIONCLIENT',
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
    } as Client;
    const issuer = 'https://accounts.example.com';
    const keys = new ClientKeys({ fetch: () => Promise.reject(new Error('no jwks_uri here')) }, Date.now);
    const seal = new SecretSeal(Buffer.alloc(32), 'test');
    const node = (replay: RedisReplayCache | MemoryReplayCache) => ({ keys, clientSecretSeal: seal, replay, now: Date.now });
    const jwt = await assertion(client.clientId, issuer, key.privateKey, { kid: 'k' });
    await verifyClientAssertion(client, jwt, issuer, node(a));
    await assert.rejects(verifyClientAssertion(client, jwt, issuer, node(b)), /used before/);
    // Both at once: exactly one passes.
    const racing = await assertion(client.clientId, issuer, key.privateKey, { kid: 'k' });
    const results = await Promise.allSettled([a, b].map((replay) => verifyClientAssertion(client, racing, issuer, node(replay))));
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });
});
