import type { Kysely, Selectable } from 'kysely';
import { DuplicateError } from '../../core/errors/duplicate-error.js';
import type { DeviceAuthorization, DeviceAuthorizationRepository } from '../../core/device/device-authorization-repository.js';
import { uniqueViolation } from './errors.js';
import type { Database, DeviceAuthorizationsTable } from './schema.js';

export class SqlDeviceAuthorizationRepository implements DeviceAuthorizationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(d: DeviceAuthorization): Promise<void> {
    try {
      await this.db
        .insertInto('device_authorizations')
        .values({
          id: d.id,
          user_code_key: d.userCodeKey,
          client_id: d.clientId,
          scopes: d.scopes,
          offline: d.offline ? 1 : 0,
          status: d.status,
          user_zuid: d.userZuid,
          created_at: d.createdAt,
          expires_at: d.expiresAt,
          last_polled_at: d.lastPolledAt,
          consumed_at: d.consumedAt,
        })
        .execute();
    } catch (err) {
      const constraint = uniqueViolation(err);
      if (constraint !== undefined) throw new DuplicateError(constraint.includes('user_code') ? 'user_code' : 'id');
      throw err;
    }
  }

  async find(id: string): Promise<DeviceAuthorization | undefined> {
    const row = await this.db.selectFrom('device_authorizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDeviceAuthorization(row);
  }

  async findByUserCode(userCodeKey: string): Promise<DeviceAuthorization | undefined> {
    const row = await this.db.selectFrom('device_authorizations').selectAll().where('user_code_key', '=', userCodeKey).executeTakeFirst();
    return row && toDeviceAuthorization(row);
  }

  async decide(userCodeKey: string, status: 'approved' | 'denied', userZuid: string, now: number): Promise<boolean> {
    // One conditional UPDATE: of two answers (two tabs, a replayed form), only the first counts.
    const result = await this.db
      .updateTable('device_authorizations')
      .set({ status, user_zuid: userZuid })
      .where('user_code_key', '=', userCodeKey)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async notePoll(id: string, now: number, minIntervalMs: number): Promise<boolean> {
    // One conditional UPDATE, so that polls racing within an interval cannot all read the old time and all pass.
    const result = await this.db
      .updateTable('device_authorizations')
      .set({ last_polled_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_polled_at', 'is', null), eb('last_polled_at', '<=', now - minIntervalMs)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async consume(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('device_authorizations')
      .set({ consumed_at: now })
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('device_authorizations').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toDeviceAuthorization(row: Selectable<DeviceAuthorizationsTable>): DeviceAuthorization {
  return {
    id: row.id,
    userCodeKey: row.user_code_key,
    clientId: row.client_id,
    scopes: row.scopes,
    offline: row.offline === 1,
    status: row.status as DeviceAuthorization['status'],
    userZuid: row.user_zuid,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    lastPolledAt: row.last_polled_at === null ? null : Number(row.last_polled_at),
    consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
  };
}
