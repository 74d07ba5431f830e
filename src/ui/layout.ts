import { html, type SafeHtml } from './html.js';

export interface LayoutOptions {
  title: string;
  /** The signed-in user's email, shown with a sign-out button. */
  signedInAs?: { email: string; csrf: string } | undefined;
}

/** Every page's frame: one stylesheet, no script, the same header and footer. */
export function layout(options: LayoutOptions, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${options.title} · Gatehouse</title>
        <link rel="stylesheet" href="/assets/gatehouse.css" />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/account/connected-apps"><span class="brand-mark" aria-hidden="true">G</span> Gatehouse</a>
          ${
            options.signedInAs
              ? html`<form class="signout" method="post" action="/signout">
                  <input type="hidden" name="csrf" value="${options.signedInAs.csrf}" />
                  <span class="who">${options.signedInAs.email}</span>
                  <button type="submit" class="link-button">Sign out</button>
                </form>`
              : ''
          }
        </header>
        <main class="page">${body}</main>
        <footer class="footer">Gatehouse · OAuth 2.0 authorization server</footer>
      </body>
    </html> `.value;
}
