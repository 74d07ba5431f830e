import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Teardown } from './teardown.js';

/** Where a benchmarked Gatehouse keeps its data: what its child process opens (`openStorage(url, { schema })`). */
export interface StoreLocation {
  url: string;
  schema?: string;
}

/** A fresh store the bench made for one deployment, removed when the suite ends, and rows written into it directly. */
export interface BenchDatabase {
  kind: 'SQLite' | 'PostgreSQL';
  location: StoreLocation;
  /** Runs one statement in the store's dialect (parameters numbered: `$1` on PostgreSQL, `?1` on SQLite) through a connection of its own. */
  run(statement: string, parameters: readonly unknown[]): Promise<void>;
}

export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A SQLite file in a fresh temporary directory, as `gatehouse serve` opens one (WAL). */
export async function freshSqlite(teardown: Teardown): Promise<BenchDatabase> {
  const directory = await mkdtemp(join(tmpdir(), 'gatehouse-bench-'));
  teardown.add('remove the temp directory', () => rm(directory, { recursive: true, force: true }));
  const path = join(directory, 'gatehouse.db');
  return {
    kind: 'SQLite',
    location: { url: `sqlite:${path}` },
    async run(statement, parameters) {
      const database = new BetterSqlite3(path);
      try {
        database.pragma('busy_timeout = 30000');
        // 256 MiB of page cache (the default is 2 MiB): a million random keys' index pages stay in memory while seeding.
        database.pragma('cache_size = -262144');
        // better-sqlite3 binds numbered parameters (`?1`) by name only.
        database.prepare(statement).run(Object.fromEntries(parameters.map((value, i) => [i + 1, value])));
      } finally {
        database.close();
      }
    },
  };
}

/** A fresh schema of the PostgreSQL database, dropped when the suite ends. */
export async function freshPostgres(teardown: Teardown): Promise<BenchDatabase> {
  const schema = `gh_bench_${randomBytes(6).toString('hex')}`;
  await query(POSTGRES_URL, `create schema ${schema}`, []);
  teardown.add(`drop the schema ${schema}`, () => query(POSTGRES_URL, `drop schema if exists ${schema} cascade`, []));
  return {
    kind: 'PostgreSQL',
    location: { url: POSTGRES_URL, schema },
    run: (statement, parameters) => query(POSTGRES_URL, statement, parameters, schema),
  };
}

async function query(url: string, text: string, parameters: readonly unknown[], schema?: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    await client.query(text, [...parameters]);
  } finally {
    await client.end();
  }
}
