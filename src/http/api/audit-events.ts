import type { FastifyInstance } from 'fastify';
import { auditEventView } from '../../core/audit/audit-event-view.js';
import type { AuditFilterInput } from '../../core/audit/audit-query.js';
import type { ApiRouteDeps } from './api-routes.js';

/**
 * `GET /api/v1/audit-events?type=&user=&client=&since=&until=&limit=&cursor=`: the audit log, newest first, for
 * administrators. `next` is the cursor of the following (older) page, null on the last.
 */
export function auditEventRoutes(api: FastifyInstance, { developerConsole, signedIn }: ApiRouteDeps): void {
  api.get<{ Querystring: AuditFilterInput }>('/audit-events', async (request) => {
    const { user } = await signedIn(request);
    const page = await developerConsole.auditEvents(user, request.query);
    return { events: page.events.map(auditEventView), next: page.next };
  });
}
