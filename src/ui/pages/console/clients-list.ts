import type { Client } from '../../../core/clients/client.js';
import { formatTime } from '../../format.js';
import { html } from '../../html.js';
import { listTable, type ListColumn } from '../../list-table.js';
import { CLIENT_TYPE_INFO, clientPath, consolePage, notice, type ConsoleFrame, type ConsoleSection } from './frame.js';

export interface ClientsListPage extends ConsoleFrame {
  clients: Client[];
  /** Administrators' view of every user's clients: adds an Owner column. */
  owners?: Map<string, string>;
  /** Administrators' view of the clients nobody owns (registered dynamically): each one's page has Delete. */
  unowned?: boolean;
  notice?: string | undefined;
}

/** Which list a page is: its title, its tab, and what it says when empty. */
function listKind(page: ClientsListPage): { title: string; section: ConsoleSection; empty: string } {
  if (page.unowned)
    return {
      title: 'Unowned clients',
      section: 'unowned-clients',
      empty: 'No unowned clients. Clients registered dynamically without an owner (GATEHOUSE_REGISTRATION) appear here.',
    };
  if (page.owners !== undefined) return { title: 'All clients', section: 'all-clients', empty: EMPTY };
  return { title: 'Your clients', section: 'clients', empty: EMPTY };
}

const EMPTY = 'No clients yet. Register one to let an application use Gatehouse accounts.';

/** The console's home: the user's clients (or, for an administrator, everyone's) and Add Client. */
export function clientsListPage(page: ClientsListPage): string {
  const all = page.owners !== undefined || page.unowned === true;
  const kind = listKind(page);
  return consolePage(
    page,
    kind.title,
    kind.section,
    html`<div class="heading-row">
        <h1>${kind.title}</h1>
        ${all ? '' : html`<a class="button primary" href="/developer-console/new">Add Client</a>`}
      </div>
      ${notice(page.notice)}
      ${
        page.clients.length === 0
          ? html`<section class="card empty">
              <p>${kind.empty}</p>
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
    ...(owners
      ? [
          {
            label: 'Owner',
            cell: (client: Client) => (client.ownerZuid === null ? 'Unowned' : (owners.get(client.ownerZuid) ?? client.ownerZuid)),
          },
        ]
      : []),
    { label: 'Created', cell: (client) => formatTime(client.createdAt) },
  ];
}
