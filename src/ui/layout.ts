import { csrfField } from './form-fields.js';
import { html, type SafeHtml } from './html.js';

export interface LayoutOptions {
  title: string;
  /** The signed-in user's email, shown with a sign-out button and the links to the user's pages. */
  signedInAs?: { email: string; csrf: string } | undefined;
  /** Tables need more room than a form (the developer console). */
  wide?: boolean;
  /**
   * Pages that work without script but are nicer with it (copy buttons, confirmation dialogs) load the console's one
   * external script; there is never an inline one, so the CSP can forbid them.
   */
  script?: boolean;
  /** Pages with passkey buttons load the WebAuthn library and the script that drives them (files of this server too). */
  passkeys?: boolean;
  /** Which of the header's links leads to the section this page is in, marked as current. */
  section?: 'connected-apps' | 'security' | 'developer-console';
}

/** Every page's frame: one stylesheet, external scripts only (never inline), the same header and footer. */
export function layout(options: LayoutOptions, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${options.title} · Gatehouse</title>
        <link rel="stylesheet" href="/assets/gatehouse.css" />
        ${options.script ? html`<script src="/assets/console.js" defer></script>` : ''}
        ${
          options.passkeys
            ? html`<script src="/assets/webauthn.js" defer></script>
                <script src="/assets/passkeys.js" defer></script>`
            : ''
        }
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/account/connected-apps"><span class="brand-mark" aria-hidden="true">G</span> Gatehouse</a>
          ${
            options.signedInAs
              ? html`<nav class="topnav" aria-label="Your pages">
                    <a href="/account/connected-apps" ${current(options, 'connected-apps')}>Connected apps</a>
                    <a href="/account/security" ${current(options, 'security')}>Security</a>
                    <a href="/developer-console" ${current(options, 'developer-console')}>Developer console</a>
                  </nav>
                  <form class="signout" method="post" action="/signout">
                    ${csrfField(options.signedInAs.csrf)}
                    <span class="who">${options.signedInAs.email}</span>
                    <button type="submit" class="link-button">Sign out</button>
                  </form>`
              : ''
          }
        </header>
        <main class="${options.wide ? 'page wide' : 'page'}">${body}</main>
        <footer class="footer">Gatehouse · OAuth 2.0 authorization server</footer>
      </body>
    </html> `.value;
}

function current(options: LayoutOptions, section: LayoutOptions['section']): SafeHtml | string {
  return options.section === section ? html`aria-current="page"` : '';
}
