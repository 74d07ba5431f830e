import type { ClientType } from '../../../core/clients/client.js';
import { html, type SafeHtml } from '../../html.js';
import { layout } from '../../layout.js';

/** What every console page knows: who is signed in, and the CSRF token its forms carry. */
export interface ConsoleFrame {
  user: { zuid: string; email: string; isAdmin: boolean };
  csrf: string;
  /** The deployment's data centres' locations, the primary first; with one, the pages say nothing of DCs. */
  dataCenters: readonly string[];
}

export type ConsoleSection = 'clients' | 'all-clients' | 'unowned-clients' | 'users' | 'orgs' | 'overview' | 'audit';

/** The console's frame: the wide layout, its script, and the section tabs (administrators see five more). */
export function consolePage(frame: ConsoleFrame, title: string, section: ConsoleSection, body: SafeHtml): string {
  const sections: Array<[ConsoleSection, string, string]> = [['clients', 'My clients', '/developer-console']];
  if (frame.user.isAdmin) {
    sections.push(
      ['all-clients', 'All clients', '/developer-console/admin/clients'],
      ['unowned-clients', 'Unowned clients', UNOWNED_CLIENTS_PATH],
      ['users', 'Users', '/developer-console/admin/users'],
      ['orgs', 'Organisations', ORGANISATIONS_PATH],
      ['overview', 'Overview', '/developer-console/admin/overview'],
      ['audit', 'Audit log', AUDIT_LOG_PATH],
    );
  }
  return layout(
    { title, signedInAs: { email: frame.user.email, csrf: frame.csrf }, wide: true, script: true, section: 'developer-console' },
    html`<p class="eyebrow">Developer console</p>
      ${
        sections.length > 1
          ? tabs(
              'Console sections',
              sections.map(([key, label, href]) => ({ label, href, current: key === section })),
            )
          : ''
      }
      ${body}`,
  );
}

/** Where administrators see the clients registered dynamically without an owner (RFC 7591 open registration). */
export const UNOWNED_CLIENTS_PATH = '/developer-console/admin/clients/unowned';
/** Where administrators see the organisations. */
export const ORGANISATIONS_PATH = '/developer-console/admin/orgs';

/** Where administrators read the audit log. */
export const AUDIT_LOG_PATH = '/developer-console/admin/audit';

/** Where an administrator manages one user. */
export function userPath(zuid: string): string {
  return `/developer-console/admin/users/${encodeURIComponent(zuid)}`;
}

/** Where one client's pages live. */
export function clientPath(clientId: string): string {
  return `/developer-console/clients/${encodeURIComponent(clientId)}`;
}

export function tabs(label: string, items: Array<{ label: string; href: string; current: boolean }>): SafeHtml {
  return html`<nav class="tabs" aria-label="${label}">
    ${items.map((item) => html`<a href="${item.href}" ${item.current ? html`aria-current="page"` : ''}>${item.label}</a>`)}
  </nav>`;
}

export function notice(text: string | undefined): SafeHtml | string {
  return text ? html`<p class="alert ok" role="status">${text}</p>` : '';
}

export function errorAlert(text: string | undefined): SafeHtml | string {
  return text ? html`<p class="alert error" role="alert">${text}</p>` : '';
}

/** The names the console gives client types (spec §1.1), with what each is for. */
export const CLIENT_TYPE_INFO: Record<ClientType, { title: string; blurb: string }> = {
  server: { title: 'Server-based Applications', blurb: 'Web applications with a backend that keeps the client secret.' },
  client: { title: 'Client-based Applications', blurb: 'JavaScript applications that run only in the browser.' },
  mobile: { title: 'Mobile-based Applications', blurb: 'Apps on phones and tablets, with PKCE and a custom-scheme redirect.' },
  device: { title: 'Non-browser Applications', blurb: 'TVs, printers and command-line tools without a browser.' },
  self: { title: 'Self Client', blurb: 'Your own scripts and back-end jobs: codes generated here, no redirect.' },
};
