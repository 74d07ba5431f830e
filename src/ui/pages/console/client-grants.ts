import type { Client } from '../../../core/clients/client.js';
import type { ClientGrant } from '../../../core/console/developer-console.js';
import { formatTime } from '../../format.js';
import { csrfField } from '../../form-fields.js';
import { html } from '../../html.js';
import { clientPage } from './client-shell.js';
import { clientPath, notice, type ConsoleFrame } from './frame.js';

export interface ClientGrantsPage extends ConsoleFrame {
  client: Client;
  grants: ClientGrant[];
  notice?: string | undefined;
}

/** Grants: which users allowed this client what, each revocable (their tokens stop working at once). */
export function clientGrantsPage(page: ClientGrantsPage): string {
  const { client } = page;
  return clientPage(
    page,
    client,
    'grants',
    'Grants',
    html`${notice(page.notice)}
    ${
      page.grants.length === 0
        ? html`<section class="card empty"><p>No user has granted ${client.name} access yet.</p></section>`
        : html`<div class="table-card">
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Granted</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                ${page.grants.map(
                  (grant) =>
                    html`<tr>
                      <td data-label="User">${grant.name ?? grant.userZuid}<span class="sub">${grant.email ?? ''}</span></td>
                      <td data-label="Scopes">${grant.scopes.map((s) => html`<code class="scope-chip">${s}</code> `)}</td>
                      <td data-label="Granted">${formatTime(grant.lastGrantedAt)}</td>
                      <td>
                        <form
                          method="post"
                          action="${clientPath(client.clientId)}/grants/revoke"
                          data-confirm="Revoke ${grant.email ?? grant.userZuid}'s grant? Their tokens for ${client.name} stop working."
                        >
                          ${csrfField(page.csrf)}
                          <input type="hidden" name="zuid" value="${grant.userZuid}" />
                          <button class="button danger small" type="submit" aria-label="Revoke ${grant.email ?? grant.userZuid}">
                            Revoke
                          </button>
                        </form>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }`,
  );
}
