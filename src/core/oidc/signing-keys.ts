import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from 'jose';
import type { SigningKey, SigningKeyRepository } from './signing-key-repository.js';
import { PrivateKeySeal } from './private-key-seal.js';
import { DEFAULT_SIGNING_ALGORITHM, KEY_GENERATION, type SigningAlgorithm } from './signing-algorithms.js';

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
  alg: SigningAlgorithm;
  privateKey: Awaited<ReturnType<typeof importPKCS8>>;
}

/** A key added by `rotate`, and when it starts to sign. */
export interface RotatedKey {
  kid: string;
  alg: SigningAlgorithm;
  signsFrom: number;
}

/** A node's copy of the key list: all of them newest first (the JWKS), and the same split by algorithm. */
interface KeyList {
  at: number;
  keys: SigningKey[];
  byAlgorithm: Map<SigningAlgorithm, SigningKey[]>;
}

/**
 * The keys that sign Gatehouse's tokens, one set per algorithm (RS256, ES256, EdDSA). The first RS256 key is generated
 * on first use and kept in the store, so a fresh install signs out of the box; the first key of another algorithm is
 * generated when something first signs with it (a client registered for it), so an install that never uses one does
 * not publish one. `gatehouse keys rotate [--alg]` adds a newer key of an algorithm, published in the JWKS at once and
 * signing PUBLISH_AHEAD_MS later (its `createdAt` is that moment), while older unretired keys stay in the JWKS so
 * tokens they signed still verify. The `kid` is the key's RFC 7638 thumbprint.
 */
export class SigningKeys {
  private cache: KeyList | undefined;
  /** Each key's private half, opened once: asked for only when a token is signed, so a key that cannot be opened fails that. */
  private readonly opened = new Map<string, Promise<ActiveKey>>();

  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly seal: PrivateKeySeal,
    private readonly now: () => number,
    private readonly exclusive: ExclusiveKeyStore = (fn) => fn(repository),
  ) {}

  /** The key of `alg` that signs now (the newest whose time has come), creating the first one when there is none. */
  async signing(alg: SigningAlgorithm = DEFAULT_SIGNING_ALGORITHM): Promise<ActiveKey> {
    const keys = (await this.load()).byAlgorithm.get(alg) ?? (await this.createFirst(alg)).byAlgorithm.get(alg)!;
    return this.open(signingKeyOf(keys, this.now()));
  }

  /** The published keys, newest first, each with its algorithm, when it signs from and its part now. */
  async list(): Promise<Array<{ kid: string; alg: SigningAlgorithm; signsFrom: number; state: 'pending' | 'signing' | 'verifying' }>> {
    const { keys, byAlgorithm } = await this.load();
    const now = this.now();
    const signing = new Set([...byAlgorithm.values()].map((ofAlg) => signingKeyOf(ofAlg, now).kid));
    return keys.map((k) => ({
      kid: k.kid,
      alg: k.algorithm,
      signsFrom: k.createdAt,
      state: signing.has(k.kid) ? 'signing' : k.createdAt > now ? 'pending' : 'verifying',
    }));
  }

  /** The public keys for `jwks_uri`: every algorithm's, in one set. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const { keys } = await this.load();
    return { keys: keys.map((k) => ({ ...(JSON.parse(k.publicJwk) as JWK), kid: k.kid, alg: k.algorithm, use: 'sig' })) };
  }

  /**
   * Generates a new key of `alg`, published now and signing PUBLISH_AHEAD_MS from now; `immediately` makes it sign at
   * once (a key suspected to be compromised), at the price of tokens that a relying party with an older copy of the
   * JWKS fails to verify until it fetches the JWKS again. The first key of an algorithm signs at once, as when it is
   * made on first use.
   */
  async rotate(options: { alg?: SigningAlgorithm; immediately?: boolean } = {}): Promise<RotatedKey> {
    const alg = options.alg ?? DEFAULT_SIGNING_ALGORITHM;
    const rotated = await this.generate(this.repository, alg, options.immediately ? 0 : PUBLISH_AHEAD_MS);
    this.cache = undefined;
    return rotated;
  }

  private async generate(repository: SigningKeyRepository, alg: SigningAlgorithm, aheadMs: number): Promise<RotatedKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { ...KEY_GENERATION[alg], extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    // Strictly newer than the newest key of its algorithm, even within one clock tick: of the keys whose time has
    // come, the newest signs. The first key of an algorithm signs at once: nothing waits for it to be published.
    const newest = (await repository.listActive()).find((k) => k.algorithm === alg);
    const signsFrom = newest ? Math.max(this.now() + aheadMs, newest.createdAt + 1) : this.now();
    await repository.create({
      kid,
      algorithm: alg,
      privateKey: await this.seal.seal(await exportPKCS8(privateKey), kid),
      publicJwk: JSON.stringify(publicJwk),
      createdAt: signsFrom,
      retiredAt: null,
    });
    return { kid, alg, signsFrom };
  }

  /** The key list, from this node's copy while it is fresh; an install without an RS256 key gets its first one. */
  private async load(): Promise<KeyList> {
    if (this.cache && this.now() - this.cache.at < CACHE_MS) return this.cache;
    const keys = await this.repository.listActive();
    if (!keys.some((k) => k.algorithm === DEFAULT_SIGNING_ALGORITHM)) return this.createFirst(DEFAULT_SIGNING_ALGORITHM);
    return this.remember(keys);
  }

  /**
   * Makes the first key of `alg` unless the store has one by now. Each node keeps its list for CACHE_MS: two nodes
   * that each made a first key would each sign with a key the other's JWKS does not list. So the first key is made
   * once, by whichever node takes the lock first, and this node's list is read afresh.
   */
  private async createFirst(alg: SigningAlgorithm): Promise<KeyList> {
    const keys = await this.exclusive(async (repository) => {
      const listed = await repository.listActive();
      if (listed.some((k) => k.algorithm === alg)) return listed;
      // It signs at once: no relying party can hold a token of this algorithm signed by an older key, and one meeting
      // an unfamiliar `kid` fetches the JWKS again (OpenID Connect Core §10.1.1).
      await this.generate(repository, alg, 0);
      return repository.listActive();
    });
    return this.remember(keys);
  }

  private async remember(keys: SigningKey[]): Promise<KeyList> {
    await this.sealPlainKeys(keys);
    const byAlgorithm = new Map<SigningAlgorithm, SigningKey[]>();
    for (const key of keys) byAlgorithm.set(key.algorithm, [...(byAlgorithm.get(key.algorithm) ?? []), key]);
    this.cache = { at: this.now(), keys, byAlgorithm };
    return this.cache;
  }

  private open(key: SigningKey): Promise<ActiveKey> {
    let opened = this.opened.get(key.kid);
    if (!opened) {
      opened = this.seal
        .open(key.privateKey, key.kid)
        .then((pem) => importPKCS8(pem, key.algorithm, { extractable: false }))
        .then((privateKey) => ({ kid: key.kid, alg: key.algorithm, privateKey }));
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

/**
 * Of one algorithm's keys (newest first, never empty), the one that signs now: the newest whose time has come. The
 * oldest always qualifies, so a clock set back cannot leave nothing to sign with.
 */
function signingKeyOf(keys: readonly SigningKey[], now: number): SigningKey {
  return keys.find((k) => k.createdAt <= now) ?? keys[keys.length - 1]!;
}
