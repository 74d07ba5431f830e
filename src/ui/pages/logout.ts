import { csrfField } from '../form-fields.js';
import { html } from '../html.js';
import { layout } from '../layout.js';

export interface ConfirmLogoutPage {
  csrf: string;
  email: string;
  /** The application that asked, when known. */
  clientName: string | undefined;
  action: string;
  /** What the answer carries back (client_id, post_logout_redirect_uri, state). */
  fields: Record<string, string>;
}

/** RP-initiated logout without proof that the user's own application asked: the user decides. */
export function confirmLogoutPage(page: ConfirmLogoutPage): string {
  const asker = page.clientName ?? 'An application';
  return layout(
    { title: 'Sign out?' },
    html`<section class="card narrow">
      <h1>Sign out of Gatehouse?</h1>
      <p class="lede">${asker} asks to sign <strong>${page.email}</strong> out.</p>
      <p class="note">You will be signed out here and in the applications that take part in single sign-out.</p>
      <form method="post" action="${page.action}">
        ${csrfField(page.csrf)}
        ${Object.entries(page.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
        <div class="actions">
          <a class="button secondary" href="/account/connected-apps">Stay signed in</a>
          <button class="button primary" type="submit">Sign out</button>
        </div>
      </form>
    </section>`,
  );
}

/** After a logout that has nowhere registered to go back to. */
export function signedOutPage(): string {
  return layout(
    { title: 'Signed out' },
    html`<section class="card narrow">
      <h1>You are signed out</h1>
      <p class="lede">You can close this window.</p>
      <div class="actions"><a class="button primary" href="/signin">Sign in again</a></div>
    </section>`,
  );
}
