import { html } from '../html.js';
import { csrfField, oneTimeCodeField } from '../form-fields.js';
import { layout } from '../layout.js';

export interface SecondFactorPage {
  csrf: string;
  returnTo: string;
  method: 'totp' | 'recovery';
  error?: string;
}

/** The second step of signing in, after the password: a code from the authenticator app, or a recovery code. */
export function secondFactorPage(page: SecondFactorPage): string {
  const recovery = page.method === 'recovery';
  const other = `/signin/verify?${new URLSearchParams({ return_to: page.returnTo, ...(recovery ? {} : { method: 'recovery' }) })}`;
  return layout(
    { title: 'Two-step sign-in' },
    html`<section class="card narrow">
      <h1>Two-step sign-in</h1>
      <p class="lede">
        ${recovery ? 'Type one of the recovery codes you saved. Each works once.' : 'Type the 6-digit code your authenticator app shows.'}
      </p>
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <form method="post" action="/signin/verify" novalidate>
        ${csrfField(page.csrf)}
        <input type="hidden" name="return_to" value="${page.returnTo}" />
        <input type="hidden" name="method" value="${page.method}" />
        ${
          recovery
            ? html`<label for="code">Recovery code</label>
                <input id="code" name="code" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" required autofocus />`
            : oneTimeCodeField('Code', true)
        }
        <button class="button primary block" type="submit">Verify</button>
      </form>
      <p><a href="${other}">${recovery ? 'Use your authenticator app' : 'Use a recovery code'}</a></p>
    </section>`,
  );
}
