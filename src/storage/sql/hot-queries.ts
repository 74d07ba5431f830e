import type { Kysely } from 'kysely';
import { PreparedQuery } from './prepared-query.js';
import type { Client } from '../../core/clients/client.js';
import type { User } from '../../core/users/user.js';
import type { AccessToken, ModuleRecord, RefreshToken } from '../storage.js';
import type { ReadCache } from './read-cache.js';
import type { Database } from './schema.js';

/**
 * The queries every token request or token check runs, compiled once per store (the SQL differs per dialect), and the
 * cache sections their point reads go through. Everything else is built per call; it runs too rarely for that to matter.
 */
export function hotQueries(db: Kysely<Database>, cache: ReadCache) {
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
    insertAccessToken: new PreparedQuery(
      db,
      8,
      (
        db,
        id: string,
        clientId: string,
        userZuid: string,
        scopes: string,
        refreshTokenId: string | null,
        originCodeId: string | null,
        createdAt: number,
        expiresAt: number,
      ) =>
        db.insertInto('access_tokens').values({
          id,
          client_id: clientId,
          user_zuid: userZuid,
          scopes,
          refresh_token_id: refreshTokenId,
          origin_code_id: originCodeId,
          created_at: createdAt,
          expires_at: expiresAt,
        }),
    ),
  };
}

export type HotQueries = ReturnType<typeof hotQueries>;
