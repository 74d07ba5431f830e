import { auditEventView } from '../../core/audit/audit-event-view.js';
import { listAuditEvents, parseAuditFilters } from '../../core/audit/audit-query.js';
import { stringOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

const FILTERS = ['type', 'user', 'client', 'since', 'until', 'limit', 'cursor'] as const;

export const auditListCommand: Command = {
  words: ['audit', 'list'],
  summary: 'List audit events, newest first (50 unless --limit; --json adds next, the cursor of the following page).',
  options: {
    type: { type: 'string', description: 'Only events of this type (e.g. user.signin.failed)' },
    user: { type: 'string', description: 'Only events about or by this user (email or ZUID)' },
    client: { type: 'string', description: 'Only events about this client ID' },
    since: { type: 'string', description: 'At or after this ISO 8601 time' },
    until: { type: 'string', description: 'Before this ISO 8601 time' },
    limit: { type: 'string', description: 'How many, 1 to 200 (default 50)' },
    cursor: { type: 'string', description: 'The next value of a previous --json page' },
  },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const { users, auditEvents } = gatehouse.storage;
      const filters = Object.fromEntries(FILTERS.map((name) => [name, stringOption(values, name)]));
      const page = await listAuditEvents(await parseAuditFilters(filters, users), auditEvents);
      const lines = page.events.map((e) =>
        [
          new Date(e.at).toISOString(),
          e.type,
          e.outcome,
          e.actor.name ?? e.actor.id ?? e.actor.kind,
          e.subject ?? '',
          e.clientId ?? '',
          e.address ?? '',
        ]
          .filter((part) => part !== '')
          .join('  '),
      );
      return { json: { events: page.events.map(auditEventView), next: page.next }, text: lines.join('\n') || 'No audit events.' };
    });
  },
};
