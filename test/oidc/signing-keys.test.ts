import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, exportJWK, exportPKCS8, generateKeyPair, calculateJwkThumbprint, jwtVerify, SignJWT } from 'jose';
import { PrivateKeySeal } from '../../src/core/oidc/private-key-seal.js';
import { PUBLISH_AHEAD_MS, SigningKeys } from '../../src/core/oidc/signing-keys.js';
import { sqliteStore, type TestStore } from '../support/stores.js';

describe('id_token signing keys at rest', () => {
  let store: TestStore;
  before(async () => {
    store = await sqliteStore.open();
  });
  after(() => store.dispose());

  const serverKey = randomBytes(32);
  const keysWith = (key: Buffer, now = Date.now) => new SigningKeys(store.storage.signingKeys, new PrivateKeySeal(key), now);

  /** Signs with the key that signs now and checks the result against the published JWKS. */
  async function signsAndVerifies(keys: SigningKeys): Promise<string> {
    const { kid, privateKey } = await keys.signing();
    const jwt = await new SignJWT({ sub: '1' }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    await jwtVerify(jwt, createLocalJWKSet(await keys.jwks()));
    return kid;
  }

  test('a new key is stored sealed, bound to its kid, and opens only under the server key that sealed it', async () => {
    const { kid } = await keysWith(serverKey).rotate({ immediately: true });
    const stored = (await store.storage.signingKeys.listActive()).find((k) => k.kid === kid)!;
    assert.doesNotMatch(stored.privateKey, /PRIVATE KEY/);
    assert.equal(stored.privateKey.split('.').length, 5, 'a compact JWE');
    assert.equal(await signsAndVerifies(keysWith(serverKey)), kid);

    const seal = new PrivateKeySeal(serverKey);
    assert.match(await seal.open(stored.privateKey, kid), /^-----BEGIN PRIVATE KEY-----/);
    await assert.rejects(new PrivateKeySeal(randomBytes(32)).open(stored.privateKey, kid), /sealed under another GATEHOUSE_SECRET_KEY/);
    await assert.rejects(seal.open(stored.privateKey, 'another-kid'), /sealed for another key/);
  });

  test('a key an earlier version stored in the clear still signs, and is sealed on first use', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const pem = await exportPKCS8(privateKey);
    await store.storage.signingKeys.create({
      kid,
      algorithm: 'RS256',
      privateKey: pem,
      publicJwk: JSON.stringify(publicJwk),
      createdAt: Date.now() + 60_000,
      retiredAt: null,
    });
    // Its time to sign comes a minute on; a server of that minute signs with it.
    assert.equal(await signsAndVerifies(keysWith(serverKey, () => Date.now() + 120_000)), kid);
    const stored = (await store.storage.signingKeys.listActive()).find((k) => k.kid === kid)!;
    assert.ok(!PrivateKeySeal.isPlain(stored.privateKey), 'sealed now');
    assert.equal(await new PrivateKeySeal(serverKey).open(stored.privateKey, kid), pem);
  });

  test("a rotated key is in every node's JWKS before any node signs with it", async () => {
    let now = Date.now() + 3_600_000;
    const clock = () => now;
    const [a, b] = [keysWith(serverKey, clock), keysWith(serverKey, clock)];
    const before = await signsAndVerifies(a);
    assert.equal(await signsAndVerifies(b), before, 'b has read the list');

    const rotated = await a.rotate();
    assert.equal(rotated.signsFrom, now + PUBLISH_AHEAD_MS);
    const published = async (keys: SigningKeys) => (await keys.jwks()).keys.some((k) => k.kid === rotated.kid);
    assert.ok(await published(a), 'published where it was made at once');
    assert.equal(await signsAndVerifies(a), before, 'yet not signing');
    assert.deepEqual(
      (await a.list()).slice(0, 2).map((k) => [k.kid, k.state]),
      [
        [rotated.kid, 'pending'],
        [before, 'signing'],
      ],
    );

    now += 60_000;
    assert.ok(await published(b), "in the other node's JWKS once its copy of the list has expired");
    assert.equal(await signsAndVerifies(b), before);
    now = rotated.signsFrom - 1;
    assert.equal(await signsAndVerifies(a), before);
    now = rotated.signsFrom;
    assert.equal(await signsAndVerifies(a), rotated.kid);
    assert.equal(await signsAndVerifies(b), rotated.kid, 'every node switches at the same moment, its list unchanged');
  });
});
