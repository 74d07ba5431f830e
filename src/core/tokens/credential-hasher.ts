import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stores credentials as HMAC-SHA256 under a server key. Tokens, codes and client secrets are high-entropy random
 * strings, so a keyed fast hash is as strong as a slow KDF against guessing and costs microseconds instead of
 * milliseconds on the token endpoint's hot path. The key keeps a leaked database from being enough to test guesses.
 */
export class CredentialHasher {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('The credential hashing key must be at least 32 bytes.');
  }

  /** The lookup key under which a token or code is stored: 64 hex characters. */
  hash(credential: string): string {
    return createHmac('sha256', this.key).update(credential, 'utf8').digest('hex');
  }

  /** Constant-time check of a presented secret against a stored hash. */
  matches(credential: string, storedHash: string): boolean {
    const presented = Buffer.from(this.hash(credential), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return presented.length === stored.length && timingSafeEqual(presented, stored);
  }
}
