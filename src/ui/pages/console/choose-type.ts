import { CLIENT_TYPES } from '../../../core/clients/client.js';
import { html } from '../../html.js';
import { CLIENT_TYPE_INFO, clientPath, consolePage, type ConsoleFrame } from './frame.js';

/** Add Client, step one: the five client types, each a link to its own form. */
export function chooseTypePage(page: ConsoleFrame & { selfClientId: string | undefined }): string {
  return consolePage(
    page,
    'Add Client',
    'clients',
    html`<h1>Add Client</h1>
      <p class="lede">Choose the kind of application. Each asks only for what its flow needs.</p>
      <ul class="type-grid">
        ${CLIENT_TYPES.map((type) => {
          const info = CLIENT_TYPE_INFO[type];
          if (type === 'self' && page.selfClientId) {
            return html`<li class="card type-card is-disabled">
              <h2>${info.title}</h2>
              <p>${info.blurb}</p>
              <p class="note">You have a Self Client already. <a href="${clientPath(page.selfClientId)}">Open it</a></p>
            </li>`;
          }
          return html`<li class="card type-card">
            <h2><a href="/developer-console/new/${type}">${info.title}</a></h2>
            <p>${info.blurb}</p>
          </li>`;
        })}
      </ul>`,
  );
}
