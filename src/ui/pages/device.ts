import { html } from '../html.js';
import { csrfField } from '../form-fields.js';
import { layout } from '../layout.js';

/** Where the user types the code their device shows (RFC 8628 §3.3). */
export function deviceCodePage(page: { csrf: string; user: { email: string }; value: string; error?: string }): string {
  return layout(
    { title: 'Connect a device', signedInAs: { email: page.user.email, csrf: page.csrf } },
    html`<section class="card narrow">
      <h1>Connect a device</h1>
      <p class="lede">Enter the code your device shows. Only enter a code you got from a device you are setting up yourself.</p>
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <form method="post" action="/oauth/v3/device">
        ${csrfField(page.csrf)}
        <label for="user_code">Code</label>
        <input
          id="user_code"
          name="user_code"
          value="${page.value}"
          placeholder="WDJB-MJHT"
          required
          autofocus
          autocomplete="one-time-code"
          autocapitalize="characters"
          spellcheck="false"
        />
        <button class="button primary block" type="submit">Continue</button>
      </form>
    </section>`,
  );
}

/** The end of the user's part: the device gets its tokens (or its refusal) at its next poll. */
export function deviceAnsweredPage(page: { csrf: string; user: { email: string }; clientName: string; approved: boolean }): string {
  const title = page.approved ? 'Device connected' : 'Request denied';
  return layout(
    { title, signedInAs: { email: page.user.email, csrf: page.csrf } },
    html`<section class="card narrow">
      <h1>${title}</h1>
      <p class="lede">
        ${
          page.approved
            ? `${page.clientName} can now access your account. Return to your device. You can revoke it any time under Connected apps.`
            : `${page.clientName} was not given access. You can close this page.`
        }
      </p>
      <a class="button secondary" href="/account/connected-apps">Connected apps</a>
    </section>`,
  );
}
