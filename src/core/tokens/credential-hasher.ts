import { createHmac, hash as digest, timingSafeEqual } from 'node:crypto';
import { BoundedMap } from '../bounded-map.js';
import { issueTimePrefix, mayCarryIssueTime } from './identifiers.js';

/**
 * Stores credentials as HMAC-SHA256 under a server key. Tokens, codes and client secrets are high-entropy random
 * strings, so a keyed fast hash is as strong as a slow KDF against guessing and costs microseconds instead of
 * milliseconds on the token endpoint's hot path. The key keeps a leaked database from being enough to test guesses.
 */
export class CredentialHasher {
  /** Recently presented codes and tokens and their keys; see `presentedKeys`. */
  private readonly presented: BoundedMap<string, readonly string[]>;
  /** Stored secret hashes recently matched, and the plain SHA-256 of the secret that matched; see `matchesSecret`. */
  private readonly matchedSecrets: BoundedMap<string, Buffer>;

  constructor(
    private readonly key: Buffer,
    presentedCapacity = 10_000,
  ) {
    if (key.length < 32) throw new Error('The credential hashing key must be at least 32 bytes.');
    this.presented = new BoundedMap(presentedCapacity);
    this.matchedSecrets = new BoundedMap(presentedCapacity);
  }

  /** The keyed hash of a credential: 64 hex characters. Sessions, CSRF tokens and client secrets are stored under it. */
  hash(credential: string): string {
    return createHmac('sha256', this.key).update(credential, 'utf8').digest('hex');
  }

  /**
   * The key a code or token from `newOpaqueToken` is stored under: its issue-time digits, then its keyed hash, so keys
   * sort by issue time (see `newOpaqueToken` for why).
   */
  storageKey(credential: string): string {
    return issueTimePrefix(credential) + this.hash(credential);
  }

  /**
   * The keys a presented code or token may be stored under, the likelier first: `storageKey`, and the plain keyed hash
   * under which Gatehouse stored codes and tokens before they carried their issue time (a refresh token lives until
   * revoked). One whose digits cannot be an issue time can only be such an older one.
   *
   * Remembered for the next time the value is presented: a client sends the same access token with every API call for
   * its hour, and OpenSSL's HMAC set-up made this hash about a tenth of a protected read's time. The keys are a pure
   * function of the value, so remembering them is never stale: revocation is decided by the store, not here. The
   * memory holds only values that arrived in requests, bounded, oldest out first.
   */
  presentedKeys(credential: string): readonly string[] {
    let keys = this.presented.get(credential);
    if (keys === undefined) {
      const hash = this.hash(credential);
      keys = Object.freeze(mayCarryIssueTime(credential) ? [issueTimePrefix(credential) + hash, hash] : [hash]);
      this.presented.set(credential, keys);
    }
    return keys;
  }

  /**
   * `matches` for client secrets, which a client sends with every token request. The keyed hash costs about 2 µs here
   * (OpenSSL sets up the HMAC each time), a plain SHA-256 a quarter µs, so the SHA-256 of a secret that matched is
   * remembered under its stored hash, and the same secret presented again is recognised by it, in constant time.
   * A rotated secret has a new stored hash, so a memory never outlives it; and it holds no usable secret: a SHA-256 of
   * 168 random bits cannot be reversed, and a database leak alone still does not let guesses be tested.
   */
  matchesSecret(secret: string, storedHash: string): boolean {
    // Hex then decoded: asked for a Buffer, `crypto.hash` takes six times as long here.
    const sha256 = Buffer.from(digest('sha256', secret, 'hex'), 'hex');
    const remembered = this.matchedSecrets.get(storedHash);
    if (remembered !== undefined && timingSafeEqual(remembered, sha256)) return true;
    if (!this.matches(secret, storedHash)) return false;
    this.matchedSecrets.set(storedHash, sha256);
    return true;
  }

  /** Constant-time check of a presented secret against a stored hash. */
  matches(credential: string, storedHash: string): boolean {
    const presented = Buffer.from(this.hash(credential), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return presented.length === stored.length && timingSafeEqual(presented, stored);
  }
}
