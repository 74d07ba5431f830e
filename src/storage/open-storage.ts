import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type KyselyConfig, type LogEvent } from 'kysely';
import pg from 'pg';
import { PgChangeSignal } from './pg-change-signal.js';
import { withChangeTracking } from './sql/change-tracking-dialect.js';
import { CurrentSchemaPostgresDialect } from './sql/current-schema-dialect.js';
import type { Database } from './sql/schema.js';
import { SqlStorage } from './sql/sql-storage.js';
import { SqliteChangeSignal } from './sqlite-change-signal.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import type { StoreObserver } from './store-observer.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import type { Storage } from '../core/store.js';
import type { RecordRepository } from '../resources/record-repository.js';

/** What a database holds: the core's repositories and the sample APIs' records. */
export interface StorageWithRecords extends Storage {
  readonly records: RecordRepository;
}

export interface StorageOptions {
  /** Confines a PostgreSQL store to one schema (tests use a fresh one each). */
  schema?: string;
  /** Told what the store does (the metrics); without one nothing is measured. */
  observer?: StoreObserver;
}

/** Opens the store a database URL names: `sqlite:PATH` (or `sqlite::memory:`) or `postgres://…`. */
export function openStorage(url: string, options: StorageOptions = {}): StorageWithRecords {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), options.observer);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  throw new Error(`Unsupported database URL "${redactUrl(url)}": use sqlite:PATH or postgres://…`);
}

/**
 * PostgreSQL statements are timed by Kysely's query log, used for nothing else: Kysely reads the clock around a
 * statement only when a log is set, so an unwatched store pays nothing. Its cost (two awaits a statement) is small
 * beside a network round trip; SQLite's statements are timed more cheaply, in the statement cache.
 */
function timing(observer: StoreObserver | undefined): Pick<KyselyConfig, 'log'> {
  return observer ? { log: (event: LogEvent) => observer.statementFinished(event.queryDurationMillis / 1000) } : {};
}

function openSqlite(path: string, observer: StoreObserver | undefined): StorageWithRecords {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  // WAL lets readers proceed during a write; NORMAL sync is durable across process crashes in WAL mode.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const changes = new SqliteChangeSignal(database);
  const time = observer && ((seconds: number) => observer.statementFinished(seconds));
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database, changes, time) }) });
  const watched = observer ? { observer } : {};
  if (path === ':memory:') return new SqlStorage(db, 'sqlite', { changes, ...watched });
  // Checkpoints belong to a background thread (sqlite-checkpointer.ts), not to whichever commit crosses 1000 pages.
  database.pragma('wal_autocheckpoint = 0');
  const checkpointer = new SqliteCheckpointer(path);
  return new SqlStorage(db, 'sqlite', { changes, onClose: () => checkpointer.stop(), ...watched });
}

const INT8_OID = 20;
const NUMERIC_TYPES = {
  // Epoch-millisecond times and counts fit JavaScript numbers; read int8 as a number rather than a string.
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
};

function openPostgres(connectionString: string, { schema, observer }: StorageOptions): StorageWithRecords {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
  const connection = { connectionString, types: NUMERIC_TYPES, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
  const pool = new pg.Pool({ ...connection, max: 10 });
  // Named, so an operator (or a test) can tell the listener from the pool's connections in pg_stat_activity.
  const changes = new PgChangeSignal({ ...connection, application_name: `gatehouse listener${schema ? ` ${schema}` : ''}` });
  const db = new Kysely<Database>({
    dialect: withChangeTracking(new CurrentSchemaPostgresDialect({ pool }), changes),
    ...timing(observer),
  });
  observer?.watchPool(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  observer?.watchInvalidation(() => changes.connected);
  return new SqlStorage(db, 'postgres', {
    ...(schema === undefined ? {} : { schema }),
    changes,
    cacheInvalidation: changes,
    onClose: () => changes.close(),
    ...(observer ? { observer } : {}),
  });
}

/** A database URL fit for logs and error messages: the password is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
