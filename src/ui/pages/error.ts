import { html } from '../html.js';
import { layout } from '../layout.js';

/** Shown when a request cannot go back to the application (unknown client, unregistered redirect URI, bad form). */
export function errorPage(error: { title: string; description: string; code: string }): string {
  return layout(
    { title: error.title },
    html`<section class="card narrow">
      <h1>${error.title}</h1>
      <p class="alert error" role="alert">${error.description}</p>
      <p class="error-code">Error: ${error.code}</p>
      <p class="note">If you came here from an application, tell its developer what this page says. You can close this window.</p>
    </section>`,
  );
}
