import { CompiledQuery, Migrator, sql, type Kysely } from 'kysely';
import type { CacheInvalidation, Repositories, Storage, Transaction } from '../../core/store.js';
import type { RecordRepository } from '../../resources/record-repository.js';
import { AccessTokenBatch } from './access-token-batch.js';
import { SqlApiTokenRepository } from './api-tokens.js';
import { SqlAuditEventRepository } from './audit-events.js';
import { SqlClientRepository } from './clients.js';
import { SqlCodeRepository } from './codes.js';
import { hotQueries, type HotQueries } from './hot-queries.js';
import { SqlClientRegistrationRepository, SqlInitialAccessTokenRepository } from './registrations.js';
import { migrationProvider, type Dialect } from './migrations.js';
import { NEVER_CACHE, ReadCache, type ChangeSignal } from './read-cache.js';
import type { Database } from './schema.js';
import type { StoreObserver } from '../store-observer.js';
import { SqlConsentRepository } from './consents.js';
import { SqlDeviceAuthorizationRepository } from './device-authorizations.js';
import { SqlFactorRepository } from './factors.js';
import { SqlPasskeyChallengeRepository, SqlPasskeyRepository } from './passkeys.js';
import { SqlInteractionRepository } from './interactions.js';
import { SqlPushedRequestRepository } from './pushed-requests.js';
import { SqlOrganisationRepository } from './organisations.js';
import { SqlRecordRepository } from './records.js';
import { SqlSessionRepository } from './sessions.js';
import { SqlSettingsRepository } from './settings.js';
import { SqlSigningKeyRepository } from './signing-keys.js';
import { SqlTokenRepository } from './tokens.js';
import { SqlUserRepository } from './users.js';

function repositories(db: Kysely<Database>, hot: HotQueries): Repositories {
  return {
    users: new SqlUserRepository(db, hot),
    clients: new SqlClientRepository(db, hot),
    codes: new SqlCodeRepository(db),
    tokens: new SqlTokenRepository(db, hot),
    sessions: new SqlSessionRepository(db),
    consents: new SqlConsentRepository(db),
    interactions: new SqlInteractionRepository(db),
    pushedRequests: new SqlPushedRequestRepository(db),
    deviceAuthorizations: new SqlDeviceAuthorizationRepository(db),
    signingKeys: new SqlSigningKeyRepository(db),
    settings: new SqlSettingsRepository(db),
    apiTokens: new SqlApiTokenRepository(db),
    factors: new SqlFactorRepository(db),
    passkeys: new SqlPasskeyRepository(db),
    passkeyChallenges: new SqlPasskeyChallengeRepository(db),
    auditEvents: new SqlAuditEventRepository(db),
    organisations: new SqlOrganisationRepository(db),
  };
}

/**
 * Rows a purge deletes per statement on SQLite, where a statement holds the server's one thread until it ends: a sweep
 * of a quarter of a million expired tokens in one statement stopped every request for about six seconds (`npm run
 * bench -- --only purge`). In batches, requests are answered in between.
 */
const SQLITE_PURGE_BATCH = 1_000;

/** Kysely's record of the migrations run; its presence is what tells a Gatehouse database from an empty one. */
const MIGRATION_TABLE = 'gatehouse_migration';

