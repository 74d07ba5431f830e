import type { Client } from '../../../core/clients/client.js';
import { copyableValue } from '../../form-fields.js';
import { html, type SafeHtml } from '../../html.js';
import { CLIENT_TYPE_INFO, clientPath, consolePage, tabs, type ConsoleFrame } from './frame.js';

export type ClientTab = 'details' | 'secret' | 'generate-code' | 'grants';

/** One client's pages share a header (name, type, client ID) and tabs; Generate Code only for a Self Client. */
export function clientPage(frame: ConsoleFrame, client: Client, tab: ClientTab, title: string, body: SafeHtml): string {
  const base = clientPath(client.clientId);
  const items: Array<[ClientTab, string, string]> = [
    ['details', 'Client Details', base],
    ['secret', 'Client Secret', `${base}/secret`],
  ];
  if (client.type === 'self') items.push(['generate-code', 'Generate Code', `${base}/generate-code`]);
  items.push(['grants', 'Grants', `${base}/grants`]);
  return consolePage(
    frame,
    `${title} · ${client.name}`,
    'clients',
    html`<p class="breadcrumb"><a href="/developer-console">Your clients</a> / ${client.name}</p>
      <header class="client-header">
        <h1>${client.name}</h1>
        <span class="badge">${CLIENT_TYPE_INFO[client.type].title}</span>
      </header>
      ${copyableValue('Client ID', client.clientId, 'client-id')}
      ${tabs(
        'Client',
        items.map(([key, label, href]) => ({ label, href, current: key === tab })),
      )}
      ${body}`,
  );
}
