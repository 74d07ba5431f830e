import type { OrganisationListing } from '../../../core/orgs/administer-organisations.js';
import { formatTime } from '../../format.js';
import { html } from '../../html.js';
import { listTable } from '../../list-table.js';
import { consolePage, type ConsoleFrame } from './frame.js';

/**
 * Administrators' list of the organisations, with their IDs (what `soid=ZohoCRM.<id>` names) and members. They are
 * created and changed from the command line (`gatehouse org …`).
 */
export function organisationsPage(page: ConsoleFrame & { organisations: OrganisationListing[] }): string {
  return consolePage(
    page,
    'Organisations',
    'orgs',
    html`<h1>Organisations</h1>
      <p>Create them and add members with <code>gatehouse org create</code> and <code>gatehouse org add-member</code>.</p>
      ${listTable(
        [
          { label: 'Name', cell: (org) => org.name },
          { label: 'ID', cell: (org) => html`<code>${org.id}</code>` },
          ...(page.dataCenters.length > 1
            ? [{ label: 'Data centre', cell: (org: OrganisationListing) => org.dc ?? page.dataCenters[0] }]
            : []),
          {
            label: 'Administrators',
            cell: (org) =>
              org.members
                .filter((m) => m.role === 'admin')
                .map((m) => m.email)
                .join(', '),
          },
          {
            label: 'Users',
            cell: (org) =>
              org.members
                .filter((m) => m.role === 'user')
                .map((m) => m.email)
                .join(', '),
          },
          { label: 'Created', cell: (org) => formatTime(org.createdAt) },
        ],
        page.organisations,
      )}`,
  );
}
