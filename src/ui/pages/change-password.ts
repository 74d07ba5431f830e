import { html } from '../html.js';
import { csrfField } from '../form-fields.js';
import { layout } from '../layout.js';

export function changePasswordPage(page: {
  csrf: string;
  user: { email: string };
  returnTo: string;
  required: boolean;
  error?: string;
}): string {
  return layout(
    { title: 'Choose a new password', signedInAs: { email: page.user.email, csrf: page.csrf } },
    html`<section class="card narrow">
      <h1>Choose a new password</h1>
      <p class="lede">
        ${page.required ? 'You signed in with a one-time password. Choose your own before you go on.' : 'Enter your current password, then the new one twice.'}
      </p>
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <form method="post" action="/account/password">
        ${csrfField(page.csrf)}
        <input type="hidden" name="return_to" value="${page.returnTo}" />
        <label for="current_password">Current password</label>
        <input id="current_password" name="current_password" type="password" autocomplete="current-password" required />
        <label for="new_password">New password</label>
        <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" required />
        <label for="confirm_password">New password, again</label>
        <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="8" required />
        <button class="button primary block" type="submit">Save password</button>
      </form>
    </section>`,
  );
}
