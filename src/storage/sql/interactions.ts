import type { Kysely } from 'kysely';
import type { Interaction, InteractionRepository } from '../../core/authorize/interaction-repository.js';
import type { Database } from './schema.js';

export class SqlInteractionRepository implements InteractionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(i: Interaction): Promise<void> {
    await this.db
      .insertInto('interactions')
      .values({
        id: i.id,
        user_zuid: i.userZuid,
        client_id: i.clientId,
        request: i.request,
        created_at: i.createdAt,
        expires_at: i.expiresAt,
        consumed_at: null,
      })
      .execute();
  }

  async consume(id: string, userZuid: string, now: number): Promise<Interaction | undefined> {
    // Single use, as codes are: one conditional UPDATE decides which of several answers counts.
    const row = await this.db
      .updateTable('interactions')
      .set({ consumed_at: now })
      .where('id', '=', id)
      .where('user_zuid', '=', userZuid)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        userZuid: row.user_zuid,
        clientId: row.client_id,
        request: row.request,
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
      }
    );
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('interactions').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
