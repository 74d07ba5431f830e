import type { Kysely } from 'kysely';
import type { PushedRequest, PushedRequestRepository } from '../../core/par/pushed-request-repository.js';
import type { Database } from './schema.js';

export class SqlPushedRequestRepository implements PushedRequestRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(pushed: PushedRequest): Promise<void> {
    await this.db
      .insertInto('pushed_requests')
      .values({ id: pushed.id, client_id: pushed.clientId, request: pushed.request, expires_at: pushed.expiresAt })
      .execute();
  }

  async take(id: string, clientId: string, now: number): Promise<PushedRequest | undefined> {
    // DELETE … RETURNING is the single-use guarantee on every node: a concurrent take finds no row left to delete.
    // An expired row, or another client's, is left alone (the sweep takes the first; the second is not this caller's).
    const row = await this.db
      .deleteFrom('pushed_requests')
      .where('id', '=', id)
      .where('client_id', '=', clientId)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row && { id: row.id, clientId: row.client_id, request: row.request, expiresAt: Number(row.expires_at) };
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('pushed_requests').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
