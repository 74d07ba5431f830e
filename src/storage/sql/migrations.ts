import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, shared by both dialects. Add a new entry for every schema change; never edit a released one.
 * Where the dialects differ (only the auto-increment column so far), the migration branches on `dialect`.
 */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001_initial': { up: (db) => initial(db, dialect) },
    '0002_user_side': { up: (db) => userSide(db) },
    '0003_signing_keys': { up: (db) => signingKeys(db) },
    '0004_records': { up: (db) => records(db) },
    '0005_api_tokens': { up: (db) => apiTokens(db) },
    '0006_device_authorizations': { up: (db) => deviceAuthorizations(db) },
    '0007_user_disabled': { up: (db) => userDisabled(db) },
    '0008_audit_events': { up: (db) => auditEvents(db, dialect) },
    '0009_change_notify': { up: (db) => (dialect === 'postgres' ? changeNotify(db) : Promise.resolve()) },
    '0010_mfa': { up: (db) => mfa(db) },
    '0011_passkeys': { up: (db) => passkeys(db) },
    '0012_client_logout': { up: (db) => clientLogout(db, dialect) },
    '0013_multi_dc': { up: (db) => multiDc(db) },
    '0014_incremental': { up: (db) => incremental(db) },
    '0015_records': { up: (db) => recordPages(db) },
    '0016_oidc_auth': { up: (db) => oidcAuth(db) },
    '0018_dpop': { up: (db) => dpop(db) },
    '0019_client_jwt': { up: (db) => clientJwt(db) },
    '0020_jwt_access_tokens': { up: (db) => jwtAccessTokens(db) },
    '0021_registration': { up: (db) => registration(db, dialect) },
    '0022_signing_algorithms': { up: (db) => signingAlgorithms(db) },
    '0023_organisations': { up: (db) => organisations(db) },
    // Numbered after the others: a database already past 0018 would refuse a new 0017 as out of order.
    '0024_par': { up: (db) => pushedRequests(db) },
    '0025_org_grants': { up: (db) => orgGrants(db) },
    '0026_refresh_sign_in': { up: (db) => refreshSignIn(db) },
  };
  return { getMigrations: async () => migrations };
}

