import type { FactorSummary } from '../../../core/mfa/manage-factors.js';
import type { User } from '../../../core/users/user.js';
import { copyableValue, csrfField } from '../../form-fields.js';
import { formatTime } from '../../format.js';
import { html, type SafeHtml } from '../../html.js';
import { consolePage, errorAlert, notice, userPath, type ConsoleFrame } from './frame.js';

export interface UserDetailsPage extends ConsoleFrame {
  target: User;
  /** A password just made (a new account's, a reset): shown this once, never again. */
  oneTimePassword?: string | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  /** The user's second factors, on the user's own page (not on the one-off answers that show a password). */
  factors?: FactorSummary | undefined;
}

/**
 * One user, for administrators: who they are, and disable / enable, reset password, make or remove administrator, reset
 * second factors. Also
 * the answer to creating a user or resetting a password, so it carries its own address: a reload fetches it, not the form again.
 */
export function userDetailsPage(page: UserDetailsPage): string {
  const { target } = page;
  const path = userPath(target.zuid);
  const own = target.email === page.user.email;
  return consolePage(
    page,
    target.displayName,
    'users',
    html`<p class="breadcrumb"><a href="/developer-console/admin/users">Users</a> / ${target.email}</p>
      ${notice(page.notice)} ${errorAlert(page.error)}
      <section class="card" data-location="${path}">
        <header class="client-header">
          <h1>${target.displayName}</h1>
          <span class="badge">${target.isAdmin ? 'Administrator' : 'User'}</span>
          ${target.disabled ? html`<span class="badge">Disabled</span>` : ''}
        </header>
        <p>
          ${target.email} · ZUID <code>${target.zuid}</code> · created ${formatTime(target.createdAt)}
          ${page.dataCenters.length > 1 ? html` · data centre ${target.dc ?? page.dataCenters[0]}` : ''}
        </p>
        ${target.disabled ? html`<p>Disabled: cannot sign in, and every token issued before the disable stays revoked.</p>` : ''}
        ${
          page.oneTimePassword
            ? html`<div class="secret-once" role="status">
                ${copyableValue('One-time password', page.oneTimePassword, 'one-time-password')}
                <p class="warning">
                  Hand it to ${target.email} now. Gatehouse keeps only a hash of it and will not show it again; a new password is chosen at
                  the first sign-in.
                </p>
              </div>`
            : ''
        }
      </section>
      ${
        own
          ? html`<section class="card"><p>This is your account. Another administrator can disable it or change its role.</p></section>`
          : html`<section class="card">
              <h2>Manage</h2>
              ${action(page.csrf, `${path}/admin`, target.isAdmin ? 'Remove administrator' : 'Make administrator', {
                fields: { admin: target.isAdmin ? 'no' : 'yes' },
                confirm: `${target.isAdmin ? 'Remove the administrator role of' : 'Make an administrator of'} ${target.email}? They are signed out everywhere.`,
              })}
              ${action(page.csrf, `${path}/reset-password`, 'Reset password', {
                confirm: `Reset the password of ${target.email}? They are signed out everywhere and get a one-time password.`,
              })}
              ${
                target.disabled
                  ? action(page.csrf, `${path}/enable`, 'Enable')
                  : action(page.csrf, `${path}/disable`, 'Disable', {
                      confirm: `Disable ${target.email}? They cannot sign in, and every token of theirs stops working at once.`,
                      danger: true,
                    })
              }
            </section>`
      }
      ${page.factors ? factorsSection(page.csrf, path, target, page.factors, own) : ''}`,
  );
}

/** Which second factors the user has; for a user who lost them, a reset that removes them all. */
function factorsSection(csrf: string, path: string, target: User, factors: FactorSummary, own: boolean): SafeHtml {
  const { totp, passkeys, recoveryCodes } = factors;
  const since = (f: { createdAt: number; lastUsedAt: number | null }) =>
    `added ${formatTime(f.createdAt)}${f.lastUsedAt !== null ? `, last used ${formatTime(f.lastUsedAt)}` : ''}`;
  const any = totp !== undefined || passkeys.length > 0;
  return html`<section class="card">
    <h2>Second factors</h2>
    ${any ? '' : html`<p>None: signs in with the password alone.</p>`}
    ${totp ? html`<p>Authenticator app, ${since(totp)}; ${recoveryCodes.left} recovery codes left.</p>` : ''}
    ${
      passkeys.length > 0
        ? html`<p>Passkeys:</p>
            <ul class="passkeys">
              ${passkeys.map((p) => html`<li><strong>${p.name}</strong>, ${since(p)}</li>`)}
            </ul>`
        : ''
    }
    ${
      any && !own
        ? action(csrf, `${path}/mfa-reset`, 'Reset second factors', {
            confirm: `Remove every second factor of ${target.email}? They are signed out everywhere and sign in with the password alone until they add one again.`,
            danger: true,
          })
        : ''
    }
  </section>`;
}

/** One action on the user: a form with its CSRF token, asking first (by script, else the server's page) when it has a question. */
function action(
  csrf: string,
  path: string,
  label: string,
  options: { fields?: Record<string, string>; confirm?: string; danger?: boolean } = {},
): SafeHtml {
  return html`<form method="post" action="${path}" ${options.confirm ? html`data-confirm="${options.confirm}"` : ''}>
    ${csrfField(csrf)}
    ${Object.entries(options.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
    <div class="actions"><button class="button ${options.danger ? 'danger' : 'secondary'}" type="submit">${label}</button></div>
  </form>`;
}
