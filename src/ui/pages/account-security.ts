import type { FactorSummary } from '../../core/mfa/manage-factors.js';
import { html, SafeHtml } from '../html.js';
import { copyableValue, csrfField, oneTimeCodeField, passkeyButton } from '../form-fields.js';
import { formatTime } from '../format.js';
import { layout } from '../layout.js';

interface SignedIn {
  csrf: string;
  user: { email: string };
}

/** A password field and a submit button: renewing recovery codes asks for the password first. */
function passwordConfirmedForm(page: SignedIn, action: string, id: string, button: string) {
  return html`<form method="post" action="${action}">
    ${csrfField(page.csrf)}
    <label for="${id}">Your password</label>
    <input id="${id}" name="current_password" type="password" autocomplete="current-password" required />
    <button class="button secondary" type="submit">${button}</button>
  </form>`;
}

interface SecurityPage extends SignedIn {
  factors: FactorSummary;
  /** Whether this server can offer passkeys (its issuer is a host name, not an IP address). */
  passkeys: boolean;
  notice?: string;
  error?: string;
  /** Where adding a passkey goes on to (the policy sent the user here on the way somewhere). */
  returnTo?: string;
}

/**
 * A removal: it asks for the password, or a current factor (a code from the app, or a passkey, whose button fills the
 * form and sends it), so a user who signs in with a passkey alone can remove factors without a password.
 */
function removalForm(page: SecurityPage, action: string, id: string, button: string, hidden: SafeHtml | string = '') {
  return html`<form method="post" action="${action}" class="removal">
    ${csrfField(page.csrf)} ${hidden}
    <label for="${id}-password">Your password</label>
    <input id="${id}-password" name="current_password" type="password" autocomplete="current-password" />
    ${
      page.factors.totp
        ? html`<label for="${id}-code">Or a code from your authenticator app</label>
            <input id="${id}-code" name="current_code" type="text" autocomplete="one-time-code" inputmode="numeric" maxlength="7" />`
        : ''
    }
    <button class="button danger" type="submit">${button}</button>
    ${page.passkeys && page.factors.passkeys.length > 0 ? passkeyButton('authenticate', '/account/security/confirm/options', 'Confirm with a passkey instead', `${id}-status`) : ''}
  </form>`;
}

const used = (factor: { createdAt: number; lastUsedAt: number | null }) =>
  `Added ${formatTime(factor.createdAt)}${factor.lastUsedAt !== null ? `, last used ${formatTime(factor.lastUsedAt)}` : ', not used yet'}`;

/** The account security page: the user's second factors, when added and last used, and what can be done with them. */
export function accountSecurityPage(page: SecurityPage): string {
  const { totp, recoveryCodes } = page.factors;
  return layout(
    { title: 'Security', signedInAs: { email: page.user.email, csrf: page.csrf }, section: 'security', passkeys: page.passkeys },
    html`<h1>Security</h1>
      <p class="lede">A second step after your password: a code from an authenticator app on your phone, or a passkey.</p>
      ${page.notice ? html`<p class="alert ok" role="status">${page.notice}</p>` : ''}
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <section class="card">
        <h2>Authenticator app</h2>
        ${
          totp
            ? html`<p class="meta">${used(totp)}</p>
                ${removalForm(page, '/account/security/totp/remove', 'remove-totp', 'Remove authenticator app')}`
            : html`<p>Not set up.</p>
                <p><a class="button primary" href="/account/security/totp">Set up an authenticator app</a></p>`
        }
      </section>
      ${passkeysSection(page)}
      ${
        totp
          ? html`<section class="card">
              <h2>Recovery codes</h2>
              <p class="meta">
                ${recoveryCodes.left} of 10 left${recoveryCodes.createdAt !== null ? `, made ${formatTime(recoveryCodes.createdAt)}` : ''}
              </p>
              <p>Each code signs you in once without the app. A new set replaces every old code.</p>
              ${passwordConfirmedForm(page, '/account/security/recovery-codes', 'renew_password', 'Make new recovery codes')}
              ${recoveryCodes.left > 0 ? removalForm(page, '/account/security/recovery-codes/remove', 'remove-codes', 'Remove recovery codes') : ''}
            </section>`
          : ''
      }`,
  );
}

function passkeysSection(page: SecurityPage): SafeHtml {
  const { passkeys } = page.factors;
  return html`<section class="card" id="passkeys">
    <h2>Passkeys</h2>
    ${
      passkeys.length === 0
        ? html`<p>No passkey yet. A passkey signs you in with your device's screen lock or a security key, without a password.</p>`
        : html`<ul class="passkeys">
            ${passkeys.map(
              (p, i) =>
                html`<li>
                  <strong class="passkey-name">${p.name}</strong>
                  <p class="meta">${used(p)}</p>
                  ${removalForm(page, '/account/security/passkeys/remove', `remove-passkey-${i}`, 'Remove passkey', html`<input type="hidden" name="credential_id" value="${p.credentialId}" />`)}
                </li>`,
            )}
          </ul>`
    }
    ${
      page.passkeys
        ? html`<form method="post" action="/account/security/passkeys" class="add-passkey">
            ${csrfField(page.csrf)} ${page.returnTo ? html`<input type="hidden" name="return_to" value="${page.returnTo}" />` : ''}
            <label for="passkey-name">Name for a new passkey (optional)</label>
            <input id="passkey-name" name="name" type="text" maxlength="60" autocomplete="off" placeholder="e.g. Work laptop" />
            ${passkeyButton('register', '/account/security/passkeys/options', 'Add a passkey', 'add-passkey-status', true)}
          </form>`
        : html`<p class="warning">
            Passkeys are not offered here: this server is reached at an IP address, and browsers allow passkeys only on a host name (such as
            <code>localhost</code> or <code>accounts.example.com</code>).
          </p>`
    }
  </section>`;
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
  /** Whether a passkey may be added instead (the issuer is a host name). */
  passkeys: boolean;
  error?: string;
}

export function totpEnrollmentPage(page: TotpEnrollmentPage): string {
  return layout(
    { title: 'Set up an authenticator app', signedInAs: { email: page.user.email, csrf: page.csrf } },
    html`<section class="card narrow">
      <h1>Set up an authenticator app</h1>
      ${
        page.required
          ? html`<p class="alert error" role="status">This server asks your account for a second step. Set it up to go on.</p>
              ${page.passkeys ? html`<p><a href="/account/security?${new URLSearchParams({ return_to: page.returnTo })}#passkeys">Add a passkey instead</a></p>` : ''}`
          : ''
      }
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
