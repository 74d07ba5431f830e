import { html, type SafeHtml } from '../html.js';
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
  /**
   * Org-level authorization (spec §0): the access is for one of these organisations, which the user administers and
   * picks here (the first is chosen to begin with); the grant is the organisation's, not the user's.
   */
  organisations?: Array<{ id: string; name: string }>;
}

export function consentPage(page: ConsentPage): string {
  const initial = page.client.name.trim().charAt(0).toUpperCase() || '?';
  const forOrg = page.organisations !== undefined;
  const subject = forOrg ? 'an organisation you administer' : 'your account';
  return layout(
    { title: `Allow ${page.client.name}?`, signedInAs: { email: page.user.email, csrf: page.csrf } },
    html`<section class="card">
      <div class="app-identity">
        <span class="app-avatar" aria-hidden="true">${initial}</span>
        <div>
          <h1>${page.client.name} wants ${page.additional ? 'more access to' : 'to access'} ${subject}</h1>
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
      <p class="note">${forOrg ? orgAccessNote(page) : accessNote(page)}</p>
      <form method="post" action="${page.answer.action}">
        ${csrfField(page.csrf)} ${page.organisations ? organisationChoice(page.organisations) : ''}
        ${Object.entries(page.answer.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
        <div class="actions">
          <button class="button secondary" type="submit" name="decision" value="reject">Reject</button>
          <button class="button primary" type="submit" name="decision" value="accept">Accept</button>
        </div>
      </form>
    </section>`,
  );
}

function accessNote(page: ConsentPage): string {
  return page.offline
    ? `${page.client.name} will keep this access until you revoke it under Connected apps.`
    : `${page.client.name} will have this access for up to an hour at a time. You can revoke it under Connected apps.`;
}

/** Zoho: an org-wide grant outlives its administrator's part in the organisation; the page says so before they accept. */
function orgAccessNote(page: ConsentPage): string {
  return page.offline
    ? `${page.client.name} will keep this access to the whole organisation, even if you stop administering it, until an administrator revokes it under Connected apps.`
    : `${page.client.name} will have this access to the whole organisation for up to an hour at a time.`;
}

function organisationChoice(organisations: Array<{ id: string; name: string }>): SafeHtml {
  return html`<fieldset class="orgs">
    <legend>Organisation</legend>
    ${organisations.map(
      (org, index) =>
        html`<label
          ><input type="radio" name="org" value="${org.id}" required ${index === 0 ? 'checked' : ''} />
          <span>${org.name}<span class="scope-name">${org.id}</span></span></label
        >`,
    )}
  </fieldset>`;
}