/** A table whose first column is an insertion-order key (auto-increment is spelled differently per dialect). */
function tableWithSeq(db: Kysely<any>, dialect: Dialect, name: string) {
  const table = db.schema.createTable(name);
  return dialect === 'postgres'
    ? table.addColumn('seq', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
}

async function initial(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('zuid', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('owner_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('homepage', 'text')
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('js_domains', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('clients_by_owner').on('clients').column('owner_zuid').execute();
  // One Self Client per user account (spec §1.1).
  await db.schema
    .createIndex('clients_one_self_client_per_owner')
    .on('clients')
    .column('owner_zuid')
    .unique()
    .where(sql.ref('type'), '=', 'self')
    .execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text')
    .addColumn('code_challenge', 'text')
    .addColumn('code_challenge_method', 'text')
    .addColumn('nonce', 'text')
    .addColumn('offline', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema.createIndex('codes_by_client_time').on('authorization_codes').columns(['client_id', 'created_at']).execute();
  await db.schema.createIndex('codes_by_expiry').on('authorization_codes').column('expires_at').execute();

  await tableWithSeq(db, dialect, 'refresh_tokens')
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('origin_code_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refresh_tokens_by_pair').on('refresh_tokens').columns(['user_zuid', 'client_id']).execute();
  // Partial indexes: most tokens have no origin code (client_credentials, refresh-issued) or no refresh token, and an
  // index entry per NULL would cost every insert on the token endpoint's hot path for nothing.
  await db.schema
    .createIndex('refresh_tokens_by_code')
    .on('refresh_tokens')
    .column('origin_code_id')
    .where(sql.ref('origin_code_id'), 'is not', null)
    .execute();

  await tableWithSeq(db, dialect, 'access_tokens')
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('refresh_token_id', 'text')
    .addColumn('origin_code_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_tokens_by_refresh_token')
    .on('access_tokens')
    .column('refresh_token_id')
    .where(sql.ref('refresh_token_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('access_tokens_by_code')
    .on('access_tokens')
    .column('origin_code_id')
    .where(sql.ref('origin_code_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('access_tokens_by_pair').on('access_tokens').columns(['user_zuid', 'client_id']).execute();
  await db.schema.createIndex('access_tokens_by_expiry').on('access_tokens').column('expires_at').execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

/** Sessions, consents and the one-time consent interactions of the authorization endpoint. */
async function userSide(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_by_expiry').on('sessions').column('expires_at').execute();

  // A consent's scopes are rows, so adding scopes is an idempotent insert: concurrent grants cannot lose each other's.
  await db.schema
    .createTable('consents')
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('first_granted_at', 'bigint', (c) => c.notNull())
    .addColumn('last_granted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('consents_pk', ['user_zuid', 'client_id'])
    .execute();
  await db.schema
    .createTable('consent_scopes')
    .addColumn('user_zuid', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('consent_scopes_pk', ['user_zuid', 'client_id', 'scope'])
    .addForeignKeyConstraint('consent_scopes_consent', ['user_zuid', 'client_id'], 'consents', ['user_zuid', 'client_id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('interactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema.createIndex('interactions_by_expiry').on('interactions').column('expires_at').execute();
}

/** The keys that sign OpenID Connect id_tokens. */
async function signingKeys(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
}

/** The sample CRM and FSM APIs' records: one table, a module column, field values as JSON. */
async function records(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('owner_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('records_by_owner_module').on('records').columns(['owner_zuid', 'module', 'created_at']).execute();
}

/**
 * Page tokens read on after the last record served, in (sort column, id) order: with these, and the created_at index
 * of 0004, a deep page reads its own rows, not all of the owner's module before them.
 */
async function recordPages(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('records_by_owner_module_id').on('records').columns(['owner_zuid', 'module', 'id']).execute();
  await db.schema.createIndex('records_by_owner_module_modified').on('records').columns(['owner_zuid', 'module', 'modified_at']).execute();
}

async function apiTokens(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('api_tokens_name_per_user', ['user_zuid', 'name'])
    .execute();
}

/** The device authorization grant (RFC 8628): one row per device code, until it expires. */
async function deviceAuthorizations(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('device_authorizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_code_key', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('offline', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('user_zuid', 'text', (c) => c.references('users.zuid').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_polled_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema.createIndex('device_authorizations_by_expiry').on('device_authorizations').column('expires_at').execute();
}

/** Administrators disable accounts: a disabled user cannot sign in, and no token is issued for them. */
async function userDisabled(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

/**
 * The tables whose rows the read cache holds (PostgreSQL only; SQLite is one process's file, see
 * sqlite-change-signal.ts). A delete cascading into one of them fires its own trigger.
 */
const CACHED_TABLES = ['users', 'clients', 'access_tokens', 'refresh_tokens', 'records'];

/**
 * Every UPDATE, DELETE or TRUNCATE of a cached table notifies the schema's channel (`CHANGE_CHANNEL_SQL` in
 * pg-change-signal.ts), which every node LISTENs to: each then forgets what it read. Once per statement, not per row,
 * and PostgreSQL folds a transaction's identical notifications into one, delivered at commit. Plain INSERTs notify
 * nobody: the cache holds only rows that exist, and the token endpoint's inserts must not empty every node's cache.
 */
async function changeNotify(db: Kysely<any>): Promise<void> {
  await sql`
    create function gatehouse_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify(left('gatehouse_changes:' || tg_table_schema, 63), '');
      return null;
    end $$`.execute(db);
  for (const table of CACHED_TABLES) {
    await sql`
      create trigger notify_change after update or delete or truncate on ${sql.table(table)}
      for each statement execute function gatehouse_notify_change()`.execute(db);
  }
}

/**
 * The audit log. No foreign keys: an event outlives the user or client it names. `seq` orders the events and is what
 * the API's cursor carries; the time index serves retention and the time filters.
 */
async function auditEvents(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await tableWithSeq(db, dialect, 'audit_events')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('user_zuid', 'text')
    .addColumn('client_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('address', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_events_by_time').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_by_user').on('audit_events').columns(['user_zuid', 'seq']).execute();
  await db.schema.createIndex('audit_events_by_actor').on('audit_events').columns(['actor_id', 'seq']).execute();
  await db.schema.createIndex('audit_events_by_client').on('audit_events').columns(['client_id', 'seq']).execute();
  await db.schema.createIndex('audit_events_by_type').on('audit_events').columns(['type', 'seq']).execute();
}

/**
 * Second factors: one authenticator app per user (its secret sealed) and single-use recovery codes (keyed hashes); how
 * a session signed in (`amr`), carried by the codes it approves into the id_token.
 */
async function mfa(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('amr', 'text').execute();
  await db.schema.alterTable('authorization_codes').addColumn('amr', 'text').execute();
  await db.schema
    .createTable('mfa_totp')
    .addColumn('user_zuid', 'text', (c) => c.primaryKey().references('users.zuid').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('last_step', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mfa_recovery_codes')
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('mfa_recovery_codes_pk', ['user_zuid', 'code_hash'])
    .execute();
}

/**
 * OpenID Connect logout: each client's post-logout redirect URIs and back-channel logout URI; each session's public
 * `sid` (sessions live then get a random one, so nobody is signed out by the upgrade), and the `sid` a code was
 * approved in, which its id_token names. Client rows are cached per node; 0009's triggers already notify every change
 * to them, new columns included.
 */
async function clientLogout(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('sid', 'text').execute();
  const random = dialect === 'postgres' ? sql`md5(random()::text || clock_timestamp()::text || id)` : sql`lower(hex(randomblob(16)))`;
  await sql`update sessions set sid = ${random}`.execute(db);
  await db.schema
    .alterTable('clients')
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('clients').addColumn('backchannel_logout_uri', 'text').execute();
  await db.schema
    .alterTable('clients')
    .addColumn('backchannel_logout_session_required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('authorization_codes').addColumn('sid', 'text').execute();
}

/**
 * Scope-enhancement tokens (spec §8, incremental authorization): short-lived and single use, bound to the refresh
 * token whose scopes they may widen, so revoking or evicting that token takes them along (the cascade). A table of
 * their own, not a kind of access token: no bearer-token lookup can ever find one.
 */
async function incremental(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scope_enhancement_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('refresh_token_id', 'text', (c) => c.notNull().references('refresh_tokens.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  // The cascade looks tokens up by refresh token on every refresh-token delete (revocation, eviction).
  await db.schema.createIndex('scope_enhancement_tokens_by_refresh').on('scope_enhancement_tokens').column('refresh_token_id').execute();
}

/**
 * Data centres (spec §9): each user's home DC; each client's home DC and the other DCs it is enabled in (a JSON list);
 * and the DC each code and token belongs to, copied from its user when issued, so that the token endpoint and the
 * APIs compare DCs without reading the user. Null everywhere means the primary DC: rows from before multi-DC.
 */
async function multiDc(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('dc', 'text').execute();
  await db.schema.alterTable('clients').addColumn('home_dc', 'text').execute();
  await db.schema
    .alterTable('clients')
    .addColumn('other_dcs', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  for (const table of ['authorization_codes', 'refresh_tokens', 'access_tokens']) {
    await db.schema.alterTable(table).addColumn('dc', 'text').execute();
  }
}

/** When the user behind an authorization code signed in, for the id_token's `auth_time` (OpenID Connect Core §2). */
async function oidcAuth(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('authorization_codes').addColumn('auth_time', 'bigint').execute();
}

/**
 * Passkeys (WebAuthn credentials: public keys and signature counters, nothing secret) and the challenges issued for
 * them, kept in the store so any node can check an answer, each taken once.
 */
async function passkeys(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('passkeys')
    .addColumn('credential_id', 'text', (c) => c.primaryKey())
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('passkeys_by_user').on('passkeys').column('user_zuid').execute();
  await db.schema
    .createTable('passkey_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('user_zuid', 'text', (c) => c.references('users.zuid').onDelete('cascade'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('passkey_challenges_by_expiry').on('passkey_challenges').column('expires_at').execute();
}

/**
 * DPoP (RFC 9449): the key thumbprint a token is bound to (null: a bearer token), and the clients that must always
 * send a proof (`dpop_bound_access_tokens`). Nullable columns read with the rows anyway: an unbound token costs nothing.
 */
async function dpop(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('access_tokens').addColumn('jkt', 'text').execute();
  await db.schema.alterTable('refresh_tokens').addColumn('jkt', 'text').execute();
  await db.schema
    .alterTable('clients')
    .addColumn('dpop_bound_access_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

/**
 * JWT client authentication (RFC 7523) and signed request objects (RFC 9101): how each client authenticates (null:
 * from before the setting, its secret), its public keys inline (a JWK Set, JSON) or by URL, whether its authorization
 * requests must be signed, and the sealed secret a `client_secret_jwt` client's HMACs are checked with.
 */
async function clientJwt(db: Kysely<any>): Promise<void> {
  for (const column of ['token_endpoint_auth_method', 'jwks', 'jwks_uri', 'sealed_secret']) {
    await db.schema.alterTable('clients').addColumn(column, 'text').execute();
  }
  await db.schema
    .alterTable('clients')
    .addColumn('require_signed_request_object', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

/**
 * JWT access tokens (RFC 9068) and resource indicators (RFC 8707): the format each client's access tokens take
 * (`opaque` unless set), the audience an access token is restricted to, and the resources a code or refresh token
 * grants, each a space-separated list of URIs. Null: no restriction, so every existing row reads as before.
 */
async function jwtAccessTokens(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('clients')
    .addColumn('access_token_format', 'text', (c) => c.notNull().defaultTo('opaque'))
    .execute();
  await db.schema.alterTable('access_tokens').addColumn('audience', 'text').execute();
  await db.schema.alterTable('refresh_tokens').addColumn('resources', 'text').execute();
  await db.schema.alterTable('authorization_codes').addColumn('resources', 'text').execute();
}

/**
 * Each client's signing algorithms (OpenID Connect Dynamic Client Registration §2): existing clients keep RS256
 * id_tokens and plain JSON userinfo. The `signing_keys.algorithm` column already names each key's algorithm.
 */
async function signingAlgorithms(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('clients')
    .addColumn('id_token_signed_response_alg', 'text', (c) => c.notNull().defaultTo('RS256'))
    .execute();
  await db.schema.alterTable('clients').addColumn('userinfo_signed_response_alg', 'text').execute();
}

/**
 * Pushed authorization requests (RFC 9126): each waits, validated, under the keyed hash of its request_uri until the
 * browser brings it (taken once) or it expires (swept with the rest). Deleted with their client. And the clients that
 * must push every request (`require_pushed_authorization_requests`).
 */
async function pushedRequests(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pushed_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pushed_requests_by_expiry').on('pushed_requests').column('expires_at').execute();
  // The client's cascade looks its pushed requests up.
  await db.schema.createIndex('pushed_requests_by_client').on('pushed_requests').column('client_id').execute();
  await db.schema
    .alterTable('clients')
    .addColumn('require_pushed_authorization_requests', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

/**
 * Dynamic client registration (RFC 7591/7592). Clients registered openly, or with an initial access token nobody owns,
 * have no owner: `clients.owner_zuid` becomes nullable (administrators see them as "Unowned clients"). The
 * registration-only state lives in a table of its own, so the token endpoint's client row reads nothing new: the
 * registration access token's keyed hash and the metadata Gatehouse keeps but does not enforce (`scope`,
 * `token_endpoint_auth_method`). Initial access tokens are stored as keyed hashes, each used once.
 */
async function registration(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`alter table clients alter column owner_zuid drop not null`.execute(db);
  else await sqliteDropOwnerNotNull(db);
  await db.schema
    .createTable('client_registrations')
    .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.client_id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('initial_access_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull().unique())
    .addColumn('owner_zuid', 'text', (c) => c.references('users.zuid').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('used_at', 'bigint')
    .execute();
}

/**
 * SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt (sqlite.org/lang_altertable.html §7, the
 * twelve steps), from its own stored definition so every column added since 0001 comes along. Foreign keys are off
 * meanwhile, or dropping the old table would cascade into every code, token and consent; SQLite migrations run
 * outside a transaction (Kysely), which is what lets the pragma take effect. The check at the end proves nothing broke.
 */
async function sqliteDropOwnerNotNull(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'clients'`.execute(db);
  const definition = rows[0]!.sql;
  const relaxed = definition
    .replace(/^create table "clients"/i, 'create table "clients_rebuilt"')
    .replace(/"owner_zuid" text not null/i, '"owner_zuid" text');
  if (relaxed === definition || !relaxed.includes('"clients_rebuilt"') || /"owner_zuid" text not null/i.test(relaxed))
    throw new Error('0021_registration: unexpected clients table definition');
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql.raw(relaxed).execute(db);
    await sql`insert into clients_rebuilt select * from clients`.execute(db);
    await sql`drop table clients`.execute(db);
    await sql`alter table clients_rebuilt rename to clients`.execute(db);
    await db.schema.createIndex('clients_by_owner').on('clients').column('owner_zuid').execute();
    await db.schema
      .createIndex('clients_one_self_client_per_owner')
      .on('clients')
      .column('owner_zuid')
      .unique()
      .where(sql.ref('type'), '=', 'self')
      .execute();
    const broken = await sql`pragma foreign_key_check`.execute(db);
    if (broken.rows.length > 0) throw new Error('0021_registration: the rebuilt clients table breaks a foreign key');
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/**
 * Organisations (Zoho's service orgs, spec §2.1 and §3.4) and their members with a role. A member goes with their
 * user, and the members with their organisation (the cascades). The key, (org, user), answers the soid check.
 */
async function organisations(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('dc', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('organisation_members')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('user_zuid', 'text', (c) => c.notNull().references('users.zuid').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organisation_members_pk', ['org_id', 'user_zuid'])
    .execute();
}

/**
 * Org-wide grants (`/oauth/v2/org/auth`, spec §0): a code and the tokens from it name the organisation they act for.
 * Null for every other grant. They go with the organisation (the cascade), not with the administrator's membership:
 * Zoho's tokens "remain valid even if the administrator who authorized it is later removed". The index answers the
 * 20-per-pair limit, the organisation's list of applications and its revocations.
 */
async function orgGrants(db: Kysely<any>): Promise<void> {
  for (const table of ['authorization_codes', 'refresh_tokens', 'access_tokens']) {
    await db.schema
      .alterTable(table)
      .addColumn('org_id', 'text', (c) => c.references('organisations.id').onDelete('cascade'))
      .execute();
  }
  // Partial: a row of a user's own grant (every token the hot path writes, but an org grant's) never touches them.
  for (const table of ['refresh_tokens', 'access_tokens']) {
    await db.schema
      .createIndex(`${table}_by_org`)
      .on(table)
      .columns(['org_id', 'client_id'])
      .where(sql.ref('org_id'), 'is not', null)
      .execute();
  }
}

/**
 * The sign-in a refresh token was granted in (its code's `amr`, `auth_time` and session `sid`), so what a refresh
 * issues says the same as what the code exchange did: OpenID Connect Core §12.2 asks a refreshed id_token's
 * `auth_time` to be "the time of the original authentication", and a JWT access token carries `amr`/`acr` too. Null for
 * refresh tokens of no browser sign-in (Self Client, device flow, seed) and for every one issued before.
 */
async function refreshSignIn(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('refresh_tokens').addColumn('amr', 'text').execute();
  await db.schema.alterTable('refresh_tokens').addColumn('auth_time', 'bigint').execute();
  await db.schema.alterTable('refresh_tokens').addColumn('sid', 'text').execute();
}
