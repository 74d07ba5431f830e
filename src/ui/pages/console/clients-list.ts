import type { Client } from '../../../core/clients/client.js';
import { formatTime } from '../../format.js';
import { html } from '../../html.js';
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
          : html`<div class="table-card">
              <table class="list">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Client ID</th>
                    ${all ? html`<th scope="col">Owner</th>` : ''}
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  ${page.clients.map(
                    (client) =>
                      html`<tr>
                        <td data-label="Name"><a href="${clientPath(client.clientId)}">${client.name}</a></td>
                        <td data-label="Type">${CLIENT_TYPE_INFO[client.type].title}</td>
                        <td data-label="Client ID"><code>${client.clientId}</code></td>
                        ${all ? html`<td data-label="Owner">${page.owners!.get(client.ownerZuid) ?? client.ownerZuid}</td>` : ''}
                        <td data-label="Created">${formatTime(client.createdAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }`,
  );
}
