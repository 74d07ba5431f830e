import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';
import { mayChangeRows } from '../row-changes.js';

/** Told when this process may have changed rows (see `withChangeTracking`). */
export interface ChangeSink {
  noteChange(): void;
}

/**
 * `dialect`, telling `changes` whenever this process may have changed a row the read cache holds, before the caller of
 * the statement sees its result: after each row-changing statement (`mayChangeRows`), and again when a transaction
 * that ran one commits (until then other connections read the old row, and may have cached it meanwhile).
 */
export function withChangeTracking(dialect: Dialect, changes: ChangeSink): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new ChangeTrackingDriver(dialect.createDriver(), changes),
  };
}

/** A pooled connection, and whether its transaction under way changed rows. */
class TrackedConnection implements DatabaseConnection {
  changedInTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly changes: ChangeSink,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (!mayChangeRows(compiledQuery.sql)) return this.inner.executeQuery<R>(compiledQuery);
    this.changedInTransaction = true;
    try {
      return await this.inner.executeQuery<R>(compiledQuery);
    } finally {
      this.changes.noteChange();
    }
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (mayChangeRows(compiledQuery.sql)) throw new Error('A row-changing statement cannot be streamed');
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

class ChangeTrackingDriver implements Driver {
  private readonly tracked = new WeakMap<DatabaseConnection, TrackedConnection>();

  constructor(
    private readonly driver: Driver,
    private readonly changes: ChangeSink,
  ) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.driver.acquireConnection();
    let connection = this.tracked.get(inner);
    if (!connection) {
      connection = new TrackedConnection(inner, this.changes);
      this.tracked.set(inner, connection);
    }
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const tracked = connection as TrackedConnection;
    tracked.changedInTransaction = false;
    await this.driver.beginTransaction(tracked.inner, settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tracked = connection as TrackedConnection;
    try {
      await this.driver.commitTransaction(tracked.inner);
    } finally {
      if (tracked.changedInTransaction) this.changes.noteChange();
    }
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // Others never saw the rolled-back rows, and the transaction's own reads skip the cache (sql-storage.ts).
    return this.driver.rollbackTransaction((connection as TrackedConnection).inner);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection((connection as TrackedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}
