import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { calculateJwkThumbprint, createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import * as client from 'openid-client';
import { resolveConfig } from '../../src/core/config/config.js';
import { issueLogoutToken } from '../../src/core/logout/logout-token.js';
import { issueIdToken } from '../../src/core/oidc/id-token.js';
import { idTokenHintSubject } from '../../src/core/oidc/id-token-hint.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../src/core/oidc/signing-algorithms.js';
import { PUBLISH_AHEAD_MS } from '../../src/core/oidc/signing-keys.js';
import { createGatehouse, type Gatehouse } from '../../src/gatehouse.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEach, describeEachStore } from '../support/each-store.js';
import { type Harness, REDIRECT } from '../support/harness.js';
import { STORE_KINDS, testUser } from '../support/stores.js';
import { openidDiscovery, signInAndConsent } from '../support/strict-client.js';

const ISSUER = 'http://gatehouse.test';
/** What each algorithm's public JWK looks like (RFC 7518 §6, RFC 8037 §2). */
const KEY_TYPES: Record<SigningAlgorithm, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

describeEach(
  'signing keys per algorithm',
  STORE_KINDS,
  (kind) => kind.open(),
  (store) => store.dispose(),
  (get) => {
    const hashKey = randomBytes(32);
    let now = Date.now();
    /** A node of a deployment: its own copy of the key list, the store and clock all nodes share. */
    const node = (): Gatehouse =>
      createGatehouse({ config: resolveConfig({ issuer: ISSUER }), storage: get().storage, hashKey, now: () => now });
    const stored = async () => (await get().storage.signingKeys.listActive()).map((k) => k.algorithm);

    test('a default install has one key, RS256, until something signs with another algorithm', async () => {
      const a = node();
      assert.equal((await a.signingKeys.signing()).alg, 'RS256', 'no argument means RS256');
      await a.signingKeys.jwks();
      assert.deepEqual(await stored(), ['RS256']);
      assert.deepEqual(
        (await a.signingKeys.list()).map((k) => [k.alg, k.state]),
        [['RS256', 'signing']],
      );
    });

    test("the first ES256 and EdDSA keys are made once between nodes, at first use, and are in every node's JWKS", async () => {
      const nodes = [node(), node(), node()];
      for (const n of nodes) await n.signingKeys.jwks(); // each node has its copy of the one-key list
      for (const alg of ['ES256', 'EdDSA'] as const) {
        const kids = await Promise.all(nodes.map(async (n) => (await n.signingKeys.signing(alg)).kid));
        assert.equal(new Set(kids).size, 1, `${alg} kids: ${kids.join(', ')}`);
      }
      assert.deepEqual((await stored()).sort(), ['ES256', 'EdDSA', 'RS256']);
      for (const n of nodes) {
        const { keys } = await n.signingKeys.jwks();
        assert.deepEqual(keys.map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'RS256']);
        for (const key of keys) {
          assert.equal(key.use, 'sig');
          assert.equal(key.kid, await calculateJwkThumbprint(key as JWK), 'kid is the RFC 7638 thumbprint');
          const { kty, crv } = KEY_TYPES[key.alg as SigningAlgorithm];
          assert.equal(key.kty, kty);
          assert.equal(key.crv, crv);
          assert.equal(key.d, undefined, 'no private part');
        }
      }
    });

    test('each algorithm signs id_tokens and logout tokens that verify against the JWKS', async () => {
      const a = node();
      for (const alg of SIGNING_ALGORITHMS) {
        const jwt = await idToken(a, alg);
        const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(await a.signingKeys.jwks()), {
          issuer: ISSUER,
          audience: 'client-1',
          algorithms: [alg],
        });
        assert.equal(protectedHeader.alg, alg);
        assert.equal(protectedHeader.kid, (await a.signingKeys.signing(alg)).kid);
        // §3.1.3.6 with the alg's own hash: SHA-256 for RS256 and ES256, SHA-512 for Ed25519 (what oauth4webapi checks).
        const hash = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
          .update('access')
          .digest();
        assert.equal(payload.at_hash, hash.subarray(0, hash.length / 2).toString('base64url'));
        // Back-Channel Logout §2.4: a logout token is signed as the client's id_tokens are.
        const logoutToken = await issueLogoutToken(
          { clientId: 'client-1', sub: '1000', sid: null, alg },
          { keys: a.signingKeys, issuer: ISSUER, now: () => now },
        );
        const logout = await jwtVerify(logoutToken, createLocalJWKSet(await a.signingKeys.jwks()), { algorithms: [alg] });
        assert.equal(logout.protectedHeader.typ, 'logout+jwt');
      }
    });

    test("rotating one algorithm publishes its key ahead in every node's JWKS and leaves the others' keys signing", async () => {
      const [a, b] = [node(), node()];
      const before = Object.fromEntries(
        await Promise.all(SIGNING_ALGORITHMS.map(async (alg) => [alg, (await b.signingKeys.signing(alg)).kid] as const)),
      );
      const rotated = await a.signingKeys.rotate({ alg: 'ES256' });
      assert.equal(rotated.alg, 'ES256');
      assert.equal(rotated.signsFrom, now + PUBLISH_AHEAD_MS);
      assert.equal((await a.signingKeys.signing('ES256')).kid, before.ES256, 'pending: the old key still signs');
      const states = await a.signingKeys.list();
      assert.deepEqual(
        states.filter((k) => k.alg === 'ES256').map((k) => [k.kid, k.state]),
        [
          [rotated.kid, 'pending'],
          [before.ES256, 'signing'],
        ],
      );
      assert.equal(states.filter((k) => k.state === 'signing').length, 3, 'one signing key per algorithm');

      const inB = async () => (await b.signingKeys.jwks()).keys.some((k) => k.kid === rotated.kid);
      assert.equal(await inB(), false, "b's copy of the list is a minute old at most");
      now += 60_000;
      assert.ok(await inB(), "in b's JWKS once its copy has expired, long before it signs");
      assert.equal((await b.signingKeys.signing('ES256')).kid, before.ES256);

      now = rotated.signsFrom;
      for (const n of [a, b]) {
        assert.equal((await n.signingKeys.signing('ES256')).kid, rotated.kid, 'every node switches at the same moment');
        assert.equal((await n.signingKeys.signing('RS256')).kid, before.RS256);
        assert.equal((await n.signingKeys.signing('EdDSA')).kid, before.EdDSA);
      }
      assert.deepEqual(
        (await a.signingKeys.list()).filter((k) => k.kid === before.ES256).map((k) => k.state),
        ['verifying'],
        'the older key stays published, verifying what it signed',
      );

      const immediate = await a.signingKeys.rotate({ alg: 'EdDSA', immediately: true });
      assert.equal((await a.signingKeys.signing('EdDSA')).kid, immediate.kid, '--now: signs at once');
    });

    test('an id_token_hint signed with ES256 or EdDSA names its user; one signed by a foreign key does not', async () => {
      const a = node();
      for (const alg of SIGNING_ALGORITHMS) {
        assert.equal(await idTokenHintSubject(await idToken(a, alg), 'client-1', { keys: a.signingKeys, issuer: ISSUER }), '1000', alg);
      }
      // Another server's keys, with the same issuer name: its ES256 id_token is no hint here.
      const elsewhere = await STORE_KINDS[0]!.open();
      try {
        const foreign = createGatehouse({ config: resolveConfig({ issuer: ISSUER }), storage: elsewhere.storage, hashKey });
        assert.equal(
          await idTokenHintSubject(await idToken(foreign, 'ES256'), 'client-1', { keys: a.signingKeys, issuer: ISSUER }),
          undefined,
        );
      } finally {
        await elsewhere.dispose();
      }
    });

    async function idToken(gatehouse: Gatehouse, alg: SigningAlgorithm): Promise<string> {
      return issueIdToken(
        {
          user: testUser({ zuid: '1000', email: 'ann@example.com', createdAt: now }),
          clientId: 'client-1',
          scopes: gatehouse.scopes.parse('openid email'),
          nonce: null,
          amr: null,
          authTime: null,
          sid: null,
          accessToken: 'access',
          alg,
        },
        { keys: gatehouse.signingKeys, issuer: ISSUER, now: () => now },
      );
    }
  },
);

