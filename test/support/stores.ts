import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openStorage, type StorageWithRecords } from '../../src/storage/open-storage.js';
import type { StoreObserver } from '../../src/storage/store-observer.js';
import type { User } from '../../src/core/users/user.js';
import { POSTGRES_URL, unavailable } from './services.js';

/** A migrated, empty store and the way to throw it away. */
export interface TestStore {
  storage: StorageWithRecords;
  /** Every row of every table, read through a connection of its own (see `StoreSnapshot`). */
  snapshot(): Promise<StoreSnapshot>;
  dispose(): Promise<void>;
}

/**
 * A deterministic, comparable dump of a store: table name → its rows, each row as JSON of its columns in name order,
 * the rows sorted. Every table the database holds is read (the migration bookkeeping too), none left out, so two
 * snapshots are equal exactly when no row was added, removed or changed.
 */
export type StoreSnapshot = Record<string, string[]>;

function canonicalRows(rows: Array<Record<string, unknown>>): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((column) => [column, row[column]]),
      ),
    )
    .sort();
}

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  /** A skip message when the backing service is missing (never in CI). */
  skip(): Promise<string | false>;
  /** `observer`: who is told what the store does (a server's metrics). */
  open(options?: { observer?: StoreObserver }): Promise<TestStore>;
}

/** SQLite in a fresh temporary file (WAL, as in production). */
export const sqliteStore: StoreKind = {
  name: 'sqlite',
  skip: async () => false,
  async open(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
    const file = join(dir, 'gatehouse.db');
    const storage = openStorage(`sqlite:${file}`, options);
    await storage.migrate();
    // A read-only connection of its own (WAL: it sees every committed transaction, and takes no write lock).
    let reader: BetterSqlite3.Database | undefined;
    return {
      storage,
      async snapshot() {
        reader ??= new BetterSqlite3(file, { readonly: true });
        const tables = reader.prepare(`select name from sqlite_master where type = 'table' order by name`).all() as Array<{ name: string }>;
        const snapshot: StoreSnapshot = {};
        for (const { name } of tables) {
          snapshot[name] = canonicalRows(reader.prepare(`select * from "${name}"`).all() as Array<Record<string, unknown>>);
        }
        return snapshot;
      },
      async dispose() {
        reader?.close();
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** PostgreSQL in a fresh schema of the test database, dropped afterwards, so parallel suites never meet. */
export const postgresStore: StoreKind = {
  name: 'postgres',
  skip: () => unavailable('PostgreSQL'),
  async open(options = {}) {
    const schema = `gh_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create schema ${schema}`);
    const storage = openStorage(POSTGRES_URL, { ...options, schema });
    // A connection of its own for snapshots, opened on first use.
    let reader: pg.Client | undefined;
    const dispose = async () => {
      await reader?.end();
      await storage.close();
      await adminQuery(`drop schema ${schema} cascade`);
    };
    await storage.migrate().catch(async (err) => {
      await dispose();
      throw err;
    });
    const snapshot = async (): Promise<StoreSnapshot> => {
      if (!reader) {
        reader = new pg.Client({ connectionString: POSTGRES_URL });
        await reader.connect();
      }
      const tables = await reader.query<{ name: string }>(
        `select table_name as name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by 1`,
        [schema],
      );
      // One round trip: each table's rows as a JSON array (bigint columns arrive as JSON numbers, as the store reads them).
      const columns = tables.rows.map(({ name }, i) => `(select coalesce(json_agg(t), '[]') from ${schema}."${name}" t) as t${i}`);
      const [row] = (await reader.query<Record<string, Array<Record<string, unknown>>>>(`select ${columns.join(', ')}`)).rows;
      const result: StoreSnapshot = {};
      tables.rows.forEach(({ name }, i) => {
        result[name] = canonicalRows(row![`t${i}`]!);
      });
      return result;
    };
    return { storage, snapshot, dispose };
  },
};

export const STORE_KINDS: readonly StoreKind[] = [sqliteStore, postgresStore];

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** An enabled, ordinary user row with a placeholder password hash, for storage tests. */
export function testUser(fields: Pick<User, 'zuid' | 'email' | 'createdAt'>): User {
  return {
    ...fields,
    passwordHash: '$argon2id$fake',
    firstName: 'Ann',
    lastName: 'Lee',
    displayName: 'Ann Lee',
    isAdmin: false,
    mustChangePassword: false,
    disabled: false,
  };
}
