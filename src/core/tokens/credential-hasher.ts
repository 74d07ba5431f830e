import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stores credentials as HMAC-SHA256 under a server key. Tokens, codes and client secrets are high-entropy random
 * strings, so a keyed fast hash is as strong as a slow KDF against guessing and costs microseconds instead of
 * milliseconds on the token endpoint's hot path. The key keeps a leaked database from being enough to test guesses.
 */
export class CredentialHasher {
  /** Recently presented tokens and their lookup keys; see `tokenKey`. Insertion-ordered, so the first is the oldest. */
  private readonly presented = new Map<string, string>();

  constructor(
    private readonly key: Buffer,
    private readonly presentedCapacity = 10_000,
  ) {
    if (key.length < 32) throw new Error('The credential hashing key must be at least 32 bytes.');
  }

  /** The lookup key under which a token or code is stored: 64 hex characters. */
  hash(credential: string): string {
    return createHmac('sha256', this.key).update(credential, 'utf8').digest('hex');
  }

  /**
   * `hash` for a token presented to be checked, remembered for the next time it is presented. A client sends the same
   * access token with every API call for its hour, and OpenSSL's HMAC set-up made this hash about a tenth of a
   * protected read's time. The hash is a pure function of the value, so a remembered key is never stale: revocation
   * is decided by the store, not here. The memory holds only values that arrived in requests, bounded, oldest out first.
   */
  tokenKey(token: string): string {
    let key = this.presented.get(token);
    if (key === undefined) {
      key = this.hash(token);
      if (this.presented.size >= this.presentedCapacity) this.presented.delete(this.presented.keys().next().value!);
      this.presented.set(token, key);
    }
    return key;
  }

  /** Constant-time check of a presented secret against a stored hash. */
  matches(credential: string, storedHash: string): boolean {
    const presented = Buffer.from(this.hash(credential), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return presented.length === stored.length && timingSafeEqual(presented, stored);
  }
}
