import { sql, type Kysely } from 'kysely';
import { PreparedQuery } from './prepared-query.js';
import type { Client } from '../../core/clients/client.js';
import type { User } from '../../core/users/user.js';
import type { AccessToken, RefreshToken } from '../../core/tokens/token-repository.js';
import type { ModuleRecord } from '../../resources/record-repository.js';
import type { Dialect } from './migrations.js';
import type { ReadCache } from './read-cache.js';
import type { Database } from './schema.js';

/**
 * The queries every token request or token check runs, compiled once per store (the SQL differs per dialect), and the
 * cache sections their point reads go through. Everything else is built per call; it runs too rarely for that to matter.
 */
export function hotQueries(db: Kysely<Database>, cache: ReadCache, dialect: Dialect) {
  return {
    cached: {
      clients: cache.section<Client>(),
      users: cache.section<User>(),
      accessTokens: cache.section<AccessToken>(),
      refreshTokens: cache.section<RefreshToken>(),
      /** By record ID alone: IDs are unique across modules and owners, and a hit is checked against both. */
      records: cache.section<ModuleRecord>(),
    },
    findClient: new PreparedQuery(db, 1, (db, clientId: string) => db.selectFrom('clients').selectAll().where('client_id', '=', clientId)),
    findUser: new PreparedQuery(db, 1, (db, zuid: string) => db.selectFrom('users').selectAll().where('zuid', '=', zuid)),
    findAccessToken: new PreparedQuery(db, 1, (db, id: string) => db.selectFrom('access_tokens').selectAll().where('id', '=', id)),
    findRefreshToken: new PreparedQuery(db, 1, (db, id: string) => db.selectFrom('refresh_tokens').selectAll().where('id', '=', id)),
    // The sample APIs' read of one record: every protected GET /{module}/{id}.
    findRecord: new PreparedQuery(db, 3, (db, id: string, ownerZuid: string, module: string) =>
      db.selectFrom('records').selectAll().where('id', '=', id).where('owner_zuid', '=', ownerZuid).where('module', '=', module),
    ),
    /**
     * `INSERT … SELECT … FROM users`: the token is stored only while its user exists and is enabled, in the same
     * statement (no extra round trip on the token endpoint). PostgreSQL takes a share lock on the user's row, which
     * its foreign key check locks anyway: a concurrent disable waits for this transaction, then revokes its token.
     * The casts type the parameters, which PostgreSQL cannot infer in a SELECT list.
     */
    insertAccessToken: new PreparedQuery(
      db,
      12,
      (
        db,
        id: string,
        clientId: string,
        userZuid: string,
        scopes: string,
        refreshTokenId: string | null,
        originCodeId: string | null,
        jkt: string | null,
        createdAt: number,
        expiresAt: number,
        dc: string | null,
        audience: string | null,
        orgId: string | null,
      ) =>
        db
          .insertInto('access_tokens')
          .columns([
            'id',
            'client_id',
            'user_zuid',
            'scopes',
            'refresh_token_id',
            'origin_code_id',
            'jkt',
            'created_at',
            'expires_at',
            'dc',
            'audience',
            'org_id',
          ])
          .expression(
            db
              .selectFrom('users')
              .select([
                sql<string>`cast(${id} as text)`.as('id'),
                sql<string>`cast(${clientId} as text)`.as('client_id'),
                'zuid',
                sql<string>`cast(${scopes} as text)`.as('scopes'),
                sql<string | null>`cast(${refreshTokenId} as text)`.as('refresh_token_id'),
                sql<string | null>`cast(${originCodeId} as text)`.as('origin_code_id'),
                sql<string | null>`cast(${jkt} as text)`.as('jkt'),
                sql<number>`cast(${createdAt} as bigint)`.as('created_at'),
                sql<number>`cast(${expiresAt} as bigint)`.as('expires_at'),
                sql<string | null>`cast(${dc} as text)`.as('dc'),
                sql<string | null>`cast(${audience} as text)`.as('audience'),
                sql<string | null>`cast(${orgId} as text)`.as('org_id'),
              ])
              .where('zuid', '=', userZuid)
              .where('disabled', '=', 0)
              .$if(dialect === 'postgres', (query) => query.forShare()),
          ),
    ),
  };
}

export type HotQueries = ReturnType<typeof hotQueries>;
