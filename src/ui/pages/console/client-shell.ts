import type { ManagedClient } from '../../../core/console/developer-console.js';
import { copyableValue } from '../../form-fields.js';
import { html, type SafeHtml } from '../../html.js';
import { CLIENT_TYPE_INFO, clientPath, consolePage, tabs, UNOWNED_CLIENTS_PATH, userPath, type ConsoleFrame } from './frame.js';

export type ClientTab = 'details' | 'secret' | 'generate-code' | 'grants' | 'settings';

/**
 * One client's pages share a header (name, type, client ID) and tabs; Generate Code only for a Self Client. An
 * administrator on someone else's client is in All clients, and the header says whose it is; on an unowned one, in
 * Unowned clients.
 */
export function clientPage(frame: ConsoleFrame, client: ManagedClient, tab: ClientTab, title: string, body: SafeHtml): string {
  const base = clientPath(client.clientId);
  const own = client.owner.zuid === frame.user.zuid;
  // Registered dynamically without an owner: only administrators get here, from Unowned clients.
  const unowned = client.ownerZuid === null;
  const items: Array<[ClientTab, string, string]> = [
    ['details', 'Client Details', base],
    ['secret', 'Client Secret', `${base}/secret`],
  ];
  if (client.type === 'self') items.push(['generate-code', 'Generate Code', `${base}/generate-code`]);
  items.push(['grants', 'Grants', `${base}/grants`]);
  // Settings holds Multi-DC only, which a deployment of one DC has no use for.
  if (frame.dataCenters.length > 1) items.push(['settings', 'Settings', `${base}/settings`]);
  return consolePage(
    frame,
    `${title} · ${client.name}`,
    own ? 'clients' : unowned ? 'unowned-clients' : 'all-clients',
    html`<p class="breadcrumb">
        ${
          own
            ? html`<a href="/developer-console">Your clients</a>`
            : unowned
              ? html`<a href="${UNOWNED_CLIENTS_PATH}">Unowned clients</a>`
              : html`<a href="/developer-console/admin/clients">All clients</a> /
                  <a href="${userPath(client.owner.zuid)}">${client.owner.email}</a>`
        }
        / ${client.name}
      </p>
      <header class="client-header">
        <h1>${client.name}</h1>
        <span class="badge">${CLIENT_TYPE_INFO[client.type].title}</span>
      </header>
      ${
        own
          ? ''
          : unowned
            ? html`<p class="meta">Owner: none (registered dynamically)</p>`
            : html`<p class="meta">Owner: <a href="${userPath(client.owner.zuid)}">${client.owner.email}</a></p>`
      }
      ${copyableValue('Client ID', client.clientId, 'client-id')}
      ${tabs(
        'Client',
        items.map(([key, label, href]) => ({ label, href, current: key === tab })),
      )}
      ${body}`,
  );
}
