import type { Kysely } from 'kysely';
import type { EndedSession, Session, SessionRepository } from '../../core/sessions/session-repository.js';
import type { Database } from './schema.js';

export class SqlSessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: Session): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: session.id,
        user_zuid: session.userZuid,
        amr: session.amr,
        sid: session.sid,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findLive(id: string, now: number): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
    return (
      row && {
        id: row.id,
        userZuid: row.user_zuid,
        // Sessions from before 0010_mfa were begun with a password.
        amr: row.amr ?? 'pwd',
        sid: row.sid,
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
      }
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteForUser(userZuid: string): Promise<string[]> {
    const rows = await this.db.deleteFrom('sessions').where('user_zuid', '=', userZuid).returning('sid').execute();
    return rows.map((row) => row.sid);
  }

  async deleteExpired(before: number): Promise<EndedSession[]> {
    const rows = await this.db.deleteFrom('sessions').where('expires_at', '<', before).returning(['user_zuid', 'sid']).execute();
    return rows.map((row) => ({ userZuid: row.user_zuid, sid: row.sid }));
  }
}
