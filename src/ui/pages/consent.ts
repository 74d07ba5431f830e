import { html } from '../html.js';
import { csrfField } from '../form-fields.js';
import { layout } from '../layout.js';

export interface ConsentPage {
  csrf: string;
  /** Where Accept and Reject are posted, and what identifies the request there (hidden fields). */
  answer: { action: string; fields: Record<string, string> };
  user: { email: string };
  client: { name: string; homepage: string | null };
  /** The client registered itself (RFC 7591): its name and homepage are its own claims, which nobody checked. */
  registeredDynamically?: boolean;
  /** Each requested scope in words, with its name. */
  scopes: Array<{ name: string; description: string }>;
  offline: boolean;
  /** Incremental authorization (spec §8): `scopes` are only the new ones, added to what the user allowed before. */
  additional?: boolean;
}

export function consentPage(page: ConsentPage): string {
  const initial = page.client.name.trim().charAt(0).toUpperCase() || '?';
  return layout(
    { title: `Allow ${page.client.name}?`, signedInAs: { email: page.user.email, csrf: page.csrf } },
    html`<section class="card">
      <div class="app-identity">
        <span class="app-avatar" aria-hidden="true">${initial}</span>
        <div>
          <h1>${page.client.name} wants ${page.additional ? 'more access to' : 'to access'} your account</h1>
          ${page.client.homepage ? html`<a href="${page.client.homepage}" rel="noopener noreferrer" target="_blank">${page.client.homepage}</a>` : ''}
        </div>
      </div>
      ${
        page.registeredDynamically
          ? html`<p class="note registered-dynamically">
              Registered dynamically: this application registered itself with this server. Its name and homepage are its own claims; accept
              only if you trust where you came from.
            </p>`
          : ''
      }
      <p class="lede">
        Signed in as <strong>${page.user.email}</strong>. If you accept, ${page.client.name} will
        ${page.additional ? 'also be able to, besides what you allowed before' : 'be able to'}:
      </p>
      <ul class="scopes">
        ${page.scopes.map((s) => html`<li>${s.description}<span class="scope-name">${s.name}</span></li>`)}
      </ul>
      <p class="note">
        ${
          page.offline
            ? `${page.client.name} will keep this access until you revoke it under Connected apps.`
            : `${page.client.name} will have this access for up to an hour at a time. You can revoke it under Connected apps.`
        }
      </p>
      <form method="post" action="${page.answer.action}">
        ${csrfField(page.csrf)}
        ${Object.entries(page.answer.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
        <div class="actions">
          <button class="button secondary" type="submit" name="decision" value="reject">Reject</button>
          <button class="button primary" type="submit" name="decision" value="accept">Accept</button>
        </div>
      </form>
    </section>`,
  );
}
