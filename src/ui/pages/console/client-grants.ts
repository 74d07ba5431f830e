import type { ManagedClient } from '../../../core/console/developer-console.js';
import type { ClientGrant } from '../../../core/console/developer-console.js';
import { formatTime } from '../../format.js';
import { csrfField } from '../../form-fields.js';
import { html } from '../../html.js';
import { listTable } from '../../list-table.js';
import { clientPage } from './client-shell.js';
import { clientPath, notice, type ConsoleFrame } from './frame.js';

export interface ClientGrantsPage extends ConsoleFrame {
  client: ManagedClient;
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
        : listTable(
            [
              { label: 'User', cell: (grant) => html`${grant.name ?? grant.userZuid}<span class="sub">${grant.email ?? ''}</span>` },
              { label: 'Scopes', cell: (grant) => grant.scopes.map((s) => html`<code class="scope-chip">${s}</code> `) },
              { label: 'Granted', cell: (grant) => formatTime(grant.lastGrantedAt) },
              {
                label: 'Actions',
                unlabelled: true,
                cell: (grant) =>
                  html`<form
                    method="post"
                    action="${clientPath(client.clientId)}/grants/revoke"
                    data-confirm="Revoke ${grant.email ?? grant.userZuid}'s grant? Their tokens for ${client.name} stop working."
                  >
                    ${csrfField(page.csrf)}
                    <input type="hidden" name="zuid" value="${grant.userZuid}" />
                    <button class="button danger small" type="submit" aria-label="Revoke ${grant.email ?? grant.userZuid}">Revoke</button>
                  </form>`,
              },
            ],
            page.grants,
          )
    }`,
  );
}
