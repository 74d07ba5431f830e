import type { StoredAuditEvent } from './audit-log.js';

/** An audit event as the API and `gatehouse audit list --json` show it. */
export function auditEventView(event: StoredAuditEvent) {
  return {
    // When, what, how it ended; then who, about whom, from where.
    at: new Date(event.at).toISOString(),
    type: event.type,
    outcome: event.outcome,
    detail: event.detail,
    actor: event.actor,
    user_zuid: event.userZuid,
    client_id: event.clientId,
    subject: event.subject,
    address: event.address,
  };
}
