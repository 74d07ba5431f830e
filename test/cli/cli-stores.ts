import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { POSTGRES_URL, unavailable } from '../support/services.js';

export interface CliStore {
  name: string;
  skip(): Promise<string | false>;
  /** A database URL for a fresh, empty database, and how to remove it. */
  create(): Promise<{ url: string; dispose(): Promise<void> }>;
}

/** The stores the CLI suites run against: each makes a fresh, empty database the CLI names by URL. */
export const CLI_STORES: readonly CliStore[] = [
  {
    name: 'sqlite',
    skip: async () => false,
    async create() {
      return { url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'gatehouse-cli-')), 'g.db')}`, dispose: async () => {} };
    },
  },
  {
    name: 'postgres',
    skip: () => unavailable('PostgreSQL'),
    async create() {
      const schema = `gh_test_${randomBytes(6).toString('hex')}`;
      const admin = async (sql: string) => {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(sql).finally(() => c.end());
      };
      await admin(`create schema ${schema}`);
      return {
        url: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        dispose: () => admin(`drop schema ${schema} cascade`),
      };
    },
  },
];
