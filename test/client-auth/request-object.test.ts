import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { type Harness, PASSWORD, REDIRECT } from '../support/harness.js';
import { discover } from '../support/strict-client.js';

const SCOPE = 'ZohoCRM.modules.ALL,AaaServer.profile.READ';

/** A server-based app with an ES256 key for its request objects, and a signed-in browser of one of its users. */
async function setUp(h: Harness, options: { require?: boolean } = {}) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const user = await h.user();
  const client = await h.client(user, 'server', [REDIRECT], {
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'jar' }] },
    ...(options.require ? { requireSignedRequestObject: true } : {}),
  });
  const agent = new BrowserAgent(h.baseUrl);
  await agent.signIn(user.email, PASSWORD);
  return { privateKey, user, client, agent };
}

function requestObject(
  h: Harness,
  clientId: string,
  key: CryptoKey,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(h.clock.now() / 1000);
  return new SignJWT({
    iss: clientId,
    aud: h.baseUrl,
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state: 'inner-state',
    access_type: 'offline',
    iat: now,
    exp: now + 120,
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'jar', typ: 'oauth-authz-req+jwt', ...header })
    .sign(key);
}

const authorizeUrl = (params: Record<string, string>) => `/oauth/v2/auth?${new URLSearchParams(params)}`;

describeEachStore(
  'Signed authorization requests (RFC 9101, JAR)',
  (get) => {
    test('oauth4webapi issueRequestObject: the object alone carries the request; the code exchanges', async () => {
      const h = get();
      const as = await discover(h.baseUrl, 'oauth2');
      assert.equal(as.request_parameter_supported, true);
      assert.ok(as.request_object_signing_alg_values_supported?.includes('ES256'));
      assert.equal((as as Record<string, unknown>).require_signed_request_object, undefined, 'a per-client setting only');

      const { privateKey, client, agent } = await setUp(h);
      const oauthClient: oauth.Client = { client_id: client.clientId };
      const state = oauth.generateRandomState();
      const jwt = await oauth.issueRequestObject(
        as,
        oauthClient,
        new URLSearchParams({ response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, state, access_type: 'offline' }),
        { key: privateKey, kid: 'jar' },
      );
      const callback = oauth.validateAuthResponse(
        as,
        oauthClient,
        await agent.consentTo(authorizeUrl({ client_id: client.clientId, request: jwt })),
        state,
      );
      const tokens = await h.exchange(client, callback.get('code')!, { redirect_uri: REDIRECT });
      assert.ok(tokens.refresh_token);
      assert.ok(await h.accessTokenWorks(tokens.access_token));
    });

    test("the object's parameters win; those beside it are ignored, client_id aside", async () => {
      const h = get();
      const { privateKey, client, agent } = await setUp(h);
      const jwt = await requestObject(h, client.clientId, privateKey);
      const back = await agent.consentTo(
        authorizeUrl({
          client_id: client.clientId,
          request: jwt,
          redirect_uri: 'https://evil.example/cb',
          state: 'outer',
          scope: 'ZohoCRM.users.ALL',
        }),
      );
      assert.equal(back.origin + back.pathname, REDIRECT);
      assert.equal(back.searchParams.get('state'), 'inner-state');
      assert.ok(back.searchParams.get('code'));

      // Another client_id beside the object: the object's client must be the request's.
      const other = await h.client(await h.user(), 'server', [REDIRECT]);
      const mismatched = await agent.get(authorizeUrl({ client_id: other.clientId, request: jwt }));
      assert.equal(mismatched.status, 400);
      assert.equal(mismatched.location, undefined);
    });

    test('tampered, unsigned, expired, wrong-audience and other-key objects are refused on a page, never redirected', async () => {
      const h = get();
      const { privateKey, client, agent } = await setUp(h);
      const valid = await requestObject(h, client.clientId, privateKey);
      const [header, payload, signature] = valid.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, redirect_uri: 'https://evil.example/cb' })).toString('base64url')}.${signature}`;
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      const now = Math.floor(h.clock.now() / 1000);
      const stranger = (await generateKeyPair('ES256')).privateKey;
      const cases: Array<[string, string, RegExp]> = [
        ['tampered', tampered, /signature does not verify/],
        ['unsigned', unsigned, /must be signed with one of|not a valid signed JWT/],
        ['expired', await requestObject(h, client.clientId, privateKey, { iat: now - 600, exp: now - 300 }), /has expired/],
        ['no exp', await requestObject(h, client.clientId, privateKey, { exp: undefined }), /exp/],
        ['far future', await requestObject(h, client.clientId, privateKey, { exp: now + 86400 }), /too far ahead/],
        ['wrong aud', await requestObject(h, client.clientId, privateKey, { aud: 'https://other.example' }), /aud/],
        ['other key', await requestObject(h, client.clientId, stranger), /signature does not verify/],
        ['nested', await requestObject(h, client.clientId, privateKey, { request_uri: 'https://x.example/r' }), /cannot carry request_uri/],
      ];
      for (const [name, jwt, description] of cases) {
        const page = await agent.get(authorizeUrl({ client_id: client.clientId, request: jwt }));
        assert.equal(page.status, 400, name);
        assert.equal(page.location, undefined, `${name}: not redirected`);
        assert.match(page.body, /invalid_request_object/, name);
        assert.match(page.body.replace(/&#39;|&#x27;/g, "'"), description, name);
      }
    });

    test('require_signed_request_object: a plain request is refused; a request_uri not pushed to /oauth/v2/par is unknown', async () => {
      const h = get();
      const { privateKey, client, agent } = await setUp(h, { require: true });
      const plain = await agent.get(
        authorizeUrl({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, state: 's' }),
      );
      assert.equal(plain.status, 400);
      assert.match(plain.body, /invalid_request_object/);
      assert.match(plain.body, /must send its authorization requests as a signed request object/);
      const signed = await agent.consentTo(
        authorizeUrl({ client_id: client.clientId, request: await requestObject(h, client.clientId, privateKey) }),
      );
      assert.ok(signed.searchParams.get('code'));

      const byReference = await agent.get(authorizeUrl({ client_id: client.clientId, request_uri: 'https://app.example.com/request.jwt' }));
      assert.equal(byReference.status, 400);
      assert.match(byReference.body, /invalid_request_uri/, 'nothing is fetched from a URL a request names');
    });

    test('registration: require_signed_request_object needs keys; private keys are refused', async () => {
      const h = get();
      await assert.rejects(
        h.client(await h.user(), 'server', [REDIRECT], { requireSignedRequestObject: true }),
        /needs the client's public keys/,
      );
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      await assert.rejects(
        h.client(await h.user(), 'server', [REDIRECT], { jwks: { keys: [await exportJWK(privateKey)] } }),
        /private key material/,
      );
      await assert.rejects(h.client(await h.user(), 'server', [REDIRECT], { jwksUri: 'http://example.com/jwks' }), /must start with https/);
      await assert.rejects(h.client(await h.user(), 'client', [REDIRECT], { tokenEndpointAuthMethod: 'private_key_jwt' }), /none/);
    });
  },
  { issuer: 'base-url', limits: { codeRate: null } },
);
