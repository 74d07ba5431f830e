import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query afresh; parsing and planning the SQL again is a measurable share of
 * the token endpoint's time. The queries Gatehouse runs come from a handful of shapes, so their statements are kept
 * here, keyed by SQL text (parameters are bound separately). better-sqlite3 runs synchronously, so a cached statement
 * is never in use twice at once. Bounded, oldest-first eviction, in case a caller ever builds SQL with many shapes.
 */
export function withStatementCache(database: BetterSqlite3.Database, capacity = 256): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => void database.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql) as unknown as SqliteStatement;
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
