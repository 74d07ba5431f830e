import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { CredentialHasher } from '../../src/core/tokens/credential-hasher.js';
import { newOpaqueToken } from '../../src/core/tokens/identifiers.js';

describe('credential hasher', () => {
  test('a presented token has the same lookup key as the stored hash, remembered or not', () => {
    const hasher = new CredentialHasher(randomBytes(32), 2);
    const tokens = [newOpaqueToken(), newOpaqueToken(), newOpaqueToken()];
    // Three tokens through a memory of two: the first is forgotten, and its key must be computed again, unchanged.
    for (const round of [1, 2]) {
      for (const token of tokens) assert.equal(hasher.tokenKey(token), hasher.hash(token), `round ${round}`);
    }
    assert.notEqual(hasher.tokenKey(tokens[0]!), hasher.tokenKey(tokens[1]!));
  });

  test('keys depend on the server key: the same token under another key is another key', () => {
    const token = newOpaqueToken();
    assert.notEqual(new CredentialHasher(randomBytes(32)).tokenKey(token), new CredentialHasher(randomBytes(32)).tokenKey(token));
  });
});
