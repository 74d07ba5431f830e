import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { BoundedMap } from '../core/bounded-map.js';
import { SqliteChangeSignal } from './sqlite-change-signal.js';

/**
 * Kysely's SQLite driver prepares every query afresh; parsing and planning the SQL again is a measurable share of
 * the token endpoint's time. The queries Gatehouse runs come from a handful of shapes, so their statements are kept
 * here, keyed by SQL text (parameters are bound separately). better-sqlite3 runs synchronously, so a cached statement
 * is never in use twice at once. Bounded, oldest-first eviction, in case a caller ever builds SQL with many shapes.
 *
 * Statements that can change rows report each run to `changes`, for the read cache. With `time`, every run is timed
 * and its seconds told (the metrics).
 */
export function withStatementCache(
  database: BetterSqlite3.Database,
  changes: SqliteChangeSignal,
  time?: (seconds: number) => void,
  capacity = 256,
): SqliteDatabase {
  const statements = new BoundedMap<string, SqliteStatement>(capacity);
  return {
    close: () => void database.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement === undefined) {
        const prepared = database.prepare(sql);
        statement = SqliteChangeSignal.changesRows(prepared) ? reporting(prepared, changes) : (prepared as unknown as SqliteStatement);
        if (time) statement = timed(statement, time);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** A statement that tells `changes` each time it runs (before, so no reader can see its effect unannounced). */
function reporting(statement: BetterSqlite3.Statement, changes: SqliteChangeSignal): SqliteStatement {
  return {
    reader: statement.reader,
    all(parameters: ReadonlyArray<unknown>) {
      changes.noteChange();
      return statement.all(parameters);
    },
    run(parameters: ReadonlyArray<unknown>) {
      changes.noteChange();
      return statement.run(parameters);
    },
    iterate(parameters: ReadonlyArray<unknown>) {
      changes.noteChange();
      return statement.iterate(parameters);
    },
  } as SqliteStatement;
}

/**
 * A statement whose runs are timed. better-sqlite3 runs a statement synchronously, so two clock readings around the
 * call measure it, with no promise. (Kysely's own query log, which the PostgreSQL store's timing uses, awaits twice per
 * statement: about 9% more CPU per token on this machine's SQLite token endpoint.) Iteration (streaming) is not timed.
 */
function timed(statement: SqliteStatement, time: (seconds: number) => void): SqliteStatement {
  return {
    reader: statement.reader,
    all(parameters: ReadonlyArray<unknown>) {
      const started = performance.now();
      const rows = statement.all(parameters);
      time((performance.now() - started) / 1000);
      return rows;
    },
    run(parameters: ReadonlyArray<unknown>) {
      const started = performance.now();
      const result = statement.run(parameters);
      time((performance.now() - started) / 1000);
      return result;
    },
    iterate: (parameters: ReadonlyArray<unknown>) => statement.iterate(parameters),
  } as SqliteStatement;
}
