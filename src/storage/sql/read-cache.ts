import { BoundedMap } from '../../core/bounded-map.js';
import { deepFreeze } from '../../core/deep-freeze.js';
import type { StoreObserver } from '../store-observer.js';

/** What the read cache asks of a store: a number that moves whenever the data may have changed. */
export interface ChangeSignal {
  /** The current generation, or undefined when nothing read now may be remembered. */
  current(): number | undefined;
}

/** Nothing read now may be remembered (PostgreSQL transactions' reads). */
export const NEVER_CACHE: ChangeSignal = { current: () => undefined };

/**
 * Remembers the hot point reads (a token, a client, a user, a record by key) for exactly as long as the store provably
 * has not changed: any change clears every entry. So a revoked token or a rotated secret is never served from here,
 * while the read-heavy paths (every protected API call validates a token) skip the database. Entries are frozen,
 * since every caller shares them.
 */
export class ReadCache {
  private readonly sections: Array<BoundedMap<string, object>> = [];
  private generation: number | undefined;

  constructor(
    private readonly signal: ChangeSignal,
    /** Entries per section. */
    private readonly capacity = 10_000,
    /** Told of each hit and miss, when the store is watched. */
    readonly observer?: Pick<StoreObserver, 'cacheHit' | 'cacheMiss'>,
  ) {}

  /**
   * A part of the cache for one kind of row, keyed by the row's own key. A key composed per read (`access_token:<id>`)
   * was a new string to build and hash on every protected call: about 4% of one. Every section is cleared together.
   */
  section<T extends object>(): CacheSection<T> {
    const entries = new BoundedMap<string, T>(this.capacity);
    this.sections.push(entries);
    return new CacheSection(this, entries);
  }

  /** The store's generation, every section cleared first if it moved; undefined when nothing may be remembered now. */
  currentGeneration(): number | undefined {
    const generation = this.signal.current();
    if (generation !== undefined && generation !== this.generation) {
      for (const entries of this.sections) entries.clear();
      this.generation = generation;
    }
    return generation;
  }
}

/** The entries of one kind of row (see `ReadCache.section`). */
export class CacheSection<T extends object> {
  constructor(
    private readonly cache: ReadCache,
    private readonly entries: BoundedMap<string, T>,
  ) {}

  async read(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const generation = this.cache.currentGeneration();
    if (generation === undefined) {
      this.cache.observer?.cacheMiss();
      return load();
    }
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.cache.observer?.cacheHit();
      return hit;
    }
    this.cache.observer?.cacheMiss();
    const value = await load();
    // Only if nothing changed while the read was in flight; misses are not remembered (a row may appear).
    if (value !== undefined && this.cache.currentGeneration() === generation) {
      this.entries.set(key, deepFreeze(value));
    }
    return value;
  }

  /**
   * The entry under `key` if there is one and the store has not changed since it was read; never loads. Undefined
   * means "not in memory", not "no such row": the caller then reads. Only a hit is counted: on a miss the caller's
   * read counts it, once.
   */
  peek(key: string): T | undefined {
    const hit = this.cache.currentGeneration() === undefined ? undefined : this.entries.get(key);
    if (hit !== undefined) this.cache.observer?.cacheHit();
    return hit;
  }
}
