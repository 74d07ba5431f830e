import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from 'jose';
import type { SigningKey, SigningKeyRepository } from './signing-key-repository.js';
import { PrivateKeySeal } from './private-key-seal.js';

/** How long a node trusts its copy of the key list: a rotation made elsewhere (the CLI, another node) lands within it. */
const CACHE_MS = 60_000;
/** How long the JWKS response may be cached by those who fetch it (its `Cache-Control: max-age`). */
export const JWKS_MAX_AGE_S = 300;
/**
 * How long a rotated key is published before it signs: every node's list (CACHE_MS), and then every relying party's
 * cached copy of the JWKS (JWKS_MAX_AGE_S), has it before any token it signs reaches them.
 */
export const PUBLISH_AHEAD_MS = CACHE_MS + JWKS_MAX_AGE_S * 1000;

/**
 * Runs `fn` with the key store, serialised against every process doing the same on this database (a transaction
 * holding a lock), so nodes starting together on an empty database make one first key between them.
 */
export type ExclusiveKeyStore = <T>(fn: (repository: SigningKeyRepository) => Promise<T>) => Promise<T>;

export interface ActiveKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof importPKCS8>>;
}

/** A key added by `rotate`, and when it starts to sign. */
export interface RotatedKey {
  kid: string;
  signsFrom: number;
}

/**
 * The keys that sign id_tokens (RS256). The first is generated on first use and kept in the store, so a fresh
 * install signs out of the box; `gatehouse keys rotate` adds a newer one, published in the JWKS at once and signing
 * PUBLISH_AHEAD_MS later (its `createdAt` is that moment), while older unretired keys stay in the JWKS so tokens they
 * signed still verify. The `kid` is the key's RFC 7638 thumbprint.
 */
export class SigningKeys {
  private cache: { at: number; keys: SigningKey[] } | undefined;
  /** Each key's private half, opened once: asked for only when a token is signed, so a key that cannot be opened fails that. */
  private readonly opened = new Map<string, Promise<ActiveKey>>();

  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly seal: PrivateKeySeal,
    private readonly now: () => number,
    private readonly exclusive: ExclusiveKeyStore = (fn) => fn(repository),
  ) {}

  /** The key that signs now (the newest whose time has come), creating the first one when there is none. */
  async signing(): Promise<ActiveKey> {
    const { keys } = await this.load();
    const now = this.now();
    // Keys are newest first; the oldest always qualifies, so a clock set back cannot leave nothing to sign with.
    const key = keys.find((k) => k.createdAt <= now) ?? keys[keys.length - 1]!;
    return this.open(key);
  }

  /** The published keys, newest first, each with when it signs from and its part now. */
  async list(): Promise<Array<{ kid: string; alg: string; signsFrom: number; state: 'pending' | 'signing' | 'verifying' }>> {
    const { keys } = await this.load();
    const signing = (await this.signing()).kid;
    return keys.map((k) => ({
      kid: k.kid,
      alg: k.algorithm,
      signsFrom: k.createdAt,
      state: k.kid === signing ? 'signing' : k.createdAt > this.now() ? 'pending' : 'verifying',
    }));
  }

  /** The public keys for `jwks_uri`. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const { keys } = await this.load();
    return { keys: keys.map((k) => ({ ...(JSON.parse(k.publicJwk) as JWK), kid: k.kid, alg: k.algorithm, use: 'sig' })) };
  }

  /**
   * Generates a new key, published now and signing PUBLISH_AHEAD_MS from now; `immediately` makes it sign at once
   * (a key suspected to be compromised), at the price of tokens that a relying party with an older copy of the JWKS
   * fails to verify until it fetches the JWKS again.
   */
  async rotate(options: { immediately?: boolean } = {}): Promise<RotatedKey> {
    const rotated = await this.generate(this.repository, options.immediately ? 0 : PUBLISH_AHEAD_MS);
    this.cache = undefined;
    return rotated;
  }

  private async generate(repository: SigningKeyRepository, aheadMs: number): Promise<RotatedKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    // Strictly newer than the newest key, even within one clock tick: of the keys whose time has come, the newest signs.
    const [newest] = await repository.listActive();
    const signsFrom = Math.max(this.now() + aheadMs, (newest?.createdAt ?? 0) + 1);
    await repository.create({
      kid,
      algorithm: 'RS256',
      privateKey: await this.seal.seal(await exportPKCS8(privateKey), kid),
      publicJwk: JSON.stringify(publicJwk),
      createdAt: signsFrom,
      retiredAt: null,
    });
    return { kid, signsFrom };
  }

  private async load(): Promise<{ keys: SigningKey[] }> {
    if (this.cache && this.now() - this.cache.at < CACHE_MS) return this.cache;
    let keys = await this.repository.listActive();
    if (keys.length === 0) {
      // Each node keeps its list for CACHE_MS: two nodes that each made a first key would each sign with a key the
      // other's JWKS does not list. So the first key is made once, by whichever node takes the lock first.
      keys = await this.exclusive(async (repository) => {
        const made = await repository.listActive();
        if (made.length > 0) return made;
        // Nobody has a copy of a JWKS without it yet, so the first key signs at once.
        await this.generate(repository, 0);
        return repository.listActive();
      });
    }
    await this.sealPlainKeys(keys);
    this.cache = { at: this.now(), keys };
    return this.cache;
  }

  private open(key: SigningKey): Promise<ActiveKey> {
    let opened = this.opened.get(key.kid);
    if (!opened) {
      opened = this.seal
        .open(key.privateKey, key.kid)
        .then((pem) => importPKCS8(pem, 'RS256', { extractable: false }))
        .then((privateKey) => ({ kid: key.kid, privateKey }));
      // A key that fails to open is tried again next time (the secret key may have been fixed meanwhile).
      opened.catch(() => this.opened.delete(key.kid));
      this.opened.set(key.kid, opened);
    }
    return opened;
  }

  /** Seals the keys an earlier version stored in the clear. */
  private async sealPlainKeys(keys: SigningKey[]): Promise<void> {
    for (const key of keys) {
      if (PrivateKeySeal.isPlain(key.privateKey))
        await this.repository.replacePrivateKey(key.kid, key.privateKey, await this.seal.seal(key.privateKey, key.kid));
    }
  }
}
