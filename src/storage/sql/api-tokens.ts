import type { Kysely, Selectable } from 'kysely';
import { DuplicateError } from '../../core/errors/duplicate-error.js';
import type { ApiToken, ApiTokenRepository } from '../../core/api-tokens/api-token-repository.js';
import { uniqueViolation } from './errors.js';
import type { ApiTokensTable, Database } from './schema.js';

export class SqlApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(token: ApiToken): Promise<void> {
    try {
      await this.db
        .insertInto('api_tokens')
        .values({ id: token.id, user_zuid: token.userZuid, name: token.name, created_at: token.createdAt })
        .execute();
    } catch (err) {
      const constraint = uniqueViolation(err);
      if (constraint !== undefined) throw new DuplicateError(constraint.includes('name') ? 'name' : 'id');
      throw err;
    }
  }

  async find(id: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApiToken(row);
  }

  async listForUser(userZuid: string): Promise<ApiToken[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('user_zuid', '=', userZuid).orderBy('name').execute();
    return rows.map(toApiToken);
  }

  async delete(userZuid: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('api_tokens').where('user_zuid', '=', userZuid).where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteForUser(userZuid: string): Promise<number> {
    const result = await this.db.deleteFrom('api_tokens').where('user_zuid', '=', userZuid).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return { id: row.id, userZuid: row.user_zuid, name: row.name, createdAt: Number(row.created_at) };
}
