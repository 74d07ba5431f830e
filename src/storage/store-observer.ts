/** A PostgreSQL pool's connections at one moment. */
export interface PoolUse {
  /** Open connections, idle or busy. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

/**
 * What a store tells whoever watches it (the Prometheus metrics). Optional: a store opened without one measures
 * nothing. Calls are made on the request's path and must be cheap.
 */
export interface StoreObserver {
  /** A read the read cache answered from memory. */
  cacheHit(): void;
  /** A read that went to the database (nothing cached, or nothing may be cached now). */
  cacheMiss(): void;
  /** One statement's time from sending to its answer (Kysely's own measure). */
  statementFinished(seconds: number): void;
  /** A SQLite commit group of `size` transactions is committed (told as its commit starts). */
  groupCommitted(size: number): void;
  /** How to read the pool's use when asked (at a scrape, not per query). PostgreSQL only. */
  watchPool(use: () => PoolUse): void;
  /** How to tell whether the store's cache-invalidation channel is connected, for stores that have one. */
  watchInvalidation(connected: () => boolean): void;
}
