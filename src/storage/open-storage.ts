import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { PgChangeSignal } from './pg-change-signal.js';
import { withChangeTracking } from './sql/change-tracking-dialect.js';
import { CurrentSchemaPostgresDialect } from './sql/current-schema-dialect.js';
import type { Database } from './sql/schema.js';
import { SqlStorage } from './sql/sql-storage.js';
import { SqliteChangeSignal } from './sqlite-change-signal.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import type { Storage } from '../core/store.js';
import type { RecordRepository } from '../resources/record-repository.js';

/** What a database holds: the core's repositories and the sample APIs' records. */
export interface StorageWithRecords extends Storage {
  readonly records: RecordRepository;
}

/**
 * Opens the store a database URL names: `sqlite:PATH` (or `sqlite::memory:`) or `postgres://…`. `schema` confines a
 * PostgreSQL store to one schema (tests use a fresh one each).
 */
export function openStorage(url: string, options: { schema?: string } = {}): StorageWithRecords {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options.schema);
  throw new Error(`Unsupported database URL "${redactUrl(url)}": use sqlite:PATH or postgres://…`);
}

function openSqlite(path: string): StorageWithRecords {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  // WAL lets readers proceed during a write; NORMAL sync is durable across process crashes in WAL mode.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const changes = new SqliteChangeSignal(database);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database, changes) }) });
  if (path === ':memory:') return new SqlStorage(db, 'sqlite', { changes });
  // Checkpoints belong to a background thread (sqlite-checkpointer.ts), not to whichever commit crosses 1000 pages.
  database.pragma('wal_autocheckpoint = 0');
  const checkpointer = new SqliteCheckpointer(path);
  return new SqlStorage(db, 'sqlite', { changes, onClose: () => checkpointer.stop() });
}

const INT8_OID = 20;
const NUMERIC_TYPES = {
  // Epoch-millisecond times and counts fit JavaScript numbers; read int8 as a number rather than a string.
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
};

function openPostgres(connectionString: string, schema: string | undefined): StorageWithRecords {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
  const connection = { connectionString, types: NUMERIC_TYPES, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
  const pool = new pg.Pool({ ...connection, max: 10 });
  // Named, so an operator (or a test) can tell the listener from the pool's connections in pg_stat_activity.
  const changes = new PgChangeSignal({ ...connection, application_name: `gatehouse listener${schema ? ` ${schema}` : ''}` });
  const db = new Kysely<Database>({ dialect: withChangeTracking(new CurrentSchemaPostgresDialect({ pool }), changes) });
  return new SqlStorage(db, 'postgres', {
    ...(schema === undefined ? {} : { schema }),
    changes,
    cacheInvalidation: changes,
    onClose: () => changes.close(),
  });
}

/** A database URL fit for logs and error messages: the password is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
