import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type Dialect as KyselyDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider, type Dialect } from '../../src/storage/sql/migrations.js';
import { openStorage, type StorageWithRecords } from '../../src/storage/open-storage.js';
import { adminQuery } from '../support/stores.js';
import { POSTGRES_URL, unavailable } from '../support/services.js';
import { registeredAuthMethod } from '../../src/core/clients/client.js';

/** A database at the schema before 0012_client_logout, and how to open it as Gatehouse does and to throw it away. */
interface OldDatabase {
  dialect: Dialect;
  kysely: KyselyDialect;
  migrationSchema?: string;
  open(): StorageWithRecords;
  dispose(): Promise<void>;
}

const DATABASES: Array<{ name: Dialect; skip(): Promise<string | false>; make(): Promise<OldDatabase> }> = [
  {
    name: 'sqlite',
    skip: async () => false,
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-0012-'));
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

for (const database of DATABASES) {
  describe(`migration 0012_client_logout [${database.name}]`, async () => {
    const skip = await database.skip();
    test('sessions live before it get a random sid each and stay signed in; clients get empty logout fields', { skip }, async () => {
      const old = await database.make();
      try {
        const db = new Kysely<any>({ dialect: old.kysely });
        const all = await migrationProvider(old.dialect).getMigrations();
        const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0012'));
        const migrator = new Migrator({
          db,
          provider: { getMigrations: async () => before },
          migrationTableName: 'gatehouse_migration',
          migrationLockTableName: 'gatehouse_migration_lock',
          ...(old.migrationSchema ? { migrationTableSchema: old.migrationSchema } : {}),
        });
        const { error } = await migrator.migrateToLatest();
        assert.equal(error, undefined);
        const now = Date.now();
        await sql`insert into users (zuid, email, password_hash, first_name, last_name, display_name, is_admin, must_change_password, created_at)
          values ('100000000001', 'old@example.com', 'x', 'O', 'L', 'O L', 0, 0, ${now})`.execute(db);
        for (const id of ['a'.repeat(64), 'b'.repeat(64)]) {
          await sql`insert into sessions (id, user_zuid, created_at, expires_at, amr) values (${id}, '100000000001', ${now}, ${now + 60_000}, 'pwd')`.execute(
            db,
          );
        }
        await sql`insert into clients (client_id, owner_zuid, type, name, homepage, redirect_uris, js_domains, secret_hash, created_at, updated_at)
          values ('1000.OLDCLIENT000000000000000000000', '100000000001', 'server', 'Old', 'https://old.example', '["https://old.example/cb"]', '[]', 'h', ${now}, ${now})`.execute(
          db,
        );
        await sql`insert into access_tokens (id, client_id, user_zuid, scopes, refresh_token_id, origin_code_id, created_at, expires_at)
          values ('old-access-token', '1000.OLDCLIENT000000000000000000000', '100000000001', 'ZohoCRM.modules.ALL', null, null, ${now}, ${now + 60_000})`.execute(
          db,
        );
        await db.destroy();

        const storage = old.open();
        try {
          await storage.migrate();
          const [a, b] = [await storage.sessions.findLive('a'.repeat(64), now), await storage.sessions.findLive('b'.repeat(64), now)];
          assert.match(a!.sid, /^[0-9a-f]{32}$/);
          assert.match(b!.sid, /^[0-9a-f]{32}$/);
          assert.notEqual(a!.sid, b!.sid);
          const client = (await storage.clients.find('1000.OLDCLIENT000000000000000000000'))!;
          assert.deepEqual(
            [client.postLogoutRedirectUris, client.backchannelLogoutUri, client.backchannelLogoutSessionRequired],
            [[], null, false],
          );
          // 0020_jwt_access_tokens: a client from before is opaque, and a token from before is unrestricted.
          assert.equal(client.accessTokenFormat, 'opaque');
          const token = (await storage.tokens.findAccessToken('old-access-token'))!;
          assert.equal(token.scopes, 'ZohoCRM.modules.ALL');
          assert.equal('audience' in token, false);
          assert.deepEqual(
            [client.idTokenSignedResponseAlg, client.userinfoSignedResponseAlg],
            ['RS256', null],
            'and 0022_signing_algorithms keeps RS256 id_tokens and plain JSON userinfo for it',
          );
          // 0019_client_jwt: a client from before it authenticates with its secret, has no keys, and signs nothing.
          assert.equal(registeredAuthMethod(client), 'client_secret_basic');
          assert.deepEqual(
            [client.tokenEndpointAuthMethod, client.jwks, client.jwksUri, client.requireSignedRequestObject, client.sealedSecret],
            [undefined, undefined, undefined, undefined, undefined],
          );
        } finally {
          await storage.close();
        }
      } finally {
        await old.dispose();
      }
    });
  });
}