/** The one Storage implementation (and the sample APIs' record store); the dialect decides only connection set-up, migrations' spelling and locking. */
export class SqlStorage implements Storage {
  readonly users: Repositories['users'];
  readonly clients: Repositories['clients'];
  readonly codes: Repositories['codes'];
  readonly tokens: Repositories['tokens'];
  readonly settings: Repositories['settings'];
  readonly sessions: Repositories['sessions'];
  readonly consents: Repositories['consents'];
  readonly interactions: Repositories['interactions'];
  readonly pushedRequests: Repositories['pushedRequests'];
  readonly deviceAuthorizations: Repositories['deviceAuthorizations'];
  readonly signingKeys: Repositories['signingKeys'];
  /** The sample APIs' records: never written in a transaction, so outside `Repositories`. */
  readonly records: RecordRepository;
  readonly apiTokens: Repositories['apiTokens'];
  readonly cacheInvalidation: CacheInvalidation | undefined;
  readonly factors: Repositories['factors'];
  readonly passkeys: Repositories['passkeys'];
  readonly passkeyChallenges: Repositories['passkeyChallenges'];
  readonly auditEvents: Repositories['auditEvents'];
  readonly registrations: SqlClientRegistrationRepository;
  readonly initialAccessTokens: SqlInitialAccessTokenRepository;
  readonly organisations: Repositories['organisations'];
  private readonly hot: HotQueries;
  /**
   * PostgreSQL transactions' queries, which neither use nor fill the read cache: a read after `lock` must see the rows
   * as they are now, and a row this transaction changed must not be served to others before it commits (or after it
   * rolls back). SQLite's signal already says "do not cache" while its one connection is inside a transaction.
   */
  private readonly uncachedHot: HotQueries;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    private readonly options: {
      /** The PostgreSQL schema the store lives in, when not the default. */
      schema?: string;
      /** When the data may have changed, for the read cache. */
      changes: ChangeSignal;
      /** How other nodes' changes reach `changes`, when through a channel that can drop (PostgreSQL). */
      cacheInvalidation?: CacheInvalidation;
      /** Called after the connection is closed (SQLite: stop the checkpointer; PostgreSQL: the listener). */
      onClose?: () => Promise<void>;
      /** Told of cache hits and commit groups, when the store is watched (the metrics). */
      observer?: StoreObserver;
    },
  ) {
    this.hot = hotQueries(db, new ReadCache(options.changes, undefined, options.observer), dialect);
    this.uncachedHot = dialect === 'postgres' ? hotQueries(db, new ReadCache(NEVER_CACHE), dialect) : this.hot;
    this.cacheInvalidation = options.cacheInvalidation;
    const repos = repositories(db, this.hot);
    this.users = repos.users;
    this.clients = repos.clients;
    this.codes = repos.codes;
    this.tokens = this.tokensSharingCommits(repos.tokens as SqlTokenRepository);
    this.sessions = repos.sessions;
    this.consents = repos.consents;
    this.interactions = repos.interactions;
    this.pushedRequests = repos.pushedRequests;
    this.deviceAuthorizations = repos.deviceAuthorizations;
    this.signingKeys = repos.signingKeys;
    this.records = new SqlRecordRepository(db, this.hot, dialect);
    this.settings = repos.settings;
    this.apiTokens = repos.apiTokens;
    this.factors = repos.factors;
    this.passkeys = repos.passkeys;
    this.passkeyChallenges = repos.passkeyChallenges;
    this.auditEvents = repos.auditEvents;
    this.registrations = new SqlClientRegistrationRepository(db, this.hot);
    this.initialAccessTokens = new SqlInitialAccessTokenRepository(db);
    this.organisations = repos.organisations;
  }

  /**
   * The store's own token repository: an access token stored outside a transaction shares its commit with the others
   * of the same turn (SQLite: the commit group; PostgreSQL: one multi-row insert). Most of a client_credentials
   * request's cost was its own commit and round trips.
   */
  private tokensSharingCommits(single: SqlTokenRepository): SqlTokenRepository {
    if (this.dialect === 'sqlite') {
      return new SqlTokenRepository(this.db, this.hot, {
        storeAccessToken: (token) => this.transaction((tx) => tx.tokens.createAccessToken(token)),
        purgeBatchRows: SQLITE_PURGE_BATCH,
      });
    }
    const batch = new AccessTokenBatch(
      this.db,
      (token) => single.insertAccessToken(token),
      (work) => this.trackUnderway(work),
    );
    // PostgreSQL deletes while it answers other connections, and a statement per 1,000 rows made a sweep 30× longer.
    return new SqlTokenRepository(this.db, this.hot, { storeAccessToken: (token) => batch.add(token), purgeBatchRows: undefined });
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return this.groupedTransaction(fn);
    const done = this.db.transaction().execute((trx) => fn({ ...repositories(trx, this.uncachedHot), lock: (key) => this.lock(trx, key) }));
    // Tracked like a SQLite group, so that `close` lets it finish: ending the pool under it would leave it unanswered.
    this.trackUnderway(
      done.then(
        () => {},
        () => {},
      ),
    );
    return done;
  }

  /**
   * SQLite transactions are committed in groups. Every commit writes the pages it dirtied to the WAL, and concurrent
   * token requests dirty the same few pages (the table's last page, the time-ordered indexes); one COMMIT for all the
   * transactions that arrived in the same turn of the event loop writes them once. Each transaction runs in its own
   * SAVEPOINT, so one that fails is rolled back alone; the others are answered only after the shared COMMIT, so no
   * caller sees a result the store does not hold.
   *
   * BEGIN IMMEDIATE takes the write lock up front. A deferred BEGIN that reads and then writes cannot wait for a lock
   * another connection holds (the checkpointer's): SQLite answers SQLITE_BUSY at once rather than risk a deadlock.
   */
  private pending: Array<{ fn: (tx: Transaction) => Promise<unknown>; resolve(value: unknown): void; reject(err: unknown): void }> = [];

  /**
   * Transactions under way (SQLite: groups waiting for their turn or committing); `close` waits for them, so no caller
   * is left without an answer.
   */
  private readonly underway = new Set<Promise<void>>();

  /** Holds `work` (which never rejects) in `underway` until it settles. */
  private trackUnderway(work: Promise<void>): void {
    this.underway.add(work);
    void work.then(() => this.underway.delete(work));
  }

  private groupedTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) this.trackUnderway(new Promise<void>((committed) => this.commitAfterTurn(1, 0, committed)));
    });
  }

  /**
   * Extra turns of the event loop a group may wait while it keeps growing. Under load, requests arrive a few at a time;
   * committing at the first turn made many groups of one or two, each paying for a whole commit. One more turn while
   * more keep coming (never for a lone transaction) made the groups larger: client_credentials +17%, and about 12%
   * less CPU per token, measured in alternation in one process.
   */
  private static readonly EXTRA_TURNS_WHILE_GROWING = 1;

  /** Commits the pending group after this turn of the event loop, or after the next if it grew meanwhile. */
  private commitAfterTurn(sizeBefore: number, extraTurns: number, committed: () => void): void {
    setImmediate(() => {
      if (this.pending.length > sizeBefore && extraTurns < SqlStorage.EXTRA_TURNS_WHILE_GROWING) {
        this.commitAfterTurn(this.pending.length, extraTurns + 1, committed);
      } else {
        void this.commitGroup().finally(committed);
      }
    });
  }

  /** The group's transaction control, compiled once: it runs around every token request. */
  private static readonly GROUP = {
    begin: CompiledQuery.raw('begin immediate'),
    savepoint: CompiledQuery.raw('savepoint grouped'),
    release: CompiledQuery.raw('release grouped'),
    rollbackTo: CompiledQuery.raw('rollback to grouped'),
    commit: CompiledQuery.raw('commit'),
    rollback: CompiledQuery.raw('rollback'),
  };

  private async commitGroup(): Promise<void> {
    const { begin, savepoint, release, rollbackTo, commit, rollback } = SqlStorage.GROUP;
    const group = this.pending;
    this.pending = [];
    this.options.observer?.groupCommitted(group.length);
    const settle: Array<() => void> = [];
    try {
      await this.db.connection().execute(async (connection) => {
        // One connection behind a mutex: transactions are serial already, so `lock` has nothing left to do.
        const tx: Transaction = { ...repositories(connection, this.hot), lock: async () => {} };
        await connection.executeQuery(begin);
        try {
          for (const { fn, resolve, reject } of group) {
            await connection.executeQuery(savepoint);
            try {
              const value = await fn(tx);
              await connection.executeQuery(release);
              settle.push(() => resolve(value));
            } catch (err) {
              await connection.executeQuery(rollbackTo);
              await connection.executeQuery(release);
              settle.push(() => reject(err));
            }
          }
          await connection.executeQuery(commit);
        } catch (err) {
          await connection.executeQuery(rollback).catch(() => {});
          throw err;
        }
      });
    } catch (err) {
      for (const { reject } of group) reject(err);
      return;
    }
    for (const answer of settle) answer();
  }

  private async lock(trx: Kysely<Database>, key: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  }

  async migrate(): Promise<void> {
    const schema = await this.migrationSchema();
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.dialect),
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: 'gatehouse_migration_lock',
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }

  async hasSchema(): Promise<boolean> {
    const schema = await this.migrationSchema();
    const found =
      schema === undefined
        ? sql`select 1 from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`
        : sql`select 1 from information_schema.tables where table_schema = ${schema} and table_name = ${MIGRATION_TABLE}`;
    return (await found.execute(this.db)).rows.length > 0;
  }

  /**
   * Where the migration tables are. Kysely looks for them in every schema unless told which one; another schema's tables
   * (a second deployment, a test run) would make it skip creating this one's. The schema in force is search_path's first.
   */
  private async migrationSchema(): Promise<string | undefined> {
    return this.options.schema ?? (this.dialect === 'postgres' ? await this.currentSchema() : undefined);
  }

  private async currentSchema(): Promise<string> {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db);
    return rows[0]!.schema;
  }

  /** `select 1`: answers only when a connection can be had and the database runs a statement. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  private closing: Promise<void> | undefined;

  /**
   * Once only (shutdown may close a store that a failed start closed already). A group of transactions accepted before
   * the close is committed first: its callers were promised an answer, and a 200 must mean the token is stored.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      while (this.underway.size > 0) await Promise.all(this.underway);
      await this.db.destroy();
      await this.options.onClose?.();
    })();
    return this.closing;
  }
}