describeEachStore(
  'id_tokens and userinfo signed with the algorithm each client registered',
  (get) => {
    /** The code flow for `openid email` through the browser agent, then the token request; the token response. */
    async function codeFlow(h: Harness, registered: { clientId: string; clientSecret: string | undefined }, email: string) {
      const back = await signInAndConsent(
        new BrowserAgent(h.baseUrl),
        email,
        `/oauth/v2/auth?${new URLSearchParams({
          client_id: registered.clientId,
          redirect_uri: REDIRECT,
          response_type: 'code',
          scope: 'openid email',
          nonce: 'n-1',
        })}`,
      );
      const response = await fetch(`${h.baseUrl}/oauth/v2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: back.searchParams.get('code')!,
          redirect_uri: REDIRECT,
          client_id: registered.clientId,
          client_secret: registered.clientSecret!,
        }),
      });
      assert.equal(response.status, 200);
      return (await response.json()) as { access_token: string; id_token: string };
    }

    const userinfo = (h: Harness, accessToken: string) =>
      fetch(`${h.baseUrl}/oauth/v2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });

    for (const alg of SIGNING_ALGORITHMS) {
      test(`${alg}: the id_token verifies against /oauth/v2/keys, and signed userinfo is a JWT for the client`, async () => {
        const h = get();
        const user = await h.user();
        const registered = await h.client(user, 'server', [REDIRECT], { idTokenSignedResponseAlg: alg, userinfoSignedResponseAlg: alg });
        const tokens = await codeFlow(h, registered, user.email);
        const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
        const { payload, protectedHeader } = await jwtVerify(tokens.id_token, jwks, {
          issuer: h.gatehouse.config.issuer,
          audience: registered.clientId,
          algorithms: [alg],
        });
        assert.equal(protectedHeader.typ, 'JWT');
        assert.equal(payload.sub, user.zuid);
        assert.equal(payload.nonce, 'n-1');

        for (const method of ['GET', 'POST']) {
          const response = await fetch(`${h.baseUrl}/oauth/v2/userinfo`, {
            method,
            headers: { authorization: `Bearer ${tokens.access_token}` },
          });
          assert.equal(response.status, 200);
          assert.equal(response.headers.get('content-type'), 'application/jwt');
          const signed = await jwtVerify(await response.text(), jwks, {
            issuer: h.gatehouse.config.issuer,
            audience: registered.clientId,
            algorithms: [alg],
          });
          assert.equal(signed.payload.sub, user.zuid);
          assert.equal(signed.payload.email, user.email);
          assert.equal(signed.payload.name, undefined, 'only what the scopes release');
          assert.equal(signed.protectedHeader.typ, undefined, 'never passes for an id_token');
        }
      });
    }

    test('a client that registered nothing gets RS256 id_tokens and plain JSON userinfo', async () => {
      const h = get();
      const user = await h.user();
      const registered = await h.client(user, 'server', [REDIRECT]);
      const tokens = await codeFlow(h, registered, user.email);
      assert.equal(decodeProtectedHeader(tokens.id_token).alg, 'RS256');
      const response = await userinfo(h, tokens.access_token);
      assert.match(response.headers.get('content-type')!, /^application\/json/);
      assert.deepEqual(await response.json(), { sub: user.zuid, email: user.email, email_verified: false });
    });

    test('openid-client with a client registered for ES256 validates the id_token and the signed userinfo', async () => {
      const h = get();
      const user = await h.user();
      const registered = await h.client(user, 'server', [REDIRECT], {
        idTokenSignedResponseAlg: 'ES256',
        userinfoSignedResponseAlg: 'ES256',
      });
      const config = await openidDiscovery(h.baseUrl, registered.clientId, {
        client_secret: registered.clientSecret!,
        id_token_signed_response_alg: 'ES256',
        userinfo_signed_response_alg: 'ES256',
      });
      // Signatures are checked against the JWKS too, not only trusted to the TLS channel.
      client.enableNonRepudiationChecks(config);
      const metadata = config.serverMetadata();
      assert.deepEqual(metadata.id_token_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA']);
      assert.deepEqual(metadata.userinfo_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA']);

      const checks = { expectedNonce: client.randomNonce(), expectedState: client.randomState() };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid email profile',
        state: checks.expectedState,
        nonce: checks.expectedNonce,
      });
      const back = await signInAndConsent(new BrowserAgent(h.baseUrl), user.email, url);
      const tokens = await client.authorizationCodeGrant(config, back, checks);
      assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'ES256');
      assert.equal(tokens.claims()!.sub, user.zuid);
      const info = await client.fetchUserInfo(config, tokens.access_token, user.zuid);
      assert.equal(info.email, user.email);
      assert.equal(info.family_name, user.lastName);
    });
  },
  { issuer: 'base-url', limits: { codeRate: null } },
);
