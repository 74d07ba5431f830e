import { Migrator, sql, type Kysely } from 'kysely';
import type { Repositories, Storage, Transaction } from '../storage.js';
import { SqlClientRepository } from './clients.js';
import { SqlCodeRepository } from './codes.js';
import { migrationProvider, type Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { SqlSettingsRepository } from './settings.js';
import { SqlTokenRepository } from './tokens.js';
import { SqlUserRepository } from './users.js';

function repositories(db: Kysely<Database>): Repositories {
  return {
    users: new SqlUserRepository(db),
    clients: new SqlClientRepository(db),
    codes: new SqlCodeRepository(db),
    tokens: new SqlTokenRepository(db),
    settings: new SqlSettingsRepository(db),
  };
}

/** The one Storage implementation; the dialect decides only connection set-up, migrations' spelling and locking. */
export class SqlStorage implements Storage {
  readonly users;
  readonly clients;
  readonly codes;
  readonly tokens;
  readonly settings;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    /** The PostgreSQL schema the store lives in, when not the default. */
    private readonly schema?: string,
  ) {
    ({ users: this.users, clients: this.clients, codes: this.codes, tokens: this.tokens, settings: this.settings } = repositories(db));
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn({ ...repositories(trx), lock: (key) => this.lock(trx, key) }));
  }

  private async lock(trx: Kysely<Database>, key: string): Promise<void> {
    // SQLite: one connection behind a mutex, so transactions are serial already.
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  }

  async migrate(): Promise<void> {
    // Kysely looks for its migration tables in every schema unless told which one; another schema's tables (a second
    // deployment, a test run) would make it skip creating this one's. The schema in force is search_path's first.
    const schema = this.schema ?? (this.dialect === 'postgres' ? await this.currentSchema() : undefined);
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.dialect),
      migrationTableName: 'gatehouse_migration',
      migrationLockTableName: 'gatehouse_migration_lock',
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }

  private async currentSchema(): Promise<string> {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db);
    return rows[0]!.schema;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
