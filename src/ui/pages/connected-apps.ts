import { html, type SafeHtml } from '../html.js';
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

/** An application granted access to a whole organisation the user administers (org-level authorization). */
export interface OrgConnectedApp extends ConnectedApp {
  org: { id: string; name: string };
}

export function connectedAppsPage(page: {
  csrf: string;
  user: { email: string };
  apps: ConnectedApp[];
  /** Absent: the user administers no organisation, and the section is not shown. */
  orgApps?: OrgConnectedApp[];
  notice?: string;
}): string {
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
              ${page.apps.map((app) => appCard(app, page.csrf, '/account/connected-apps/revoke', { client_id: app.clientId }))}
            </ul>`
      }
      ${page.orgApps ? orgSection(page.orgApps, page.csrf) : ''}`,
  );
}

/** Org-wide grants belong to the organisation: any of its administrators sees and revokes them, whoever granted them. */
function orgSection(apps: OrgConnectedApp[], csrf: string): SafeHtml {
  return html`<h2>Organisation-wide access</h2>
    <p class="lede">Applications an administrator allowed to use a whole organisation you administer.</p>
    ${
      apps.length === 0
        ? html`<section class="card"><p>No application has access to an organisation you administer.</p></section>`
        : html`<ul class="apps">
            ${apps.map((app) =>
              appCard(app, csrf, '/account/connected-apps/revoke-org', { client_id: app.clientId, org_id: app.org.id }, app.org.name),
            )}
          </ul>`
    }`;
}

function appCard(app: ConnectedApp, csrf: string, action: string, fields: Record<string, string>, orgName?: string): SafeHtml {
  return html`<li class="card app">
    <div>
      <h2>${app.name}${orgName ? html` <span class="meta">for ${orgName}</span>` : ''}</h2>
      <p class="meta">
        ${app.homepage ? html`<a href="${app.homepage}" rel="noopener noreferrer" target="_blank">${app.homepage}</a> · ` : ''}Allowed
        ${formatTime(app.firstGrantedAt)}${app.lastGrantedAt !== app.firstGrantedAt ? `, last ${formatTime(app.lastGrantedAt)}` : ''}
      </p>
      <ul class="scopes">
        ${app.scopes.map((s) => html`<li>${s.description}<span class="scope-name">${s.name}</span></li>`)}
      </ul>
    </div>
    <form method="post" action="${action}">
      ${csrfField(csrf)} ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
      <button class="button danger" type="submit" aria-label="Revoke ${app.name}${orgName ? ` for ${orgName}` : ''}">Revoke</button>
    </form>
  </li>`;
}
