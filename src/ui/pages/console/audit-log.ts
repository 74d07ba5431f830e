import { AUDIT_EVENT_TYPES, type AuditActor, type StoredAuditEvent } from '../../../core/audit/audit-log.js';
import type { ManagementError } from '../../../core/errors/management-error.js';
import { formatTime } from '../../format.js';
import { formField } from '../../form-fields.js';
import { html, type SafeHtml } from '../../html.js';
import { listTable } from '../../list-table.js';
import { AUDIT_LOG_PATH, consolePage, errorAlert, userPath, type ConsoleFrame } from './frame.js';

/** The filters as typed, shown back in the form and carried by the next-page link. */
export interface AuditFilterValues {
  type: string;
  user: string;
  client: string;
  since: string;
  until: string;
}

export interface AuditLogPage extends ConsoleFrame {
  values: AuditFilterValues;
  events: StoredAuditEvent[];
  next: string | null;
  /** A filter that could not be read: shown at its field, and no events. */
  error?: ManagementError | undefined;
}

const TYPE_OPTIONS = [{ value: '', label: 'Every event' }, ...AUDIT_EVENT_TYPES.map((type) => ({ value: type, label: type }))];

/** Administrators' audit log: the filters as a GET form (so a filtered view can be bookmarked), newest first, paged. */
export function auditLogPage(page: AuditLogPage): string {
  const { values } = page;
  const fieldError = (field: string) => (page.error?.field === field ? page.error.message : undefined);
  return consolePage(
    page,
    'Audit log',
    'audit',
    html`<h1>Audit log</h1>
      <form class="card filters" method="get" action="${AUDIT_LOG_PATH}">
        ${formField({ name: 'type', label: 'Event', value: values.type, options: TYPE_OPTIONS, error: fieldError('type') })}
        ${formField({ name: 'user', label: 'User email', value: values.user, error: fieldError('user') })}
        ${formField({ name: 'client', label: 'Client ID', value: values.client, error: fieldError('client') })}
        ${formField({ name: 'since', label: 'From (UTC)', type: 'datetime-local', value: values.since, error: fieldError('since') })}
        ${formField({ name: 'until', label: 'To (UTC)', type: 'datetime-local', value: values.until, error: fieldError('until') })}
        <div class="actions"><button class="button primary" type="submit">Filter</button></div>
      </form>
      ${page.error && !['type', 'user', 'client', 'since', 'until'].includes(page.error.field ?? '') ? errorAlert(page.error.message) : ''}
      ${
        page.events.length === 0
          ? html`<section class="card empty"><p>No events match.</p></section>`
          : listTable(
              [
                { label: 'Time', cell: (event) => formatTime(event.at) },
                { label: 'Event', cell: (event) => html`<code>${event.type}</code>` },
                { label: 'Outcome', cell: (event) => (event.detail ? `${event.outcome} (${event.detail})` : event.outcome) },
                { label: 'By', cell: (event) => actorText(event.actor) },
                { label: 'Subject', cell: (event) => event.subject ?? '' },
                {
                  label: 'User',
                  cell: (event) => (event.userZuid ? html`<a href="${userPath(event.userZuid)}">${event.userZuid}</a>` : ''),
                },
                { label: 'Client', cell: (event) => (event.clientId ? html`<code>${event.clientId}</code>` : '') },
                { label: 'Address', cell: (event) => event.address ?? '' },
              ],
              page.events,
            )
      }
      ${page.next ? html`<p class="pager"><a class="button secondary" href="${nextPageHref(values, page.next)}">Older events</a></p>` : ''}`,
  );
}

function actorText(actor: AuditActor): SafeHtml | string {
  switch (actor.kind) {
    case 'user':
      return actor.name ?? actor.id ?? '';
    case 'api_token':
      return html`API token “${actor.name ?? ''}”<span class="sub">${actor.id ?? ''}</span>`;
    case 'cli':
      return 'Command line';
    case 'client':
      return html`Client <code>${actor.id ?? ''}</code>`;
    case 'anonymous':
      return 'Not signed in';
  }
}

function nextPageHref(values: AuditFilterValues, cursor: string): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== '') query.set(name, value);
  query.set('cursor', cursor);
  return `${AUDIT_LOG_PATH}?${query.toString()}`;
}
