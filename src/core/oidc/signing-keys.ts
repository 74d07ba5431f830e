import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from 'jose';
import type { SigningKey, SigningKeyRepository } from './signing-key-repository.js';
import { PrivateKeySeal } from './private-key-seal.js';

/** How long a node trusts its copy of the key list: a rotation made elsewhere (the CLI, another node) lands within it. */
const CACHE_MS = 60_000;

/**
 * Runs `fn` with the key store, serialised against every process doing the same on this database (a transaction
 * holding a lock), so nodes starting together on an empty database make one first key between them.
 */
export type ExclusiveKeyStore = <T>(fn: (repository: SigningKeyRepository) => Promise<T>) => Promise<T>;

export interface ActiveKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof importPKCS8>>;
}

/**
 * The keys that sign id_tokens (RS256). The first is generated on first use and kept in the store, so a fresh
 * install signs out of the box; `gatehouse keys rotate` adds a newer one, which then signs, while older unretired keys
 * stay in the JWKS so tokens they signed still verify. The `kid` is the key's RFC 7638 thumbprint.
 */
export class SigningKeys {
  private cache: { at: number; keys: SigningKey[]; signing: Promise<ActiveKey> } | undefined;

  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly seal: PrivateKeySeal,
    private readonly now: () => number,
    private readonly exclusive: ExclusiveKeyStore = (fn) => fn(repository),
  ) {}

  /** The key that signs now (the newest), creating the first one when there is none. */
  async signing(): Promise<ActiveKey> {
    return (await this.load()).signing;
  }

  /** The public keys for `jwks_uri`. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const { keys } = await this.load();
    return { keys: keys.map((k) => ({ ...(JSON.parse(k.publicJwk) as JWK), kid: k.kid, alg: k.algorithm, use: 'sig' })) };
  }

  /** Generates a new key that signs from now on; returns its kid. */
  async rotate(): Promise<string> {
    const kid = await this.generate(this.repository);
    this.cache = undefined;
    return kid;
  }

  private async generate(repository: SigningKeyRepository): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    // Strictly newer than the current signing key, even within one clock tick: the newest key is the one that signs.
    const [newest] = await repository.listActive();
    await repository.create({
      kid,
      algorithm: 'RS256',
      privateKey: await this.seal.seal(await exportPKCS8(privateKey), kid),
      publicJwk: JSON.stringify(publicJwk),
      createdAt: Math.max(this.now(), (newest?.createdAt ?? 0) + 1),
      retiredAt: null,
    });
    return kid;
  }

  private async load(): Promise<{ keys: SigningKey[]; signing: Promise<ActiveKey> }> {
    if (this.cache && this.now() - this.cache.at < CACHE_MS) return this.cache;
    let keys = await this.repository.listActive();
    if (keys.length === 0) {
      // Each node keeps its list for CACHE_MS: two nodes that each made a first key would each sign with a key the
      // other's JWKS does not list. So the first key is made once, by whichever node takes the lock first.
      keys = await this.exclusive(async (repository) => {
        const made = await repository.listActive();
        if (made.length > 0) return made;
        await this.generate(repository);
        return repository.listActive();
      });
    }
    await this.sealPlainKeys(keys);
    const newest = keys[0]!;
    const signing = this.seal
      .open(newest.privateKey, newest.kid)
      .then((pem) => importPKCS8(pem, 'RS256', { extractable: false }))
      .then((privateKey) => ({ kid: newest.kid, privateKey }));
    // Asked for only when an id_token is signed: a key that cannot be opened fails that, not whoever loaded the list.
    signing.catch(() => {});
    this.cache = { at: this.now(), keys, signing };
    return this.cache;
  }

  /** Seals the keys an earlier version stored in the clear. */
  private async sealPlainKeys(keys: SigningKey[]): Promise<void> {
    for (const key of keys) {
      if (PrivateKeySeal.isPlain(key.privateKey))
        await this.repository.replacePrivateKey(key.kid, key.privateKey, await this.seal.seal(key.privateKey, key.kid));
    }
  }
}
