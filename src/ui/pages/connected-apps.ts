import { html } from '../html.js';
import { csrfField } from '../form-fields.js';
import { formatTime } from '../format.js';
import { layout } from '../layout.js';

export interface ConnectedApp {
  clientId: string;
  name: string;
  homepage: string | null;
  scopes: Array<{ name: string; description: string }>;
  firstGrantedAt: number;
  lastGrantedAt: number;
}

export function connectedAppsPage(page: { csrf: string; user: { email: string }; apps: ConnectedApp[]; notice?: string }): string {
  return layout(
    { title: 'Connected apps', signedInAs: { email: page.user.email, csrf: page.csrf }, section: 'connected-apps' },
    html`<h1>Connected apps</h1>
      <p class="lede">
        Applications you have allowed to use your account. Revoking one signs it out at once: every token it holds stops working.
      </p>
      ${page.notice ? html`<p class="alert ok" role="status">${page.notice}</p>` : ''}
      ${
        page.apps.length === 0
          ? html`<section class="card"><p>No application has access to your account.</p></section>`
          : html`<ul class="apps">
              ${page.apps.map(
                (app) =>
                  html`<li class="card app">
                    <div>
                      <h2>${app.name}</h2>
                      <p class="meta">
                        ${app.homepage ? html`<a href="${app.homepage}" rel="noopener noreferrer" target="_blank">${app.homepage}</a> · ` : ''}Allowed
                        ${formatTime(app.firstGrantedAt)}${app.lastGrantedAt !== app.firstGrantedAt ? `, last ${formatTime(app.lastGrantedAt)}` : ''}
                      </p>
                      <ul class="scopes">
                        ${app.scopes.map((s) => html`<li>${s.description}<span class="scope-name">${s.name}</span></li>`)}
                      </ul>
                    </div>
                    <form method="post" action="/account/connected-apps/revoke">
                      ${csrfField(page.csrf)}
                      <input type="hidden" name="client_id" value="${app.clientId}" />
                      <button class="button danger" type="submit" aria-label="Revoke ${app.name}">Revoke</button>
                    </form>
                  </li>`,
              )}
            </ul>`
      }`,
  );
}
