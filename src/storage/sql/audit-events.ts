import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, AuditEventRepository, AuditQuery, StoredAuditEvent } from '../../core/audit/audit-log.js';
import type { AuditEventsTable, Database } from './schema.js';

export class SqlAuditEventRepository implements AuditEventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(event: AuditEvent): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        at: event.at,
        type: event.type,
        actor_kind: event.actor.kind,
        actor_id: event.actor.id,
        actor_name: event.actor.name,
        user_zuid: event.userZuid,
        client_id: event.clientId,
        subject: event.subject,
        address: event.address,
        outcome: event.outcome,
        detail: event.detail,
      })
      .execute();
  }

  async list(query: AuditQuery): Promise<StoredAuditEvent[]> {
    let select = this.db.selectFrom('audit_events').selectAll();
    if (query.type !== undefined) select = select.where('type', '=', query.type);
    const { userZuid } = query;
    if (userZuid !== undefined) select = select.where((eb) => eb.or([eb('user_zuid', '=', userZuid), eb('actor_id', '=', userZuid)]));
    if (query.clientId !== undefined) select = select.where('client_id', '=', query.clientId);
    if (query.since !== undefined) select = select.where('at', '>=', query.since);
    if (query.until !== undefined) select = select.where('at', '<', query.until);
    if (query.beforeId !== undefined) select = select.where('seq', '<', query.beforeId);
    const rows = await select.orderBy('seq', 'desc').limit(query.limit).execute();
    return rows.map(toStoredEvent);
  }

  async deleteOlderThan(before: number): Promise<number> {
    const result = await this.db.deleteFrom('audit_events').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toStoredEvent(row: Selectable<AuditEventsTable>): StoredAuditEvent {
  return {
    id: Number(row.seq),
    at: Number(row.at),
    type: row.type as StoredAuditEvent['type'],
    actor: { kind: row.actor_kind as StoredAuditEvent['actor']['kind'], id: row.actor_id, name: row.actor_name },
    userZuid: row.user_zuid,
    clientId: row.client_id,
    subject: row.subject,
    address: row.address,
    outcome: row.outcome as StoredAuditEvent['outcome'],
    detail: row.detail,
  };
}
