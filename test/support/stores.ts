import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { POSTGRES_URL, unavailable } from './services.js';

/** A migrated, empty store and the way to throw it away. */
export interface TestStore {
  storage: Storage;
  dispose(): Promise<void>;
}

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  /** A skip message when the backing service is missing (never in CI). */
  skip(): Promise<string | false>;
  open(): Promise<TestStore>;
}

/** SQLite in a fresh temporary file (WAL, as in production). */
export const sqliteStore: StoreKind = {
  name: 'sqlite',
  skip: async () => false,
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
    const storage = openStorage(`sqlite:${join(dir, 'gatehouse.db')}`);
    await storage.migrate();
    return {
      storage,
      async dispose() {
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
  async open() {
    const schema = `gh_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create schema ${schema}`);
    const storage = openStorage(POSTGRES_URL, { schema });
    const dispose = async () => {
      await storage.close();
      await adminQuery(`drop schema ${schema} cascade`);
    };
    await storage.migrate().catch(async (err) => {
      await dispose();
      throw err;
    });
    return { storage, dispose };
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
