import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { CredentialHasher } from '../../src/core/tokens/credential-hasher.js';
import { looksLikeOpaqueToken, newClientSecret, newOpaqueToken } from '../../src/core/tokens/identifiers.js';
import { tokenWithoutIssueTime } from '../support/older-tokens.js';

describe('credential hasher', () => {
  test('codes and tokens are stored under keys that sort by issue time', async () => {
    const hasher = new CredentialHasher(randomBytes(32));
    const earlier = newOpaqueToken();
    await sleep(2);
    const later = newOpaqueToken();
    assert.ok(looksLikeOpaqueToken(earlier) && looksLikeOpaqueToken(later));
    const [a, b] = [hasher.storageKey(earlier), hasher.storageKey(later)];
    assert.ok(a < b, 'a later token sorts after an earlier one');
    assert.equal(a, earlier.slice(5, 17) + hasher.hash(earlier));
    assert.ok(Math.abs(parseInt(a.slice(0, 12), 16) - Date.now()) < 60_000, 'the prefix is the issue time');
  });

  test('a presented token is looked up under its storage key first, then under the key older versions used', () => {
    const hasher = new CredentialHasher(randomBytes(32), 2);
    const tokens = [newOpaqueToken(), newOpaqueToken(), newOpaqueToken()];
    // Three tokens through a memory of two: the first is forgotten, and its keys must be computed again, unchanged.
    for (const round of [1, 2]) {
      for (const token of tokens)
        assert.deepEqual(hasher.presentedKeys(token), [hasher.storageKey(token), hasher.hash(token)], `round ${round}`);
    }
    // Digits that cannot be an issue time (far in the future, or before the format began): only the older key.
    for (const leading of ['f', '0']) {
      const old = tokenWithoutIssueTime(leading);
      assert.deepEqual(hasher.presentedKeys(old), [hasher.hash(old)], leading);
    }
  });

  test('a client secret that matched is recognised again, and nothing else is', () => {
    const hasher = new CredentialHasher(randomBytes(32), 2);
    const [secret, other, third] = [newClientSecret(), newClientSecret(), newClientSecret()];
    const stored = hasher.hash(secret);
    assert.equal(hasher.matchesSecret(other, stored), false);
    for (let i = 0; i < 2; i++) assert.equal(hasher.matchesSecret(secret, stored), true, `time ${i + 1}`);
    assert.equal(hasher.matchesSecret(other, stored), false, 'after the secret matched');
    assert.equal(hasher.matchesSecret(secret.slice(1), stored), false, 'a shorter one');
    assert.equal(hasher.matchesSecret(secret, hasher.hash(other)), false, 'a rotated secret (a new stored hash)');
    // Through a memory of two: the first secret is forgotten and checked by its keyed hash again.
    for (const next of [other, third]) assert.equal(hasher.matchesSecret(next, hasher.hash(next)), true);
    assert.equal(hasher.matchesSecret(secret, stored), true);
    assert.equal(new CredentialHasher(randomBytes(32)).matchesSecret(secret, stored), false, 'another server key');
  });

  test('keys depend on the server key', () => {
    const token = newOpaqueToken();
    assert.notEqual(new CredentialHasher(randomBytes(32)).storageKey(token), new CredentialHasher(randomBytes(32)).storageKey(token));
  });
});
