import type BetterSqlite3 from 'better-sqlite3';
import { mayChangeRows } from './row-changes.js';
import type { ChangeSignal } from './sql/read-cache.js';

/**
 * Tells the read cache when a SQLite database may have changed: a counter bumped by every statement of this connection
 * that can change or remove a row, and SQLite's `data_version`, which moves when another connection (the CLI, a second
 * process) commits. The statement wrapper (`sqlite-statement-cache.ts`) reports this connection's writes, so those
 * are seen at once. `data_version` costs a statement (about 5 µs here), so it is asked at most once per
 * `otherProcessLagMs`: that is how late a change by another process can be noticed.
 */
export class SqliteChangeSignal implements ChangeSignal {
  private generation = 0;
  private readonly dataVersionStatement: BetterSqlite3.Statement;
  private lastDataVersion: unknown;
  private nextDataVersionCheck = 0;

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly otherProcessLagMs = 1,
  ) {
    this.dataVersionStatement = database.prepare('pragma data_version').pluck();
    this.lastDataVersion = this.dataVersionStatement.get();
  }

  /** Whether a statement can make a cached row stale (see `mayChangeRows`). */
  static changesRows(statement: BetterSqlite3.Statement): boolean {
    return !statement.readonly && mayChangeRows(statement.source);
  }

  noteChange(): void {
    this.generation++;
  }

  current(): number | undefined {
    // Inside a transaction the connection sees its own uncommitted rows, which a rollback may take back.
    if (this.database.inTransaction) return undefined;
    const now = performance.now();
    if (now >= this.nextDataVersionCheck) {
      this.nextDataVersionCheck = now + this.otherProcessLagMs;
      const dataVersion = this.dataVersionStatement.get();
      if (dataVersion !== this.lastDataVersion) {
        this.lastDataVersion = dataVersion;
        this.generation++;
      }
    }
    return this.generation;
  }
}
