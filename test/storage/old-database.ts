import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect as KyselyDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider, type Dialect } from '../../src/storage/sql/migrations.js';
import { openStorage, type StorageWithRecords } from '../../src/storage/open-storage.js';
import { adminQuery } from '../support/stores.js';
import { POSTGRES_URL, unavailable } from '../support/services.js';

/** A database at an older schema, for a migration's test, and how to open it as Gatehouse does and to throw it away. */
export interface OldDatabase {
  dialect: Dialect;
  kysely: KyselyDialect;
  migrationSchema?: string;
  open(): StorageWithRecords;
  dispose(): Promise<void>;
}

export const OLD_DATABASES: Array<{ name: Dialect; skip(): Promise<string | false>; make(): Promise<OldDatabase> }> = [
  {
    name: 'sqlite',
    skip: async () => false,
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-migration-'));
      const file = join(dir, 'g.db');
      return {
        dialect: 'sqlite',
        kysely: new SqliteDialect({ database: new BetterSqlite3(file) }),
        open: () => openStorage(`sqlite:${file}`),
        dispose: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    skip: () => unavailable('PostgreSQL'),
    async make() {
      const schema = `gh_test_${randomBytes(6).toString('hex')}`;
      await adminQuery(`create schema ${schema}`);
      return {
        dialect: 'postgres',
        kysely: new PostgresDialect({ pool: new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` }) }),
        migrationSchema: schema,
        open: () => openStorage(POSTGRES_URL, { schema }),
        dispose: () => adminQuery(`drop schema ${schema} cascade`),
      };
    },
  },
];

/** Runs the migrations named before `first` (by name order) on the old database; returns a Kysely over it. */
export async function migrateBefore(old: OldDatabase, first: string): Promise<Kysely<any>> {
  const db = new Kysely<any>({ dialect: old.kysely });
  const all = await migrationProvider(old.dialect).getMigrations();
  const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < first));
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => before },
    migrationTableName: 'gatehouse_migration',
    migrationLockTableName: 'gatehouse_migration_lock',
    ...(old.migrationSchema ? { migrationTableSchema: old.migrationSchema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  assert.equal(error, undefined);
  return db;
}
