import type { FactorSummary } from '../../core/mfa/manage-factors.js';
import { html, SafeHtml } from '../html.js';
import { copyableValue, csrfField, oneTimeCodeField } from '../form-fields.js';
import { formatTime } from '../format.js';
import { layout } from '../layout.js';

interface SignedIn {
  csrf: string;
  user: { email: string };
}

/** A password field and a submit button: removing a factor or renewing codes asks for the password first. */
function passwordConfirmedForm(page: SignedIn, action: string, id: string, button: string, danger: boolean) {
  return html`<form method="post" action="${action}">
    ${csrfField(page.csrf)}
    <label for="${id}">Your password</label>
    <input id="${id}" name="current_password" type="password" autocomplete="current-password" required />
    <button class="button ${danger ? 'danger' : 'secondary'}" type="submit">${button}</button>
  </form>`;
}

/** The account security page: the user's second factors, when added and last used, and what can be done with them. */
export function accountSecurityPage(page: SignedIn & { factors: FactorSummary; notice?: string; error?: string }): string {
  const { totp, recoveryCodes } = page.factors;
  return layout(
    { title: 'Security', signedInAs: { email: page.user.email, csrf: page.csrf }, section: 'security' },
    html`<h1>Security</h1>
      <p class="lede">A second step after your password: a code from an authenticator app on your phone.</p>
      ${page.notice ? html`<p class="alert ok" role="status">${page.notice}</p>` : ''}
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <section class="card">
        <h2>Authenticator app</h2>
        ${
          totp
            ? html`<p class="meta">
                  Added ${formatTime(totp.createdAt)}${totp.lastUsedAt !== null ? `, last used ${formatTime(totp.lastUsedAt)}` : ''}
                </p>
                ${passwordConfirmedForm(page, '/account/security/totp/remove', 'remove_password', 'Remove authenticator app', true)}`
            : html`<p>Not set up. Signing in takes your password only.</p>
                <p><a class="button primary" href="/account/security/totp">Set up an authenticator app</a></p>`
        }
      </section>
      ${
        totp
          ? html`<section class="card">
              <h2>Recovery codes</h2>
              <p class="meta">
                ${recoveryCodes.left} of 10 left${recoveryCodes.createdAt !== null ? `, made ${formatTime(recoveryCodes.createdAt)}` : ''}
              </p>
              <p>Each code signs you in once without the app. A new set replaces every old code.</p>
              ${passwordConfirmedForm(page, '/account/security/recovery-codes', 'renew_password', 'Make new recovery codes', false)}
            </section>`
          : ''
      }`,
  );
}

export interface TotpEnrollmentPage extends SignedIn {
  returnTo: string;
  /** The `otpauth://` URI, its QR code (SVG from the qrcode library), and the secret for typing in by hand. */
  uri: string;
  qrSvg: string;
  secret: string;
  ticket: string;
  /** Set when the policy sends the user here before anything else. */
  required: boolean;
  error?: string;
}

export function totpEnrollmentPage(page: TotpEnrollmentPage): string {
  return layout(
    { title: 'Set up an authenticator app', signedInAs: { email: page.user.email, csrf: page.csrf } },
    html`<section class="card narrow">
      <h1>Set up an authenticator app</h1>
      ${page.required ? html`<p class="alert error" role="status">This server asks your account for a second step. Set it up to go on.</p>` : ''}
      <p class="lede">Scan the code with your authenticator app, then type the 6-digit code it shows.</p>
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <div class="qr" aria-label="QR code of the setup link">${new SafeHtml(page.qrSvg)}</div>
      <p>Cannot scan it? <a href="${page.uri}" id="totp-uri">Open the setup link</a> on this device, or type this key into the app:</p>
      ${copyableValue('Setup key', page.secret, 'totp-secret')}
      <form method="post" action="/account/security/totp" novalidate>
        ${csrfField(page.csrf)}
        <input type="hidden" name="return_to" value="${page.returnTo}" />
        <input type="hidden" name="enrollment" value="${page.ticket}" />
        ${oneTimeCodeField('Code from the app', false)}
        <button class="button primary block" type="submit">Turn on</button>
      </form>
    </section>`,
  );
}

/** The recovery codes, shown once, when made. */
export function recoveryCodesPage(page: SignedIn & { codes: string[]; returnTo: string }): string {
  return layout(
    { title: 'Recovery codes', signedInAs: { email: page.user.email, csrf: page.csrf } },
    html`<section class="card narrow">
      <h1>Save your recovery codes</h1>
      <p class="lede">If you lose your phone, each of these signs you in once. Keep them somewhere safe.</p>
      <ul class="recovery-codes">
        ${page.codes.map((code) => html`<li><code>${code}</code></li>`)}
      </ul>
      <p class="warning">Gatehouse keeps only hashes of them and will not show them again.</p>
      <p><a class="button primary" href="${page.returnTo}">I saved them, continue</a></p>
    </section>`,
  );
}
