import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Client } from '../../src/core/clients/client.js';
import { resolveConfig } from '../../src/core/config/config.js';
import { OAuthError } from '../../src/core/errors/oauth-error.js';
import { CredentialHasher } from '../../src/core/tokens/credential-hasher.js';
import { TokenIssuer } from '../../src/core/tokens/token-issuer.js';
import { describeEach } from '../support/each-store.js';
import { STORE_KINDS, testUser, type TestStore } from '../support/stores.js';

describeEach(
  'token issuer',
  STORE_KINDS,
  (kind) => kind.open(),
  (store: TestStore) => store.dispose(),
  (get) => {
    const T0 = 1_800_000_000_000;
    // Opaque tokens only: no key is ever asked for.
    const noKeys = { signing: () => Promise.reject(new Error('an opaque token needs no signing key')) };
    const issuer = new TokenIssuer(
      new CredentialHasher(randomBytes(32)),
      resolveConfig({ issuer: 'https://gatehouse.test' }),
      () => T0,
      noKeys,
    );

    // A client deleted after its request authenticated it: on another node within the cache bound, or here by a
    // concurrent console delete. The store's foreign key refuses the token; that must reach the wire as the client
    // being unknown, not as a server error.
    test('a client deleted after it authenticated gets invalid_client, and no token is stored', async () => {
      const { storage } = get();
      const owner = testUser({
        zuid: String(200_000_000_000 + Math.floor(Math.random() * 1e9)),
        email: `${randomBytes(4).toString('hex')}@example.com`,
        createdAt: T0,
      });
      await storage.users.create(owner);
      const client: Client = {
        clientId: `1000.${randomBytes(15).toString('hex').toUpperCase()}`,
        ownerZuid: owner.zuid,
        type: 'self',
        name: 'Self Client',
        homepage: '',
        redirectUris: [],
        jsDomains: [],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        backchannelLogoutSessionRequired: false,
        secretHash: randomBytes(32).toString('hex'),
        dpopBoundAccessTokens: false,
        accessTokenFormat: 'opaque',
        idTokenSignedResponseAlg: 'RS256',
        userinfoSignedResponseAlg: null,
        requirePushedAuthorizationRequests: false,
        createdAt: T0,
        updatedAt: T0,
      };
      await storage.clients.create(client);
      await storage.clients.delete(client.clientId);

      const request = { client, userZuid: owner.zuid, scopes: [], originCodeId: null };
      const alone = issuer.issueAccessToken(storage.tokens, request);
      await assert.rejects(alone, (err: unknown) => err instanceof OAuthError && err.code === 'invalid_client');
      const inTransaction = storage.transaction((tx) => issuer.issue(tx, { ...request, refresh: 'none' }));
      await assert.rejects(inTransaction, (err: unknown) => err instanceof OAuthError && err.code === 'invalid_client');
    });
  },
);
