import { BoundedMap } from '../../core/bounded-map.js';

/** What the read cache asks of a store: a number that moves whenever the data may have changed. */
export interface ChangeSignal {
  /** The current generation, or undefined when nothing read now may be remembered. */
  current(): number | undefined;
}

/** For stores that cannot tell cheaply when another node changed the data (PostgreSQL): never cache. */
export const NO_CHANGE_SIGNAL: ChangeSignal = { current: () => undefined };

/**
 * Remembers the hot point reads (a token, a client, a user, a record by key) for exactly as long as the store provably
 * has not changed: any change clears every entry. So a revoked token or a rotated secret is never served from here,
 * while the read-heavy paths (every protected API call validates a token) skip the database. Entries are frozen,
 * since every caller shares them.
 */
export class ReadCache {
  private readonly entries: BoundedMap<string, unknown>;
  private generation: number | undefined;

  constructor(
    private readonly signal: ChangeSignal,
    capacity = 10_000,
  ) {
    this.entries = new BoundedMap(capacity);
  }

  async read<T extends object>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const generation = this.currentGeneration();
    if (generation === undefined) return load();
    const hit = this.entries.get(key) as T | undefined;
    if (hit !== undefined) return hit;
    const value = await load();
    // Only if nothing changed while the read was in flight; misses are not remembered (a row may appear).
    if (value !== undefined && this.signal.current() === generation) {
      this.entries.set(key, deepFreeze(value));
    }
    return value;
  }

  /**
   * The entry under `key` if there is one and the store has not changed since it was read; never loads. Undefined
   * means "not in memory", not "no such row": the caller then reads.
   */
  peek<T extends object>(key: string): T | undefined {
    return this.currentGeneration() === undefined ? undefined : (this.entries.get(key) as T | undefined);
  }

  /** The store's generation, the entries cleared first if it moved; undefined when nothing may be remembered now. */
  private currentGeneration(): number | undefined {
    const generation = this.signal.current();
    if (generation !== undefined && generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    return generation;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
