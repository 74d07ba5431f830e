import type { Client } from '../../../core/clients/client.js';
import { formatTime } from '../../format.js';
import { html } from '../../html.js';
import { listTable, type ListColumn } from '../../list-table.js';
import { CLIENT_TYPE_INFO, clientPath, consolePage, notice, type ConsoleFrame } from './frame.js';

export interface ClientsListPage extends ConsoleFrame {
  clients: Client[];
  /** Administrators' view of every user's clients: adds an Owner column. */
  owners?: Map<string, string>;
  notice?: string | undefined;
}

/** The console's home: the user's clients (or, for an administrator, everyone's) and Add Client. */
export function clientsListPage(page: ClientsListPage): string {
  const all = page.owners !== undefined;
  return consolePage(
    page,
    all ? 'All clients' : 'Your clients',
    all ? 'all-clients' : 'clients',
    html`<div class="heading-row">
        <h1>${all ? 'All clients' : 'Your clients'}</h1>
        ${all ? '' : html`<a class="button primary" href="/developer-console/new">Add Client</a>`}
      </div>
      ${notice(page.notice)}
      ${
        page.clients.length === 0
          ? html`<section class="card empty">
              <p>No clients yet. Register one to let an application use Gatehouse accounts.</p>
            </section>`
          : listTable(clientColumns(page.owners), page.clients)
      }`,
  );
}

function clientColumns(owners: Map<string, string> | undefined): ListColumn<Client>[] {
  return [
    { label: 'Name', cell: (client) => html`<a href="${clientPath(client.clientId)}">${client.name}</a>` },
    { label: 'Type', cell: (client) => CLIENT_TYPE_INFO[client.type].title },
    { label: 'Client ID', cell: (client) => html`<code>${client.clientId}</code>` },
    ...(owners ? [{ label: 'Owner', cell: (client: Client) => owners.get(client.ownerZuid) ?? client.ownerZuid }] : []),
    { label: 'Created', cell: (client) => formatTime(client.createdAt) },
  ];
}
