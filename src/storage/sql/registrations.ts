import type { Kysely, Selectable } from 'kysely';
import type { Client } from '../../core/clients/client.js';
import { DuplicateError } from '../../core/errors/duplicate-error.js';
import type {
  ClientRegistration,
  ClientRegistrationRepository,
  InitialAccessToken,
  InitialAccessTokenRepository,
  RegistrationChange,
} from '../../core/registration/registration-repository.js';
import { SqlClientRepository } from './clients.js';
import { uniqueViolation } from './errors.js';
import type { HotQueries } from './hot-queries.js';
import type { Database, InitialAccessTokensTable } from './schema.js';

export class SqlClientRegistrationRepository implements ClientRegistrationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hot: HotQueries,
  ) {}

  async create(client: Client, registration: ClientRegistration): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await new SqlClientRepository(trx, this.hot).create(client);
      await trx
        .insertInto('client_registrations')
        .values({
          client_id: registration.clientId,
          token_hash: registration.tokenHash,
          metadata: JSON.stringify(registration.metadata),
          created_at: registration.createdAt,
        })
        .execute();
    });
  }

  async find(clientId: string): Promise<ClientRegistration | undefined> {
    const row = await this.db.selectFrom('client_registrations').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return (
      row && {
        clientId: row.client_id,
        tokenHash: row.token_hash,
        metadata: JSON.parse(row.metadata) as Record<string, unknown>,
        createdAt: Number(row.created_at),
      }
    );
  }

  async update(clientId: string, change: RegistrationChange): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('client_registrations')
        .set({ token_hash: change.tokenHash, metadata: JSON.stringify(change.metadata) })
        .where('client_id', '=', clientId)
        .where('token_hash', '=', change.expectedTokenHash)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      return new SqlClientRepository(trx, this.hot).updateFields(clientId, change.fields, change.now);
    });
  }
}

export class SqlInitialAccessTokenRepository implements InitialAccessTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(token: InitialAccessToken): Promise<void> {
    try {
      await this.db
        .insertInto('initial_access_tokens')
        .values({
          id: token.id,
          label: token.label,
          owner_zuid: token.ownerZuid,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          used_at: token.usedAt,
        })
        .execute();
    } catch (err) {
      if (uniqueViolation(err) !== undefined) throw new DuplicateError('label');
      throw err;
    }
  }

  async find(id: string): Promise<InitialAccessToken | undefined> {
    const row = await this.db.selectFrom('initial_access_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toInitialAccessToken(row);
  }

  async use(id: string, now: number): Promise<InitialAccessToken | undefined> {
    const row = await this.db
      .updateTable('initial_access_tokens')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .returningAll()
      .executeTakeFirst();
    return row && { ...toInitialAccessToken(row), usedAt: null };
  }

  async list(): Promise<InitialAccessToken[]> {
    const rows = await this.db.selectFrom('initial_access_tokens').selectAll().orderBy('created_at').orderBy('label').execute();
    return rows.map(toInitialAccessToken);
  }

  async delete(label: string): Promise<boolean> {
    const result = await this.db.deleteFrom('initial_access_tokens').where('label', '=', label).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function toInitialAccessToken(row: Selectable<InitialAccessTokensTable>): InitialAccessToken {
  return {
    id: row.id,
    label: row.label,
    ownerZuid: row.owner_zuid,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at),
  };
}
